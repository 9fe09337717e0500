// Reads a manifest file: a captured tool list (JSON or YAML) or an MCP client config naming servers.
import { constants as bufferConstants } from 'node:buffer';
import { open } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { isRecord, McpRiskError, toToolRecord } from '../model/index.js';
import type { Finding, ServerInfo, ServerSnapshot, ToolRecord } from '../model/index.js';
import { readClientConfig } from './client-config.js';
import type { ClientConfig, ConfigWarning, PlaceholderContext } from './client-config.js';
import { nameServers } from './config-names.js';
import type { SplitName } from './config-names.js';
import { firstClause, jsonErrorOffset, lineColumn } from './json-position.js';
import { validateTools } from './lenient.js';
import { boundServerName } from './server-name.js';
import type { ServerTarget } from './targets.js';

export type ManifestContent =
  | { kind: 'snapshot'; snapshot: ServerSnapshot }
  | {
      kind: 'client-config';
      /** Each named by its key; a key that names different servers in different maps of the file is split (see `split`). */
      targets: ServerTarget[];
      /** Values not passed and servers not scanned, and why. */
      warnings: ConfigWarning[];
      split: SplitName[];
    };

type Json = { [key: string]: unknown };

export const TOOL_LIST_HINT = 'Expected {"tools": [...]}, a JSON array of tools, or a client config with "mcpServers".';

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // V8's first clause, and our own position (Node 20's JSON.parse often gives none).
    const offset = jsonErrorOffset(text);
    throw invalidJson(path, offset === undefined ? undefined : lineColumn(text, offset), firstClause(error), error);
  }
}

/** INPUT_INVALID for a JSON syntax error, at its line and column when they are known. */
export function invalidJson(path: string, place: { line: number; column: number } | undefined, message: string, cause: unknown): McpRiskError {
  const where = place === undefined ? '' : ` at line ${place.line}, column ${place.column}`;
  return new McpRiskError('INPUT_INVALID', `${path}: invalid JSON${where}: ${message.slice(0, 120)}`, { cause });
}

/** NOT_A_TOOL_LIST, saying what the file holds instead, with the shapes a tool list may take. */
export function notAToolList(path: string, what: string): McpRiskError {
  return new McpRiskError('NOT_A_TOOL_LIST', `${path}: ${what}`, { hint: TOOL_LIST_HINT });
}

// The YAML and TOML parsers load only for a file that needs one: most manifests are JSON, and the yaml
// package alone is 84 files to load at every start.
async function parseYamlText(text: string, path: string): Promise<unknown> {
  const { parse: parseYaml, YAMLParseError } = await import('yaml');
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

async function parseTomlText(text: string, path: string): Promise<unknown> {
  const { parse: parseToml, TomlError } = await import('smol-toml');
  try {
    return parseToml(text);
  } catch (error) {
    if (error instanceof TomlError) {
      const first = (error.message.split('\n')[0] ?? error.message).replace(/^Invalid TOML document: /, '');
      throw new McpRiskError('INPUT_INVALID', `${path}: invalid TOML at line ${error.line}, column ${error.column}: ${first.slice(0, 120)}`, { cause: error });
    }
    throw new McpRiskError('INPUT_INVALID', `${path}: invalid TOML: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

async function parseText(text: string, path: string): Promise<unknown> {
  const extension = extname(path).toLowerCase();
  if (extension === '.json') return parseJson(text, path);
  if (extension === '.toml') return parseTomlText(text, path);
  if (extension === '.yaml' || extension === '.yml') return parseYamlText(text, path);
  try {
    return JSON.parse(text);
  } catch {
    return parseYamlText(text, path);
  }
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
  return manifestSnapshot(path, meta, validated.tools.map(toToolRecord), { listed: tools.length, kept: validated.tools.length }, validated.findings, startedAt);
}

/**
 * The snapshot of a tool list read from `path`: named, described by the document's own keys (`meta`),
 * with `records` as its tools. `counts` says how many tools were listed and kept (a streamed list passes
 * no records but its counts). Findings about the name and serverInfo are appended to `findings`.
 */
export function manifestSnapshot(
  path: string,
  meta: Json,
  records: ToolRecord[],
  counts: { listed: number; kept: number },
  findings: Finding[],
  startedAt: Date,
): ServerSnapshot {
  const serverInfo = readServerInfo(meta.serverInfo, findings);
  // Named by what was scanned: the file's own `name`, else the file name. serverInfo is the server's
  // word about itself, kept as data; generic ones ("mcp-server") would merge unrelated histories.
  const name = boundServerName((typeof meta.name === 'string' && meta.name !== '' ? meta.name : undefined) ?? basename(path, extname(path)), findings);
  const snapshot: ServerSnapshot = {
    name,
    source: { kind: 'manifest', target: path },
    status: counts.kept > 0 ? 'ok' : 'no-tools',
    tools: records,
    findings,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
  };
  if (counts.kept === 0) snapshot.error = counts.listed === 0 ? 'manifest lists no tools' : 'manifest lists no valid tools';
  if (serverInfo !== undefined) snapshot.serverInfo = serverInfo;
  if (typeof meta.protocolVersion === 'string') snapshot.protocolVersion = meta.protocolVersion;
  if (typeof meta.instructions === 'string') snapshot.instructions = meta.instructions;
  return snapshot;
}

/**
 * The most a manifest may hold: the longest string V8 can make (about 512 MiB). A bigger file cannot be
 * read whole, so it is refused from its size alone, before any of it is read. `classify` reads a JSON
 * file that big tool by tool instead (commands/classify-stream.ts).
 */
export const MAX_MANIFEST_BYTES = bufferConstants.MAX_STRING_LENGTH;

function tooLarge(path: string, bytes: number | undefined, cause?: unknown): McpRiskError {
  const count = (n: number): string => n.toLocaleString('en-US');
  const size = bytes === undefined ? 'it grew' : `it holds ${count(bytes)} bytes`;
  const limit = `${count(MAX_MANIFEST_BYTES)} (${Math.round(MAX_MANIFEST_BYTES / 2 ** 20)} MiB)`;
  return new McpRiskError('INPUT_INVALID', `${path}: too large to read: ${size}, past the ${limit} a manifest may hold`, {
    hint: 'split the tool list into several manifests (classify FILE --json reads a JSON tool list of any size)',
    ...(cause === undefined ? {} : { cause }),
  });
}

/** INPUT_NOT_FOUND for a file that cannot be opened or read, saying why in words. */
export function unreadable(path: string, error: unknown): McpRiskError {
  const code = (error as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : 'cannot be read';
  return new McpRiskError('INPUT_NOT_FOUND', `${path}: ${why}`, { cause: error });
}

/**
 * A JSON, YAML or TOML file (by extension; JSON, else YAML, without one), parsed. Throws McpRiskError:
 * INPUT_NOT_FOUND (the read error is its cause), INPUT_INVALID (also for a file past MAX_MANIFEST_BYTES).
 */
export async function readDataFile(path: string): Promise<unknown> {
  let text: string;
  try {
    // One handle for the size check and the read, so the file checked is the file read.
    const handle = await open(path, 'r');
    try {
      const size = (await handle.stat()).size;
      if (size > MAX_MANIFEST_BYTES) throw tooLarge(path, size);
      text = await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof McpRiskError) throw error;
    // The file grew past the limit between the size check and the read.
    if ((error as NodeJS.ErrnoException).code === 'ERR_STRING_TOO_LONG') throw tooLarge(path, undefined, error);
    throw unreadable(path, error);
  }
  return parseText(text.replace(/^\uFEFF/, ''), path);
}

/** A client config's servers, or INPUT_INVALID naming every entry that is not a server, all at once. */
export function configServers(config: ClientConfig, path: string): ClientConfig {
  if (config.problems.length > 0) throw new McpRiskError('INPUT_INVALID', `${path}: invalid server entries: ${config.problems.join('; ')}`);
  return config;
}

/**
 * Loads a tool list (`{"tools": [...]}`, a JSON-RPC response carrying one, or a bare array) or a client
 * config (see readClientConfig; `context` resolves its `${workspaceFolder}` and `${userHome}`). Throws
 * McpRiskError: INPUT_NOT_FOUND, INPUT_INVALID, NOT_A_TOOL_LIST.
 */
export async function loadManifest(path: string, context: PlaceholderContext = {}): Promise<ManifestContent> {
  const startedAt = new Date();
  const data = await readDataFile(path);

  if (Array.isArray(data)) {
    // A bare array is a tool list if it is empty or holds at least one thing shaped like a tool.
    if (data.length === 0 || data.some((item) => isRecord(item) && typeof item.name === 'string')) {
      return { kind: 'snapshot', snapshot: toolSnapshot(path, data, {}, startedAt) };
    }
    throw notAToolList(path, 'the array holds no tools');
  }
  if (!isRecord(data)) throw notAToolList(path, `holds a ${data === null ? 'null' : typeof data}, not a tool list`);

  const config = readClientConfig(data, context);
  if (config !== undefined) {
    // All bad entries at once, so the user fixes the file in one pass.
    const { groups, warnings } = configServers(config, path);
    const { servers, split } = nameServers(groups.map((g) => ({ label: g.scope ?? basename(path), targets: g.targets })));
    return { kind: 'client-config', targets: servers.map((s) => s.target), warnings, split };
  }

  // A saved JSON-RPC response: {"jsonrpc": "2.0", "id": 1, "result": {"tools": [...]}}.
  const body = !('tools' in data) && isRecord(data.result) && 'tools' in data.result ? data.result : data;
  if ('tools' in body) {
    if (!Array.isArray(body.tools)) throw notAToolList(path, '"tools" is not an array');
    return { kind: 'snapshot', snapshot: toolSnapshot(path, body.tools, { ...data, ...body }, startedAt) };
  }
  throw notAToolList(path, 'no "tools" array or "mcpServers" map found');
}
