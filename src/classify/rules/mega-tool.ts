// Mega-tools: one tool whose action/operation/method enum mixes reads and deletes takes its most dangerous action.
import type { KnownCategory } from '../../model/index.js';
import type { LexEntry } from '../lexicon.js';
import { bounded } from '../rule.js';
import type { Rule } from '../rule.js';
import { splitName } from '../text.js';
import { loadTaxonomy } from '../taxonomy.js';

const SELECTOR = new Set(['action', 'actions', 'operation', 'operations', 'op', 'method', 'command', 'cmd', 'verb', 'mode', 'task']);

export const megaToolRule: Rule = {
  meta: {
    id: 'param.action-enum',
    docs: 'An action/operation/method/command enum lists what the tool can do; the most dangerous action decides.',
    impact: 'high',
    confidence: 'high',
    source: 'src/classify/rules/mega-tool.ts',
  },
  check(view, out) {
    const taxonomy = loadTaxonomy();
    for (const p of view.params) {
      const last = p.words.at(-1);
      if (!p.enumValues || p.enumValues.length === 0 || last === undefined || !SELECTOR.has(last)) continue;
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
        const rank = (c: KnownCategory): number => taxonomy.rank(c);
        if (!top || rank(entry.category) > rank(top.entry.category) || (entry.hard && !top.entry.hard && entry.category === top.entry.category)) {
          top = { entry, value };
        }
      }
      if (!top) continue;
      const ev = {
        rule: 'param.action-enum',
        path: p.path,
        match: bounded(`${top.value} (actions: ${actions.join(', ')})`),
        category: top.entry.category,
      };
      out.push(top.entry.hard ? { ...ev, hard: true } : ev);
    }
  },
  cases: {
    fire: [
      {
        tool: {
          name: 'manage_records',
          inputSchema: { type: 'object', properties: { action: { type: 'string', enum: ['get', 'list', 'delete'] } } },
        },
      },
    ],
    pass: [
      { tool: { name: 'maps_directions', inputSchema: { type: 'object', properties: { mode: { type: 'string', enum: ['driving', 'walking'] } } } } },
      { tool: { name: 'list_issues', inputSchema: { type: 'object', properties: { state: { type: 'string', enum: ['open', 'closed'] } } } } },
    ],
  },
};
