// Mega-tools: one tool whose action/operation/method enum mixes reads and deletes takes its most dangerous action.
import type { LexEntry } from '../lexicon.js';
import { defineRule } from '../rule.js';
import { splitName } from '../text.js';
import { loadTaxonomy } from '../taxonomy.js';
import { leadingNameVerbs } from '../verb-position.js';

const SELECTOR = new Set(['action', 'actions', 'operation', 'operations', 'op', 'method', 'command', 'cmd', 'verb', 'mode', 'task']);
/**
 * An HTTP-method enum (`webhook_method: [GET, POST, DELETE]`) configures a request; it is not this tool's
 * action. The WebDAV methods an API client stores (PURGE, UNLINK, LOCK) count, and most values
 * written as methods make it one.
 */
const HTTP_METHODS = new Set([
  'get',
  'post',
  'put',
  'patch',
  'delete',
  'head',
  'options',
  'connect',
  'trace',
  'copy',
  'link',
  'unlink',
  'purge',
  'lock',
  'unlock',
  'propfind',
  'proppatch',
  'mkcol',
  'move',
  'view',
  'report',
]);

export default defineRule({
  meta: {
    id: 'param.action-enum',
    docs: 'An action/operation/method/command enum lists what the tool can do; the most dangerous action decides.',
    confidence: 'high',
    category: 'per-match',
    hard: true,
    version: 3,
  },
  check(view, ctx) {
    const taxonomy = loadTaxonomy();
    // On a tool whose own name reads (`list_adjustments`), an action enum filters what is read.
    const lead = leadingNameVerbs(view)[0];
    if (lead !== undefined && view.lexicon.forms.get(view.nameWords[lead] as string)?.category === 'Read') return;
    for (const p of view.params) {
      const last = p.words.at(-1);
      if (!p.enumValues || p.enumValues.length === 0 || last === undefined || !SELECTOR.has(last)) continue;
      if (p.enumValues.every((v) => HTTP_METHODS.has(v.toLowerCase()))) continue;
      // Written as methods are (GET, PURGE), most of them: a request's method, not an action list.
      if (p.enumValues.filter((v) => /^[A-Z]+$/.test(v) && HTTP_METHODS.has(v.toLowerCase())).length * 2 > p.enumValues.length) continue;
      let top: { entry: LexEntry; value: string } | undefined;
      const actions: string[] = [];
      for (const value of p.enumValues) {
        let entry: LexEntry | undefined;
        for (const w of splitName(value)) {
          entry = view.lexicon.forms.get(w);
          if (entry?.finite) break;
          entry = undefined;
        }
        if (!entry) continue;
        actions.push(value);
        const rank = taxonomy.rank(entry.category) - (top ? taxonomy.rank(top.entry.category) : -1);
        if (rank > 0 || (rank === 0 && entry.hard && !top?.entry.hard)) top = { entry, value };
      }
      if (top) ctx.report({ path: p.path, match: `${top.value} (actions: ${actions.join(', ')})`, category: top.entry.category, hard: top.entry.hard });
    }
  },
  cases: {
    fire: [
      {
        tool: { name: 'manage_records', inputSchema: { type: 'object', properties: { action: { type: 'string', enum: ['get', 'list', 'delete'] } } } },
        report: { path: 'inputSchema.properties.action', category: 'Destructive', hard: true },
      },
      {
        tool: { name: 'manage_notes', inputSchema: { type: 'object', properties: { operation: { type: 'string', enum: ['read', 'update'] } } } },
        report: { path: 'inputSchema.properties.operation', category: 'Write' },
      },
    ],
    pass: [
      { tool: { name: 'maps_directions', inputSchema: { type: 'object', properties: { mode: { type: 'string', enum: ['driving', 'walking'] } } } } },
      { tool: { name: 'list_issues', inputSchema: { type: 'object', properties: { state: { type: 'string', enum: ['open', 'closed'] } } } } },
      {
        tool: {
          name: 'list_adjustments',
          inputSchema: { type: 'object', properties: { action: { type: 'string', enum: ['refund', 'credit', 'chargeback'] } } },
        },
        note: "a list tool's action enum filters what it lists",
      },
      {
        tool: { name: 'create_webhook', inputSchema: { type: 'object', properties: { webhook_method: { type: 'string', enum: ['GET', 'POST', 'DELETE'] } } } },
        note: "an HTTP method is a parameter, not this tool's action",
      },
      {
        tool: {
          name: 'save_request',
          inputSchema: { type: 'object', properties: { method: { type: 'string', enum: ['GET', 'POST', 'DELETE', 'PURGE', 'UNLINK', 'LOCK'] } } },
        },
        note: 'WebDAV methods stored on a request are HTTP methods too',
      },
    ],
  },
});
