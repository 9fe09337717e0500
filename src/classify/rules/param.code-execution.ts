// A parameter that carries a shell command, script, code or SQL makes the tool Execute, whatever its name says.
import { defineRule } from '../rule.js';
import type { ParamView } from '../view.js';

/** The last word of the parameter name decides; `shell_command` and `sql` count, `script_id` does not. */
const ALWAYS = new Set(['command', 'cmd', 'commands', 'shell', 'script', 'sql', 'bash', 'powershell', 'cmdline', 'commandline']);
/** Ambiguous names (`code` may be a country code, `query` a search string) count only with execution wording nearby. */
const IF_EXECUTED = new Set(['code', 'expression', 'query', 'statement', 'program', 'source', 'snippet', 'python', 'javascript', 'js']);
const EXEC_WORDS = /\b(?:execut\w*|run|runs|eval\w*|interpret\w*|sql|shell|script|statement|compile\w*)\b/i;

function isCodeParam(p: ParamView, toolDescription: string): boolean {
  if (p.enumValues && p.enumValues.length > 0) return false; // an enum of commands is a mega-tool selector, not free code
  if (p.type !== undefined && p.type !== 'string' && !p.type.includes('string') && p.type !== 'array') return false;
  const last = p.words.at(-1);
  if (last === undefined) return false;
  if (ALWAYS.has(last)) return true;
  return IF_EXECUTED.has(last) && (EXEC_WORDS.test(p.description) || EXEC_WORDS.test(toolDescription));
}

export default defineRule({
  meta: {
    id: 'param.code-execution',
    docs: 'A shell, command, script, code or SQL parameter lets the caller run arbitrary code: Execute, hard.',
    confidence: 'high',
    category: 'Execute',
    capability: 'code-execution',
    modifier: 'arbitrary-code',
    hard: true,
    version: 1,
  },
  check(view, ctx) {
    const p = view.params.find((param) => isCodeParam(param, view.description));
    if (p) ctx.report({ path: p.path, match: p.name, hard: true });
  },
  cases: {
    fire: [
      {
        tool: { name: 'query', description: 'Run a read-only SQL query', inputSchema: { type: 'object', properties: { sql: { type: 'string' } } } },
        report: { path: 'inputSchema.properties.sql', hard: true },
      },
      {
        tool: { name: 'terminal', inputSchema: { type: 'object', properties: { shell_command: { type: 'string' } } } },
        report: { path: 'inputSchema.properties.shell_command', hard: true },
      },
      {
        tool: { name: 'evaluate', inputSchema: { type: 'object', properties: { code: { type: 'string', description: 'JavaScript to execute' } } } },
        report: { path: 'inputSchema.properties.code', hard: true },
      },
    ],
    pass: [
      { tool: { name: 'brave_web_search', inputSchema: { type: 'object', properties: { query: { type: 'string', description: 'Search query' } } } } },
      { tool: { name: 'lookup_country', inputSchema: { type: 'object', properties: { code: { type: 'string', description: 'ISO country code' } } } } },
      { tool: { name: 'manage', inputSchema: { type: 'object', properties: { command: { type: 'string', enum: ['start', 'stop'] } } } } },
    ],
  },
});
