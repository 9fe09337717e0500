// Imports the servers listed by an MCP Registry API (`GET /v0/servers`, cursor pages) as catalogue entries.
import { isRecord, McpRiskError } from '../model/index.js';
import { compareVersions } from '../packages/npm-spec.js';
import { cleanText, displayName, MAX_NAME_LENGTH } from './clean-text.js';
import { fetchText as defaultFetchText } from './fetch-text.js';
import type { FetchTextFn } from './fetch-text.js';
import { uniqueName } from './unique-name.js';
import type { CatalogueEntry, SkippedListing } from './types.js';
import { entryProblems } from './validate.js';

export interface ImportRegistryOptions {
  /** Servers per page (the `limit` query parameter); default 100, the official registry's maximum. */
  limit?: number;
  /** Stop after this many pages and say so; default 500. */
  maxPages?: number;
  /** Per page request; default 30000. */
  timeoutMs?: number;
  /** Per page response; default 10 MB. */
  maxBytes?: number;
  fetchText?: FetchTextFn;
}

export interface ImportRegistryResult {
  entries: CatalogueEntry[];
  skipped: SkippedListing[];
  pages: number;
  /** Set when the walk stopped before the last page (a repeating cursor, or `maxPages`). */
  incomplete?: string;
}

type Json = Record<string, unknown>;

const OFFICIAL_META = 'io.modelcontextprotocol.registry/official';
const NPM_REGISTRY = /^https?:\/\/registry\.npmjs\.(org|com)\/?$/i;
const MAX_ARGS = 50;
const MAX_ARG_LENGTH = 1000;
const MAX_NEEDS = 50;

interface Argument {
  type: string;
  name?: string;
  value?: string;
  fallback?: string;
  required: boolean;
  hint?: string;
}

interface Package {
  registryType: string;
  identifier: string;
  version?: string;
  registryBaseUrl?: string;
  transport: string;
  arguments: Argument[];
  environment: { name: string; required: boolean }[];
}

interface Remote {
  type: string;
  url: string;
  headers: { name: string; required: boolean }[];
}

/** One server version as listed, read from either response shape. */
interface Listed {
  rawName: string;
  version?: string;
  isLatest?: boolean;
  status?: string;
  packages: Package[];
  remotes: Remote[];
  order: number;
}

/** The first of several spellings (the API moved from snake_case to camelCase) that holds a value. */
function pick(object: Json, ...keys: string[]): unknown {
  for (const key of keys) if (object[key] !== undefined && object[key] !== null) return object[key];
  return undefined;
}

function text(object: Json, max: number, ...keys: string[]): string | undefined {
  const value = pick(object, ...keys);
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const clean = cleanText(String(value), max);
  return clean === '' ? undefined : clean;
}

function flag(object: Json, ...keys: string[]): boolean | undefined {
  const value = pick(object, ...keys);
  return typeof value === 'boolean' ? value : undefined;
}

function list(object: Json, ...keys: string[]): Json[] {
  const value = pick(object, ...keys);
  return Array.isArray(value) ? value.filter(isRecord).slice(0, 200) : [];
}

function readArgument(raw: Json): Argument {
  const argument: Argument = { type: text(raw, 20, 'type') ?? 'positional', required: flag(raw, 'isRequired', 'is_required') === true };
  const name = text(raw, 200, 'name');
  const value = text(raw, MAX_ARG_LENGTH, 'value');
  const fallback = text(raw, MAX_ARG_LENGTH, 'default');
  const hint = text(raw, 200, 'valueHint', 'value_hint');
  if (name !== undefined) argument.name = name;
  if (value !== undefined) argument.value = value;
  if (fallback !== undefined) argument.fallback = fallback;
  if (hint !== undefined) argument.hint = hint;
  return argument;
}

function readPackage(raw: Json): Package | undefined {
  const identifier = text(raw, 300, 'identifier', 'name');
  if (identifier === undefined) return undefined;
  const transportObject = pick(raw, 'transport');
  const transport = isRecord(transportObject) ? text(transportObject, 40, 'type') : text(raw, 40, 'transport_type');
  const pkg: Package = {
    registryType: (text(raw, 40, 'registryType', 'registry_type', 'registry_name') ?? 'unknown').toLowerCase(),
    identifier,
    // Older listings have no transport for packages: they were all stdio.
    transport: (transport ?? 'stdio').toLowerCase(),
    arguments: list(raw, 'packageArguments', 'package_arguments').map(readArgument),
    environment: list(raw, 'environmentVariables', 'environment_variables').flatMap((variable) => {
      const name = text(variable, 200, 'name');
      return name === undefined ? [] : [{ name, required: flag(variable, 'isRequired', 'is_required') === true }];
    }),
  };
  const version = text(raw, 100, 'version');
  if (version !== undefined) pkg.version = version;
  const base = text(raw, 300, 'registryBaseUrl', 'registry_base_url');
  if (base !== undefined) pkg.registryBaseUrl = base;
  return pkg;
}

function readRemote(raw: Json): Remote | undefined {
  const url = pick(raw, 'url');
  if (typeof url !== 'string' || url.length > 4096) return undefined;
  return {
    type: (text(raw, 40, 'type', 'transport_type') ?? 'streamable-http').toLowerCase(),
    url,
    headers: list(raw, 'headers').flatMap((header) => {
      const name = text(header, 200, 'name');
      return name === undefined ? [] : [{ name, required: flag(header, 'isRequired', 'is_required') === true }];
    }),
  };
}

/** Reads `{server, _meta}` (current API) or a flat server object (older API). */
function readListed(item: Json, order: number): Listed | undefined {
  const server = isRecord(item.server) ? item.server : item;
  const rawName = typeof server.name === 'string' ? server.name.slice(0, 2000) : undefined;
  if (rawName === undefined) return undefined;
  const listed: Listed = {
    rawName,
    packages: list(server, 'packages').flatMap((raw) => readPackage(raw) ?? []),
    remotes: list(server, 'remotes').flatMap((raw) => readRemote(raw) ?? []),
    order,
  };
  const detail = isRecord(server.version_detail) ? server.version_detail : {};
  const version = text(server, 100, 'version') ?? text(detail, 100, 'version');
  if (version !== undefined) listed.version = version;
  const metaSources = [item._meta, server._meta].filter(isRecord);
  const official = metaSources.map((meta) => meta[OFFICIAL_META]).find(isRecord);
  const isLatest = (official === undefined ? undefined : flag(official, 'isLatest', 'is_latest')) ?? flag(detail, 'is_latest', 'isLatest');
  if (isLatest !== undefined) listed.isLatest = isLatest;
  const status = (official === undefined ? undefined : text(official, 40, 'status')) ?? text(server, 40, 'status');
  if (status !== undefined) listed.status = status.toLowerCase();
  return listed;
}

/** The version marked latest, else the highest; ties go to the one listed last. */
function chooseVersion(versions: readonly Listed[]): Listed {
  const marked = versions.filter((listed) => listed.isLatest === true);
  const pool = marked.length > 0 ? marked : versions;
  return pool.reduce((best, listed) => (compareVersions(listed.version, best.version) >= 0 ? listed : best));
}

function isNpmStdio(pkg: Package): boolean {
  return pkg.registryType === 'npm' && pkg.transport === 'stdio' && (pkg.registryBaseUrl === undefined || NPM_REGISTRY.test(pkg.registryBaseUrl));
}

function scannableRemote(remote: Remote): boolean {
  if (!/^https?:\/\//i.test(remote.url) || /[{}]/.test(remote.url)) return false;
  return remote.type === 'streamable-http' || remote.type === 'streamable' || remote.type === 'http' || remote.type === 'sse';
}

/** Fixed arguments become args; a required one with no value given becomes something the server needs. */
function argumentsOf(pkg: Package, needs: string[]): string[] {
  const args: string[] = [];
  for (const argument of pkg.arguments.slice(0, MAX_ARGS)) {
    const value = argument.value ?? (argument.required ? argument.fallback : undefined);
    // A value with `{placeholders}` is a template for the user to fill in, not an argument to pass.
    if (value === undefined || /[{}]/.test(value)) {
      if (argument.required) needs.push(`argument ${argument.name ?? argument.hint ?? 'value'}`);
      continue;
    }
    if (argument.type === 'named' && argument.name !== undefined) args.push(argument.name);
    args.push(value);
  }
  return args;
}

function skipReason(listed: Listed): string {
  if (listed.status === 'deleted') return 'deleted from the registry';
  const npm = listed.packages.find((pkg) => pkg.registryType === 'npm');
  const templated = listed.remotes.find((remote) => /[{}]/.test(remote.url));
  if (templated !== undefined) return 'its remote URL is a template with values to fill in; add it by hand with url:';
  if (npm !== undefined && npm.transport !== 'stdio') return `its npm package serves over ${npm.transport}, not stdio, and no remote URL is listed`;
  if (npm !== undefined) return `its npm package is on another registry (${displayName(npm.registryBaseUrl, 80)})`;
  const types = [...new Set(listed.packages.map((pkg) => displayName(pkg.registryType, 20)))];
  if (types.length > 0) return `only ${types.join(' and ')} package${types.length > 1 ? 's' : ''}; mcp-risk scans npm packages, commands and URLs`;
  if (listed.remotes.length > 0) return 'no http or https remote mcp-risk can connect to';
  return 'no package or remote listed';
}

function entryFor(listed: Listed, name: string): CatalogueEntry | string {
  if (listed.status === 'deleted') return skipReason(listed);
  const needs: string[] = [];
  const npm = listed.packages.find(isNpmStdio);
  let entry: CatalogueEntry;
  if (npm !== undefined) {
    const version = npm.version === undefined || npm.version === 'latest' ? undefined : npm.version;
    entry = {
      name,
      source: { kind: 'npm', package: npm.identifier, ...(version !== undefined && { version }) },
      args: argumentsOf(npm, needs),
      env: {},
      headers: {},
      tags: ['registry', 'npm'],
      needs,
    };
    for (const variable of npm.environment) if (variable.required) needs.push(variable.name);
  } else {
    const remotes = listed.remotes.filter(scannableRemote);
    const remote = remotes.find((candidate) => candidate.type !== 'sse') ?? remotes[0];
    if (remote === undefined) return skipReason(listed);
    entry = { name, source: { kind: 'http', url: remote.url }, args: [], env: {}, headers: {}, tags: ['registry', 'remote'], needs };
    for (const header of remote.headers) if (header.required) needs.push(header.name);
  }
  entry.needs = [...new Set(needs)].slice(0, MAX_NEEDS);
  const problem = entryProblems(entry)[0];
  return problem === undefined ? entry : `not importable: ${problem}`;
}

function endpointOf(baseUrl: string): string {
  const trimmed = baseUrl.replace(/\/+$/, '');
  if (/\/servers$/.test(trimmed)) return trimmed;
  return /\/v0(\.\d+)?$/.test(trimmed) ? `${trimmed}/servers` : `${trimmed}/v0/servers`;
}

function parsePage(body: string, url: string): { items: Json[]; next?: string } {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    throw new McpRiskError('INPUT_INVALID', `${displayName(url, 200)}: the registry answered with something other than JSON`);
  }
  if (!isRecord(data) || !Array.isArray(data.servers)) {
    throw new McpRiskError('INPUT_INVALID', `${displayName(url, 200)}: not a registry server list (no servers array)`, {
      hint: 'Give the registry base URL, e.g. https://registry.modelcontextprotocol.io',
    });
  }
  const metadata = isRecord(data.metadata) ? data.metadata : {};
  const next = pick(metadata, 'nextCursor', 'next_cursor');
  return { items: data.servers.filter(isRecord), ...(typeof next === 'string' && next !== '' && { next }) };
}

/**
 * Walks the registry's server list page by page and turns each server into one catalogue entry: its npm
 * package over stdio when it has one, else a remote URL (Streamable HTTP before SSE), else a skip with
 * the reason. Of several versions of one server, the one marked latest (or the highest) is used.
 */
export async function importRegistry(baseUrl: string, options: ImportRegistryOptions = {}): Promise<ImportRegistryResult> {
  const endpoint = endpointOf(baseUrl);
  const limit = options.limit ?? 100;
  const maxPages = options.maxPages ?? 500;
  const fetchText = options.fetchText ?? defaultFetchText;
  const byName = new Map<string, Listed[]>();
  const seenCursors = new Set<string>();
  let cursor: string | undefined;
  let pages = 0;
  let order = 0;
  let incomplete: string | undefined;
  for (;;) {
    const url = `${endpoint}?limit=${limit}${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
    const fetchOptions = {
      accept: 'application/json',
      ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
      ...(options.maxBytes !== undefined && { maxBytes: options.maxBytes }),
    };
    const page = parsePage(await fetchText(url, fetchOptions), url);
    pages += 1;
    for (const item of page.items) {
      const listed = readListed(item, order);
      order += 1;
      if (listed === undefined) continue;
      byName.set(listed.rawName, [...(byName.get(listed.rawName) ?? []), listed]);
    }
    if (page.next === undefined) break;
    if (seenCursors.has(page.next)) {
      incomplete = `the registry returned cursor "${displayName(page.next, 60)}" a second time; stopped after ${pages} pages`;
      break;
    }
    if (pages >= maxPages) {
      incomplete = `stopped after ${maxPages} pages (maxPages); more servers are listed`;
      break;
    }
    seenCursors.add(page.next);
    cursor = page.next;
  }

  const entries: CatalogueEntry[] = [];
  const skipped: SkippedListing[] = [];
  const taken = new Set<string>();
  const chosen = [...byName.values()].map(chooseVersion).sort((a, b) => a.order - b.order);
  for (const listed of chosen) {
    const clean = cleanText(listed.rawName, MAX_NAME_LENGTH);
    if (clean === '') {
      skipped.push({ name: '?', reason: 'no usable name' });
      continue;
    }
    const result = entryFor(listed, uniqueName(clean, taken));
    if (typeof result === 'string') skipped.push({ name: clean, reason: result });
    else {
      taken.add(result.name);
      entries.push(result);
    }
  }
  return { entries, skipped, pages, ...(incomplete !== undefined && { incomplete }) };
}
