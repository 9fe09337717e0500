// Benchmark: `refresh` of a catalogue of the 15 real MCP servers in our devDependencies (npm sources, offline cache): concurrency 1 vs 4, and an unchanged second refresh.
// Run directly: node --import tsx bench/refresh-real.ts   (exits 1 when a target is missed)
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Catalogue, CatalogueEntry } from '../src/catalogue/index.js';
import { installDirFor, markInstalled } from '../src/packages/cache.js';
import type { LlmContext } from '../src/pipeline/analyse.js';
import { runRefresh } from '../src/refresh/refresh.js';
import type { RefreshOptions, RefreshSummary } from '../src/refresh/refresh.js';
import { openStore } from '../src/store/index.js';
import { FIXTURE_SERVERS } from '../test/fixtures/servers.js';

/** The unchanged second refresh must be at least this many times faster than the first. */
export const TARGET_UNCHANGED_RATIO = 10;
export const HIGH_CONCURRENCY = 4;

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface RefreshRunFigures {
  wallMs: number;
  summary: RefreshSummary;
}

export interface RefreshRealResult {
  servers: number;
  c1: RefreshRunFigures;
  c4: RefreshRunFigures;
  unchanged: RefreshRunFigures;
  /** c1 / c4 wall time; reported only (the machine has 2 cores). */
  concurrencyRatio: number;
  /** first (c4) / unchanged second refresh wall time. */
  unchangedRatio: number;
  /** Servers that were not `ok` in a scanning run, with why. */
  notOk: string[];
  pass: boolean;
}

function installedVersion(packageName: string): string {
  return (JSON.parse(readFileSync(join(ROOT, 'node_modules', packageName, 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * One npm entry per fixture server, at its installed version, each served from a prepared cache entry
 * (the repo's node_modules standing in for what npm would have installed, as test/packages/install.test.ts
 * does), so the package path runs with no network. Every bin resolves this way, so no entry needs a
 * `command` fallback.
 */
function buildCatalogue(cacheDir: string, workDir: string): Catalogue {
  const entries: CatalogueEntry[] = FIXTURE_SERVERS.map((server) => {
    const version = installedVersion(server.packageName);
    const installDir = installDirFor(cacheDir, server.packageName, version);
    mkdirSync(installDir, { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(installDir, 'node_modules'), 'dir');
    markInstalled(installDir, server.packageName, version);
    // The filesystem server gets a private, empty folder instead of the fixture's /tmp.
    const args = server.id === 'filesystem' ? [workDir] : server.args;
    return {
      name: server.id,
      source: { kind: 'npm', package: server.packageName, version },
      args,
      env: server.env,
      headers: {},
      tags: [],
      needs: [],
    };
  });
  return { entries, defaults: { tags: [] } };
}

export async function runRefreshRealBenchmark(): Promise<RefreshRealResult> {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-bench-refresh-'));
  const cacheDir = join(dir, 'cache');
  const workDir = join(dir, 'fs-root');
  mkdirSync(workDir, { recursive: true });
  const catalogue = buildCatalogue(cacheDir, workDir);
  const llm: LlmContext = { enabled: false, reason: 'benchmark' };
  const base: RefreshOptions = { install: { cacheDir, offline: true }, timeoutMs: 60_000, retries: 1, env: process.env };

  const refresh = async (db: string, options: Partial<RefreshOptions>): Promise<RefreshRunFigures> => {
    const store = openStore(db);
    try {
      const started = performance.now();
      const summary = await runRefresh(catalogue, store, llm, { ...base, ...options });
      return { wallMs: performance.now() - started, summary };
    } finally {
      store.close();
    }
  };

  try {
    // Warm-up on a throwaway DB: loads every server's modules into the page cache, so neither measured run pays for it alone.
    await refresh(join(dir, 'warmup.db'), { concurrency: HIGH_CONCURRENCY, force: true });
    const c1 = await refresh(join(dir, 'c1.db'), { concurrency: 1, force: true });
    const c4Db = join(dir, 'c4.db');
    const c4 = await refresh(c4Db, { concurrency: HIGH_CONCURRENCY });
    const unchanged = await refresh(c4Db, { concurrency: HIGH_CONCURRENCY });

    const servers = catalogue.entries.length;
    const notOk: string[] = [];
    for (const [label, run] of [
      ['c1', c1],
      ['c4', c4],
    ] as const) {
      for (const nc of run.summary.notCovered) notOk.push(`${label} ${nc.name}: ${nc.status}${nc.error !== undefined ? ` (${nc.error})` : ''}`);
      if (run.summary.byOutcome.ok !== servers && run.summary.notCovered.length === 0) notOk.push(`${label}: ${JSON.stringify(run.summary.byOutcome)}`);
    }
    const concurrencyRatio = c1.wallMs / c4.wallMs;
    const unchangedRatio = c4.wallMs / unchanged.wallMs;
    const pass =
      notOk.length === 0 && unchangedRatio >= TARGET_UNCHANGED_RATIO && unchanged.summary.classified === 0 && unchanged.summary.byOutcome.unchanged === servers;
    return { servers, c1, c4, unchanged, concurrencyRatio, unchangedRatio, notOk, pass };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatRefreshReal(r: RefreshRealResult): string {
  const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
  const tools = (f: RefreshRunFigures): string => `${f.summary.tools.total} tools, ${f.summary.classified} classified`;
  return [
    `refresh, ${r.servers} real servers from npm (offline cache, rules only):`,
    `  concurrency 1:               ${s(r.c1.wallMs)} (${r.c1.summary.byOutcome.ok}/${r.servers} ok, ${tools(r.c1)})`,
    `  concurrency ${HIGH_CONCURRENCY}:               ${s(r.c4.wallMs)} (${r.c4.summary.byOutcome.ok}/${r.servers} ok, ${tools(r.c4)})`,
    `  c1 / c${HIGH_CONCURRENCY}:                     ${r.concurrencyRatio.toFixed(2)}x (reported only; 2 cores)`,
    `  unchanged second refresh:    ${r.unchanged.wallMs.toFixed(1)} ms, ${r.unchanged.summary.byOutcome.unchanged}/${r.servers} unchanged, ` +
      `${r.unchanged.summary.classified} classified (target 0)`,
    `  first / second:              ${r.unchangedRatio.toFixed(0)}x faster (target ≥ ${TARGET_UNCHANGED_RATIO}x)`,
    ...r.notOk.map((line) => `  not ok: ${line}`),
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await runRefreshRealBenchmark();
  console.log(`${formatRefreshReal(r)} ${r.pass ? 'PASS' : 'FAIL'}`);
  process.exitCode = r.pass ? 0 : 1;
}
