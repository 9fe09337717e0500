// Reads a manifest file: a captured tool list (JSON or YAML) or an MCP client config naming servers.
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { isRecord, McpRiskError, toToolRecord } from '../model/index.js';
import type { Finding, ServerInfo, ServerSnapshot } from '../model/index.js';
import { jsonErrorOffset, lineColumn } from './json-position.js';
import { validateTools } from './lenient.js';
import { boundServerName } from './server-name.js';
import type { HttpTarget, ServerTarget, StdioTarget } from './targets.js';

export type ManifestContent = { kind: 'snapshot'; snapshot: ServerSnapshot } | { kind: 'client-config'; targets: ServerTarget[] };

type Json = { [key: string]: unknown };

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // V8's message may quote a multi-line excerpt; keep its first clause only and add our own position.
    const message = (error instanceof Error ? error.message : String(error)).split(/\n|, "|, \.\.\."/)[0] ?? 'parse error';
    const offset = jsonErrorOffset(text);
    const where = offset === undefined ? '' : (({ line, column }) => ` at line ${line}, column ${column}`)(lineColumn(text, offset));
    throw new McpRiskError('INPUT_INVALID', `${path}: invalid JSON${where}: ${message.slice(0, 120)}`, { cause: error });
  }
}

function parseYamlText(text: string, path: string): unknown {
  try {
    // Unique keys and a bounded alias expansion guard against files crafted to blow up.
    return parseYaml(text, { uniqueKeys: true, maxAliasCount: 1000 });
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const at = error.linePos?.[0];
      const where = at !== undefined ? ` at line ${at.line}, column ${at.col}` : '';
      const first = (error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, '');
      throw new McpRiskError('INPUT_INVALID', `${path}: invalid YAML${where}: ${first}`, { cause: error });
    }
    throw new McpRiskError('INPUT_INVALID', `${path}: invalid YAML: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

function parseText(text: string, path: string): unknown {
  const extension = extname(path).toLowerCase();
  if (extension === '.json') return parseJson(text, path);
  if (extension === '.yaml' || extension === '.yml') return parseYamlText(text, path);
  try {
    return JSON.parse(text);
  } catch {
    return parseYamlText(text, path);
  }
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

function configTarget(key: string, entry: unknown, problems: string[]): ServerTarget | undefined {
  // The key names the server; a huge one is cut here, and scanServer reports the cut on its snapshot.
  const name = boundServerName(key);
  if (!isRecord(entry)) {
    problems.push(`${name}: entry must be an object`);
    return undefined;
  }
  if (typeof entry.url === 'string' || typeof entry.serverUrl === 'string') {
    const url = (typeof entry.url === 'string' ? entry.url : entry.serverUrl) as string;
    try {
      new URL(url);
    } catch {
      problems.push(`${name}: url is not a valid URL`);
      return undefined;
    }
    const target: HttpTarget = { kind: 'http', name, url };
    const headers = stringRecord(entry.headers, 'headers', name, problems);
    if (headers !== undefined) target.headers = headers;
    const type = typeof entry.type === 'string' ? entry.type.toLowerCase() : undefined;
    if (type === 'sse') target.transport = 'sse';
    else if (type === 'http' || type === 'streamable-http' || type === 'streamablehttp') target.transport = 'streamable-http';
    return target;
  }
  if (typeof entry.command === 'string' && entry.command.trim() !== '') {
    const args = entry.args ?? [];
    if (!Array.isArray(args) || !args.every((arg) => typeof arg === 'string' || typeof arg === 'number')) {
      problems.push(`${name}: args must be an array of strings`);
      return undefined;
    }
    const target: StdioTarget = { kind: 'stdio', name, command: entry.command, args: args.map(String) };
    const env = stringRecord(entry.env, 'env', name, problems);
    if (env !== undefined) target.env = env;
    if (typeof entry.cwd === 'string') target.cwd = entry.cwd;
    return target;
  }
  problems.push(`${name}: needs either "command" or "url"`);
  return undefined;
}

/** The server map of a client config: `mcpServers` (Claude Desktop, Cursor) or `servers` (VS Code). */
function serverMap(data: Json): Json | undefined {
  if (isRecord(data.mcpServers)) return data.mcpServers;
  if (isRecord(data.servers) && Object.values(data.servers).every((entry) => isRecord(entry) && ('command' in entry || 'url' in entry))) {
    return data.servers;
  }
  return undefined;
}

function readServerInfo(value: unknown, findings: Finding[]): ServerInfo | undefined {
  if (!isRecord(value) || typeof value.name !== 'string') return undefined;
  const info: ServerInfo = { name: boundServerName(value.name, findings, 'serverInfo.name') };
  if (typeof value.version === 'string') info.version = boundServerName(value.version, findings, 'serverInfo.version');
  if (typeof value.title === 'string') info.title = boundServerName(value.title, findings, 'serverInfo.title');
  return info;
}

function toolSnapshot(path: string, tools: unknown[], meta: Json, startedAt: Date): ServerSnapshot {
  const validated = validateTools(tools);
  const serverInfo = readServerInfo(meta.serverInfo, validated.findings);
  const records = validated.tools.map(toToolRecord);
  // Named by what was scanned: the file's own `name`, else the file name. serverInfo is the server's
  // word about itself, kept as data; generic ones ("mcp-server") would merge unrelated histories.
  const name = boundServerName(
    (typeof meta.name === 'string' && meta.name !== '' ? meta.name : undefined) ?? basename(path, extname(path)),
    validated.findings,
  );
  const snapshot: ServerSnapshot = {
    name,
    source: { kind: 'manifest', target: path },
    status: records.length > 0 ? 'ok' : 'no-tools',
    tools: records,
    findings: validated.findings,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
  };
  if (records.length === 0) snapshot.error = tools.length === 0 ? 'manifest lists no tools' : 'manifest lists no valid tools';
  if (serverInfo !== undefined) snapshot.serverInfo = serverInfo;
  if (typeof meta.protocolVersion === 'string') snapshot.protocolVersion = meta.protocolVersion;
  if (typeof meta.instructions === 'string') snapshot.instructions = meta.instructions;
  return snapshot;
}

/**
 * Loads a tool list (`{"tools": [...]}`, a JSON-RPC response carrying one, or a bare array) or a client
 * config with an `mcpServers` map. Throws McpRiskError: INPUT_NOT_FOUND, INPUT_INVALID, NOT_A_TOOL_LIST.
 */
export async function loadManifest(path: string): Promise<ManifestContent> {
  const startedAt = new Date();
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : 'cannot be read';
    throw new McpRiskError('INPUT_NOT_FOUND', `${path}: ${why}`, { cause: error });
  }
  const data = parseText(text.replace(/^\uFEFF/, ''), path);
  const hint = 'Expected {"tools": [...]}, a JSON array of tools, or a client config with "mcpServers".';

  if (Array.isArray(data)) {
    // A bare array is a tool list if it is empty or holds at least one thing shaped like a tool.
    if (data.length === 0 || data.some((item) => isRecord(item) && typeof item.name === 'string')) {
      return { kind: 'snapshot', snapshot: toolSnapshot(path, data, {}, startedAt) };
    }
    throw new McpRiskError('NOT_A_TOOL_LIST', `${path}: the array holds no tools`, { hint });
  }
  if (!isRecord(data)) throw new McpRiskError('NOT_A_TOOL_LIST', `${path}: holds a ${data === null ? 'null' : typeof data}, not a tool list`, { hint });

  const servers = serverMap(data);
  if (servers !== undefined) {
    const problems: string[] = [];
    const targets: ServerTarget[] = [];
    for (const [name, entry] of Object.entries(servers)) {
      const target = configTarget(name, entry, problems);
      if (target !== undefined) targets.push(target);
    }
    // All bad entries at once, so the user fixes the file in one pass.
    if (problems.length > 0) throw new McpRiskError('INPUT_INVALID', `${path}: invalid server entries: ${problems.join('; ')}`);
    return { kind: 'client-config', targets };
  }

  // A saved JSON-RPC response: {"jsonrpc": "2.0", "id": 1, "result": {"tools": [...]}}.
  const body = !('tools' in data) && isRecord(data.result) && 'tools' in data.result ? data.result : data;
  if ('tools' in body) {
    if (!Array.isArray(body.tools)) throw new McpRiskError('NOT_A_TOOL_LIST', `${path}: "tools" is not an array`, { hint });
    return { kind: 'snapshot', snapshot: toolSnapshot(path, body.tools, { ...data, ...body }, startedAt) };
  }
  throw new McpRiskError('NOT_A_TOOL_LIST', `${path}: no "tools" array or "mcpServers" map found`, { hint });
}
