// What `scan`'s command line asks to scan, as the entries refresh would scan: one server, a client
// config's servers, or every server of the client configs discovery finds; `--server` picks one.
import type { CatalogueEntry } from '../catalogue/index.js';
import { loadManifest } from '../ingest/index.js';
import type { ServerTarget } from '../ingest/index.js';
import type { ConfigWarning } from '../ingest/client-config.js';
import type { SplitName } from '../ingest/config-names.js';
import { discoverServers } from '../ingest/discover.js';
import type { DiscoveryPlaces } from '../ingest/discover.js';
import { parseHttpUrl } from '../ingest/scan.js';
import { serverNameFor } from '../ingest/server-name.js';
import { McpRiskError } from '../model/errors.js';
import { safeText } from '../output/safe-text.js';
import { parseNpmSpec } from '../packages/npm-spec.js';
import { note } from '../cli/io.js';
import type { Io } from '../cli/io.js';

export interface EntryRequest {
  positionals: string[];
  serverCommand: string[];
  name: string | undefined;
  env: Record<string, string>;
  headers: Record<string, string>;
  bin: string | undefined;
  /** `--server`: one server of a client config or of discovery. */
  server: string | undefined;
  /** `--discover`: where to look; undefined without the flag. */
  discover: DiscoveryPlaces | undefined;
  /** Resolves a client config's `${workspaceFolder}` and `${userHome}`. */
  project: string;
  home: string | undefined;
}

export interface PlannedEntries {
  entries: CatalogueEntry[];
  /** Per entry name, the configs (discovery labels) or file that defined it; absent for a single server. */
  from: Map<string, string[]>;
  /** The client config, or "the client configs", the entries came from. */
  where?: string;
}

/** A value from our command line, escaped so that the catalogue's `${NAME}` expansion leaves it as written. */
const literal = (values: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.replaceAll('${', '$${')]));

function entry(name: string, source: CatalogueEntry['source'], over: Partial<CatalogueEntry> = {}): CatalogueEntry {
  return { name, source, args: [], env: {}, headers: {}, tags: [], needs: [], ...over };
}

/**
 * The entries to scan. Each is named by what was scanned (see serverNameFor) unless --name says
 * otherwise; a client config's servers by their keys. What a config could not give (a placeholder, a
 * value from the client's environment) and a name split between configs are said on stderr.
 */
export async function scanEntries(request: EntryRequest, io: Pick<Io, 'err'>): Promise<PlannedEntries> {
  const { positionals, serverCommand } = request;
  const onlyOne = (): void => {
    if (request.server !== undefined) throw new McpRiskError('USAGE', '--server picks a server of a client config or of --discover; this scan has one server');
  };
  if (request.discover !== undefined) {
    if (positionals.length > 0 || serverCommand.length > 0) {
      throw new McpRiskError('USAGE', '--discover finds the servers to scan itself: give it no file, URL, npm: spec or -- command');
    }
    return pick(await discovered(request.discover, io, request.server), request);
  }
  const input = positionals[0];
  if (serverCommand.length > 0 || positionals.length !== 1 || input === undefined || input.startsWith('npm:') || /^https?:\/\//i.test(input)) {
    onlyOne();
    return { entries: single(request), from: new Map() };
  }
  const manifest = await loadManifest(input, { project: request.project, ...(request.home !== undefined ? { home: request.home } : {}) });
  if (manifest.kind === 'snapshot') {
    onlyOne();
    return { entries: [entry(request.name ?? manifest.snapshot.name, { kind: 'manifest', path: input })], from: new Map() };
  }
  reportConfig(
    manifest.warnings.map((w) => ({ ...w, path: input })),
    manifest.split,
    io,
    request.server,
  );
  const servers = manifest.targets.map((target) => ({ target: { ...target, name: target.name ?? '' }, from: [input] }));
  return pick({ where: safeText(input, 300), servers }, request);
}

interface ConfigServers {
  /** Where they came from, for messages: a file, or "the client configs". */
  where: string;
  servers: Array<{ target: ServerTarget & { name: string }; from: string[] }>;
}

/** `--server NAME` out of a config's servers, `--name` only with it; every server's env and headers plus ours. */
function pick(configs: ConfigServers, request: EntryRequest): PlannedEntries {
  let servers = configs.servers;
  if (request.server !== undefined) {
    servers = servers.filter((s) => s.target.name === request.server);
    if (servers.length === 0) {
      const names = configs.servers.map((s) => safeText(s.target.name, 80)).join(', ');
      throw new McpRiskError('USAGE', `no server "${safeText(request.server, 80)}" in ${configs.where}; the servers are: ${names || '(none)'}`);
    }
  } else if (request.name !== undefined) {
    throw new McpRiskError('USAGE', `--name names one server, and ${configs.where} holds a map of them`, { hint: 'pick the one with --server NAME' });
  }
  const env = literal(request.env);
  const headers = literal(request.headers);
  const from = new Map<string, string[]>();
  const entries = servers.map(({ target, from: labels }) => {
    const name = request.name ?? target.name;
    from.set(name, labels);
    return target.kind === 'stdio'
      ? entry(
          name,
          { kind: 'stdio', command: target.command, ...(target.cwd ? { cwd: target.cwd } : {}) },
          { args: target.args, env: { ...literal(target.env ?? {}), ...env } },
        )
      : entry(name, { kind: 'http', url: target.url }, { headers: { ...literal(target.headers ?? {}), ...headers } });
  });
  return { entries, from, where: configs.where };
}

async function discovered(places: DiscoveryPlaces, io: Pick<Io, 'err'>, only: string | undefined): Promise<ConfigServers> {
  const found = await discoverServers(places);
  for (const r of found.read) note(io, `mcp-risk: discover: read ${safeText(r.path, 300)} (${r.client}): ${r.servers} server${r.servers === 1 ? '' : 's'}\n`);
  for (const s of found.skipped) io.err(`mcp-risk: warning: discover: ${safeText(s.reason, 400)}; skipped\n`);
  reportConfig(found.warnings, found.split, io, only);
  return { where: 'the client configs', servers: found.servers };
}

/** Warnings and split names, on stderr; with `--server`, only those about that server. */
function reportConfig(
  warnings: ReadonlyArray<ConfigWarning & { path: string }>,
  split: readonly SplitName[],
  io: Pick<Io, 'err'>,
  only: string | undefined,
): void {
  const about = (key: string): boolean => only === undefined || only === key || only.startsWith(`${key}@`);
  for (const w of warnings.filter((x) => about(x.server)))
    io.err(`mcp-risk: warning: ${safeText(w.path, 300)}: server "${safeText(w.server, 80)}": ${safeText(w.message, 300)}\n`);
  for (const s of split.filter((x) => about(x.key))) {
    io.err(
      `mcp-risk: note: "${safeText(s.key, 80)}" names different servers in ${safeText(s.labels.join(', '), 300)}: scanned apart, as ${safeText(s.names.join(', '), 300)}\n`,
    );
  }
}

/** One server: an npm package, a command after `--`, or a URL. */
function single(request: EntryRequest): CatalogueEntry[] {
  const { positionals, serverCommand, name } = request;
  const env = literal(request.env);
  const headers = literal(request.headers);
  const named = (source: CatalogueEntry['source'], over: Partial<CatalogueEntry> = {}): CatalogueEntry[] => [
    entry(name ?? serverNameFor(source, over.args ?? []), source, over),
  ];
  // `scan npm:pkg -- args`: what follows `--` goes to the package's bin.
  if (positionals.length === 1 && positionals[0]!.startsWith('npm:')) {
    const spec = parseNpmSpec(positionals[0]!);
    return named(
      { kind: 'npm', package: spec.name, ...(spec.range ? { version: spec.range } : {}), ...(request.bin ? { bin: request.bin } : {}) },
      { args: serverCommand, env },
    );
  }
  if (serverCommand.length > 0) {
    if (positionals.length > 0) throw new McpRiskError('USAGE', `scan takes either '-- <command>' or one file/URL, not both`);
    const [command, ...args] = serverCommand as [string, ...string[]];
    if (command.trim() === '') throw new McpRiskError('USAGE', 'the server command is empty');
    return named({ kind: 'stdio', command }, { args, env });
  }
  if (positionals.length !== 1) {
    throw new McpRiskError('USAGE', 'scan needs a server: -- <command> [args...], an http(s) URL, a manifest file, or --discover', {
      hint: 'run mcp-risk scan --help',
    });
  }
  parseHttpUrl(positionals[0]!);
  return named({ kind: 'http', url: positionals[0]! }, { headers });
}
