// Turns one catalogue entry into a listed server: resolve its version, install or connect, list, with retries.
import { existsSync } from 'node:fs';
import { expandEnvRefs } from '../catalogue/index.js';
import type { CatalogueEntry } from '../catalogue/index.js';
import { loadManifest, scanServer } from '../ingest/index.js';
import type { ScanOptions, ServerTarget } from '../ingest/index.js';
import type { SandboxSpec } from '../ingest/containment.js';
import { McpRiskError } from '../model/index.js';
import type { ServerSnapshot, SourceRef } from '../model/index.js';
import { resolveNpmVersion } from '../packages/index.js';
import type { InstallOptions } from '../packages/index.js';
import { scanNpmPackage } from './npm-source.js';
import { manifestVersion } from './fingerprint.js';
import type { ManifestHashes } from '../store/index.js';

export interface EntryScanOptions {
  install: InstallOptions;
  /** Whole scan of one server when the entry sets none. */
  timeoutMs: number;
  /** Extra attempts after a transient failure (a timeout, an HTTP server that failed). */
  retries: number;
  /** Our environment, for `${NAME}` references in env and header values (never anything else). */
  env: NodeJS.ProcessEnv;
  /** Start-up and listing limits, when given apart (`scan --connect-timeout`); else halves of the timeout. */
  scan?: ScanOptions;
  /** Run stdio servers and npm in bubblewrap (see containment.ts). */
  sandbox?: SandboxSpec;
  /** Manifest content hashes by file stamp (a refresh keeps them in its database). */
  manifestHashes?: ManifestHashes;
}

/** What a source resolves to before anything is started: the exact npm version, or a manifest's content hash. */
export async function resolveEntryVersion(entry: CatalogueEntry, options: EntryScanOptions): Promise<string | undefined> {
  const s = entry.source;
  if (s.kind === 'npm') return resolveNpmVersion({ name: s.package, range: s.version ?? '' }, options.install);
  if (s.kind === 'manifest') return manifestVersion(s.path, options.manifestHashes);
  return undefined;
}

export function sourceRefOf(entry: CatalogueEntry, resolvedVersion?: string): SourceRef {
  const s = entry.source;
  if (s.kind === 'npm') return { kind: 'npm', target: `npm:${s.package}@${resolvedVersion ?? s.version ?? 'latest'}` };
  if (s.kind === 'stdio') return { kind: 'stdio', target: [s.command, ...entry.args].join(' ') };
  if (s.kind === 'http') return { kind: 'http', target: s.url };
  return { kind: 'manifest', target: s.path };
}

/** A scan that never got as far as a server: recorded like any failed scan, so coverage stays explicit. */
export function failedSnapshot(entry: CatalogueEntry, error: string, startedAt: Date, resolvedVersion?: string): ServerSnapshot {
  return {
    name: entry.name,
    source: sourceRefOf(entry, resolvedVersion),
    status: 'failed',
    error: error.split('\n')[0]!.slice(0, 500),
    tools: [],
    findings: [],
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
  };
}

function isTransient(snapshot: ServerSnapshot, entry: CatalogueEntry): boolean {
  return snapshot.status === 'timeout' || (entry.source.kind === 'http' && snapshot.status === 'failed');
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Never throws for a server's misbehaviour or a failed install: the snapshot says what happened. */
export async function scanEntry(
  entry: CatalogueEntry,
  resolvedVersion: string | undefined,
  options: EntryScanOptions,
): Promise<{ snapshot: ServerSnapshot; attempts: number }> {
  const timeoutMs = entry.timeoutMs ?? options.timeoutMs;
  // Half to start and initialize, half to list: together they bound the whole scan.
  const half = Math.max(1, Math.floor(timeoutMs / 2));
  const scan: ScanOptions = {
    connectTimeoutMs: half,
    listTimeoutMs: half,
    ...options.scan,
    ...(options.sandbox !== undefined && { sandbox: options.sandbox }),
  };
  let attempts = 0;
  for (;;) {
    attempts += 1;
    const startedAt = new Date();
    let snapshot: ServerSnapshot;
    try {
      snapshot = await scanOnce(entry, resolvedVersion, scan, options);
    } catch (error) {
      if (!(error instanceof McpRiskError)) throw error;
      snapshot = failedSnapshot(entry, error.message, startedAt, resolvedVersion);
    }
    snapshot.name = entry.name;
    if (!isTransient(snapshot, entry) || attempts > options.retries) return { snapshot, attempts };
    await sleep(500 * attempts);
  }
}

async function scanOnce(entry: CatalogueEntry, resolvedVersion: string | undefined, scan: ScanOptions, options: EntryScanOptions): Promise<ServerSnapshot> {
  const s = entry.source;
  if (s.kind === 'manifest') {
    if (!existsSync(s.path)) throw new McpRiskError('INPUT_NOT_FOUND', `manifest ${s.path} does not exist`);
    const manifest = await loadManifest(s.path);
    if (manifest.kind !== 'snapshot')
      throw new McpRiskError('NOT_A_TOOL_LIST', `manifest ${s.path} is a client config; list its servers in the catalogue instead`);
    return manifest.snapshot;
  }
  const env = expandEnvRefs(entry.env, options.env, entry.name);
  if (s.kind === 'npm') {
    const scanned = await scanNpmPackage({
      spec: { name: s.package, range: resolvedVersion ?? s.version ?? '' },
      install: {
        ...options.install,
        ...(s.bin !== undefined && { bin: s.bin }),
        ...(options.sandbox !== undefined && { sandbox: options.sandbox }),
      },
      args: entry.args,
      env,
      name: entry.name,
      scan,
    });
    return scanned.snapshot;
  }
  const target: ServerTarget =
    s.kind === 'stdio'
      ? { kind: 'stdio', name: entry.name, command: s.command, args: entry.args, env, ...(s.cwd !== undefined ? { cwd: s.cwd } : {}) }
      : { kind: 'http', name: entry.name, url: s.url, headers: expandEnvRefs(entry.headers, options.env, entry.name) };
  const snapshot = await scanServer(target, scan);
  return snapshot;
}
