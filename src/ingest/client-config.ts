// The servers an MCP client's config names: `mcpServers` (Claude Desktop, Claude Code, Cursor, Windsurf),
// `servers` (VS Code), `mcp_servers` (Codex's TOML) and `projects.*.mcpServers` (~/.claude.json).
import { isRecord } from '../model/index.js';
import { boundServerName } from './server-name.js';
import type { HttpTarget, ServerTarget, StdioTarget } from './targets.js';

type Json = Record<string, unknown>;

/** What a client would substitute that mcp-risk can too; every other `${...}` is left unresolved. */
export interface PlaceholderContext {
  /** `${userHome}`. */
  home?: string;
  /** `${workspaceFolder}`: the project whose configs are read. */
  project?: string;
}

/** Something about one server the user should know: a value not passed, a server not scanned. */
export interface ConfigWarning {
  server: string;
  message: string;
}

/** The servers of one map in the file: the file's own, or (in ~/.claude.json) one project's. */
export interface ConfigGroup {
  /** Undefined for the file's own map; the project's path for a `projects.<path>.mcpServers` map. */
  scope?: string;
  /** Each named by its key. */
  targets: ServerTarget[];
}

export interface ClientConfig {
  groups: ConfigGroup[];
  warnings: ConfigWarning[];
  /** Entries that are not servers at all; the caller decides whether that makes the file invalid. */
  problems: string[];
}

/** `${workspaceFolder}`, `${input:token}`, `${env:HOME}`, `${HOME}`, `${VAR:-default}`: a client's placeholder. */
const PLACEHOLDER = /\$\{[^}]*\}/g;

/** `value` with what can be resolved resolved, and the first placeholder left over, if any. */
function resolvePlaceholders(value: string, context: PlaceholderContext): { value: string; unresolved?: string } {
  let unresolved: string | undefined;
  const resolved = value.replace(PLACEHOLDER, (token) => {
    if (token === '${workspaceFolder}' && context.project !== undefined) return context.project;
    if (token === '${userHome}' && context.home !== undefined) return context.home;
    unresolved ??= token;
    return token;
  });
  return unresolved === undefined ? { value: resolved } : { value: resolved, unresolved: unresolved.slice(0, 80) };
}

function stringRecord(value: unknown, field: string, entry: string, problems: string[]): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) {
    problems.push(`${entry}: ${field} must be an object of strings`);
    return undefined;
  }
  const record: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    // Config files often write numbers and booleans unquoted; the process sees text either way.
    if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') record[key] = String(item);
    else problems.push(`${entry}: ${field}.${key} must be a string`);
  }
  return record;
}

/**
 * Values handed to the server (env, headers): one holding a placeholder we cannot resolve is left out
 * with a warning, never passed as the literal `${...}` text.
 */
function passable(values: Record<string, string> | undefined, field: string, server: string, context: PlaceholderContext, warnings: ConfigWarning[]) {
  if (values === undefined) return undefined;
  const kept: Record<string, string> = {};
  for (const [key, raw] of Object.entries(values)) {
    const { value, unresolved } = resolvePlaceholders(raw, context);
    if (unresolved === undefined) kept[key] = value;
    else {
      const give = field === 'env' ? `--env ${key}=...` : `--header '${key}: ...'`;
      warnings.push({
        server,
        message: `${field} ${key} holds ${unresolved}, which mcp-risk cannot resolve: not passed (give it with --server ${server} ${give})`,
      });
    }
  }
  return kept;
}

/** One entry of a server map, or undefined (with a problem or a warning saying why). */
function configTarget(key: string, entry: unknown, context: PlaceholderContext, problems: string[], warnings: ConfigWarning[]): ServerTarget | undefined {
  // The key names the server; a huge one is cut here, and scanServer reports the cut on its snapshot.
  const name = boundServerName(key);
  if (!isRecord(entry)) {
    problems.push(`${name}: entry must be an object`);
    return undefined;
  }
  // What says how to reach the server: a placeholder left in it means we would start or call something else.
  const where = (field: string, raw: string): string | undefined => {
    const { value, unresolved } = resolvePlaceholders(raw, context);
    if (unresolved === undefined) return value;
    warnings.push({ server: name, message: `${field} holds ${unresolved}, which mcp-risk cannot resolve: not scanned` });
    return undefined;
  };
  if (typeof entry.url === 'string' || typeof entry.serverUrl === 'string') {
    const url = where('url', (typeof entry.url === 'string' ? entry.url : entry.serverUrl) as string);
    if (url === undefined) return undefined;
    try {
      new URL(url);
    } catch {
      problems.push(`${name}: url is not a valid URL`);
      return undefined;
    }
    const target: HttpTarget = { kind: 'http', name, url };
    const headers = passable(stringRecord(entry.headers, 'headers', name, problems), 'header', name, context, warnings);
    if (headers !== undefined) target.headers = headers;
    const type = typeof entry.type === 'string' ? entry.type.toLowerCase() : undefined;
    if (type === 'sse') target.transport = 'sse';
    else if (type === 'http' || type === 'streamable-http' || type === 'streamablehttp') target.transport = 'streamable-http';
    return target;
  }
  if (typeof entry.command === 'string' && entry.command.trim() !== '') {
    const rawArgs = entry.args ?? [];
    if (!Array.isArray(rawArgs) || !rawArgs.every((arg) => typeof arg === 'string' || typeof arg === 'number')) {
      problems.push(`${name}: args must be an array of strings`);
      return undefined;
    }
    const command = where('command', entry.command);
    const args = rawArgs.map((arg, i) => where(`args[${i}]`, String(arg)));
    const cwd = typeof entry.cwd === 'string' ? where('cwd', entry.cwd) : undefined;
    if (command === undefined || args.some((arg) => arg === undefined) || (typeof entry.cwd === 'string' && cwd === undefined)) return undefined;
    const target: StdioTarget = { kind: 'stdio', name, command, args: args as string[] };
    const env = passable(stringRecord(entry.env, 'env', name, problems), 'env', name, context, warnings);
    if (env !== undefined) target.env = env;
    if (cwd !== undefined) target.cwd = cwd;
    if (typeof entry.envFile === 'string') warnings.push({ server: name, message: 'envFile is not read: its variables are not passed' });
    return target;
  }
  problems.push(`${name}: needs either "command" or "url"`);
  return undefined;
}

/**
 * A Codex `[mcp_servers.NAME]` table in the shape the other clients write. What Codex takes from the
 * environment it runs in (`env_vars`, `bearer_token_env_var`, `env_http_headers`) is not ours to pass:
 * mcp-risk never forwards its own environment, so each is a warning.
 */
function fromCodex(key: string, entry: unknown, warnings: ConfigWarning[]): unknown {
  if (!isRecord(entry)) return entry;
  const name = boundServerName(key);
  const fromEnvironment = [
    Array.isArray(entry.env_vars) && entry.env_vars.length > 0 ? `env_vars (${entry.env_vars.map(String).join(', ')})` : undefined,
    typeof entry.bearer_token_env_var === 'string' ? `bearer_token_env_var (${entry.bearer_token_env_var})` : undefined,
    isRecord(entry.env_http_headers) ? `env_http_headers (${Object.keys(entry.env_http_headers).join(', ')})` : undefined,
  ].filter((s): s is string => s !== undefined);
  for (const what of fromEnvironment) {
    warnings.push({ server: name, message: `${what}: taken from the environment Codex runs in, which mcp-risk does not forward: not passed` });
  }
  const { http_headers: headers, ...rest } = entry;
  return headers === undefined ? rest : { ...rest, headers };
}

function group(map: Json, context: PlaceholderContext, out: ClientConfig, scope?: string, codex = false): void {
  const targets: ServerTarget[] = [];
  for (const [key, entry] of Object.entries(map)) {
    const target = configTarget(key, codex ? fromCodex(key, entry, out.warnings) : entry, context, out.problems, out.warnings);
    if (target !== undefined) targets.push(target);
  }
  out.groups.push(scope === undefined ? { targets } : { scope, targets });
}

/** VS Code's `servers` map holds servers only; other files use the word for other things. */
function isVsCodeServers(value: unknown): value is Json {
  return isRecord(value) && Object.values(value).every((entry) => isRecord(entry) && ('command' in entry || 'url' in entry));
}

/**
 * The server maps of a client config, or undefined when `data` holds none (it is then not a client
 * config). Every map found is a group; ~/.claude.json has its own map and one per project.
 */
export function readClientConfig(data: Json, context: PlaceholderContext = {}): ClientConfig | undefined {
  const out: ClientConfig = { groups: [], warnings: [], problems: [] };
  if (isRecord(data.mcpServers)) group(data.mcpServers, context, out);
  else if (isRecord(data.mcp_servers)) group(data.mcp_servers, context, out, undefined, true);
  else if (isVsCodeServers(data.servers)) group(data.servers, context, out);
  if (isRecord(data.projects)) {
    for (const [path, project] of Object.entries(data.projects)) {
      if (isRecord(project) && isRecord(project.mcpServers) && Object.keys(project.mcpServers).length > 0) group(project.mcpServers, context, out, path);
    }
  }
  return out.groups.length > 0 ? out : undefined;
}
