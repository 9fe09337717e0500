// A parameter that carries a shell command, script, code or SQL makes the tool Execute, whatever its name says.
import { defineRule } from '../rule.js';
import type { ParamView, ToolView } from '../view.js';

/** The last word of the parameter name decides; `shell_command` and `sql` count, `script_id` does not. */
const ALWAYS = new Set(['command', 'cmd', 'commands', 'shell', 'script', 'sql', 'bash', 'powershell', 'cmdline', 'commandline']);
/** Ambiguous names (`code` may be a country code, `query` a search string) count only with execution wording nearby. */
const IF_EXECUTED = new Set(['code', 'expression', 'query', 'statement', 'program', 'source', 'snippet', 'python', 'javascript', 'js']);
const EXEC_WORDS = /\b(?:execut\w*|run|runs|eval\w*|interpret\w*|sql|shell|script|statement|compile\w*)\b/i;
/**
 * A `command` that names a sub-command of a router tool ("the command to execute against the specified
 * tool", with its arguments in a sibling `parameters` object) or a `script` that names a Worker is an
 * identifier, not code.
 */
const NAMES_A_COMMAND =
  /\b(?:sub-?commands?|child tools?|command names?|names? of the (?:command|script|worker)|(?:script|worker) names?|against the (?:specified )?tool|tool command|one of the following|command router)\b/i;
const ARGUMENTS_OBJECT = new Set(['parameters', 'params', 'arguments', 'args', 'options']);
/** Query languages, not shells: declared read-only, they only read. */
const QUERY_NAMES = new Set(['sql', 'query', 'statement', 'expression']);
// PromQL, LogQL, MetricsQL, TraceQL and ShopifyQL have no statement that writes: a query in one reads.
const READ_ONLY =
  /\b(?:read[- ]?only|select[- ]only|only select|select (?:queries|statements)|non-mutating|find quer(?:y|ies)|promql|prometheus (?:quer(?:y|ies)|expressions?)|logql|metricsql|traceql|shopifyql)\b|只读|唯读|唯讀|読み取り専用|읽기 전용/i;
/** Only the lead sentence says what this tool does; later ones mention other tools' execution. */
const leadSentence = (text: string): string => text.split(/[.!?\n](?:\s|$)/, 1)[0] ?? '';

/** `last`: the last word of the parameter's name, already known to be a code-like name. */
function isCodeParam(p: ParamView, last: string, view: ToolView, lead: string): boolean {
  if (p.enumValues && p.enumValues.length > 0) return false; // an enum of commands is a mega-tool selector, not free code
  if (p.type !== undefined && p.type !== 'string' && !p.type.includes('string') && p.type !== 'array') return false;
  // "Run a read-only SQL query": a query the tool declares read-only reads (the taxonomy's Read).
  if (QUERY_NAMES.has(last) && (READ_ONLY.test(lead) || READ_ONLY.test(p.description))) return false;
  if (ALWAYS.has(last)) return !namesACommand(p, view);
  return EXEC_WORDS.test(p.description) || EXEC_WORDS.test(lead);
}

function namesACommand(p: ParamView, view: ToolView): boolean {
  if (NAMES_A_COMMAND.test(p.description) || NAMES_A_COMMAND.test(view.description)) return true;
  // A sibling object for "the parameters to pass to the tool command": the command is a router's selector.
  const parent = (path: string): string => path.slice(0, path.lastIndexOf('.'));
  return view.params.some((q) => q.type === 'object' && ARGUMENTS_OBJECT.has(q.words.join('')) && parent(q.path) === parent(p.path));
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
    version: 5,
  },
  check(view, ctx) {
    for (const p of view.params) {
      // Only a parameter named like code is looked at further (and only then is the lead sentence cut).
      const last = p.words.at(-1);
      if (last === undefined || (!ALWAYS.has(last) && !IF_EXECUTED.has(last))) continue;
      if (isCodeParam(p, last, view, leadSentence(view.description))) return ctx.report({ path: p.path, match: p.name, hard: true });
    }
  },
  cases: {
    fire: [
      {
        tool: { name: 'query', description: 'Run a SQL query', inputSchema: { type: 'object', properties: { sql: { type: 'string' } } } },
        report: { path: 'inputSchema.properties.sql', hard: true },
      },
      {
        tool: { name: 'run', description: 'Run a read-only command', inputSchema: { type: 'object', properties: { command: { type: 'string' } } } },
        report: { path: 'inputSchema.properties.command', hard: true },
        note: 'a shell command is code, read-only or not',
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
      {
        tool: {
          name: 'prometheus_query',
          description: 'Execute a Prometheus query',
          inputSchema: { type: 'object', properties: { query: { type: 'string', description: 'PromQL query' } } },
        },
        note: 'PromQL only reads',
      },
      {
        tool: {
          name: 'queryPgDatabase',
          description: '查询 PostgreSQL 数据库，执行只读 SQL。',
          inputSchema: { type: 'object', properties: { sql: { type: 'string' } } },
        },
        note: 'declared read-only in Chinese: a query that only reads',
      },
      { tool: { name: 'query', description: 'Run a read-only SQL query', inputSchema: { type: 'object', properties: { sql: { type: 'string' } } } } },
      { tool: { name: 'brave_web_search', inputSchema: { type: 'object', properties: { query: { type: 'string', description: 'Search query' } } } } },
      { tool: { name: 'lookup_country', inputSchema: { type: 'object', properties: { code: { type: 'string', description: 'ISO country code' } } } } },
      { tool: { name: 'manage', inputSchema: { type: 'object', properties: { command: { type: 'string', enum: ['start', 'stop'] } } } } },
      {
        tool: {
          name: 'storage',
          description: 'Storage operations. This tool is a hierarchical MCP command router.',
          inputSchema: {
            type: 'object',
            properties: { command: { type: 'string', description: 'The command to execute against the specified tool.' }, parameters: { type: 'object' } },
          },
        },
        note: 'a router: the command names a sub-command',
      },
      {
        tool: {
          name: 'workers_get',
          inputSchema: { type: 'object', properties: { script: { type: 'string', description: 'The name of the Worker script.' } } },
        },
        note: "a Worker's name",
      },
      {
        tool: {
          name: 'web_search',
          description: 'Searches the web. Results can feed later execution steps.',
          inputSchema: { type: 'object', properties: { query: { type: 'string', description: 'What to look for' } } },
        },
        note: 'execution mentioned in a later sentence only',
      },
    ],
  },
});
