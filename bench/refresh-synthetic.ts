// Benchmark: `refresh` of a synthetic catalogue of 5,000 manifest servers (50,000 tools): wall time, peak memory, DB size, and an unchanged second refresh.
// Run directly: node --import tsx bench/refresh-synthetic.ts   (exits 1 when a server is not ok or the tool count is wrong)
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { pathToFileURL } from 'node:url';
import type { Catalogue, CatalogueEntry } from '../src/catalogue/index.js';
import type { ToolDefinition } from '../src/model/index.js';
import type { LlmContext } from '../src/pipeline/analyse.js';
import { runRefresh } from '../src/refresh/refresh.js';
import type { RefreshSummary } from '../src/refresh/refresh.js';
import { openStore } from '../src/store/index.js';

export const SERVERS = Number(process.env.BENCH_SERVERS ?? 5_000);
export const TOOLS_PER_SERVER = 10;
const SAMPLE_MS = 50;

export interface RefreshSyntheticResult {
  servers: number;
  tools: number;
  concurrency: number;
  wallMs: number;
  toolsPerSecond: number;
  peakRss: number;
  peakHeapUsed: number;
  /** The process's lifetime peak RSS (getrusage), which also covers the second refresh and setup. */
  processMaxRss: number;
  dbBytes: number;
  first: RefreshSummary;
  second: RefreshSummary;
  secondWallMs: number;
  /** An unchanged refresh with every manifest's stamp recorded: one stat per manifest. */
  stampedWallMs: number;
  /** The same with the stamps dropped: every manifest read and hashed, as before stamps. */
  rehashWallMs: number;
  problems: string[];
  pass: boolean;
}

/** The captured real tool definitions, in a stable order. */
function toolPool(): ToolDefinition[] {
  const dir = new URL('../test/fixtures/servers/', import.meta.url);
  const pool: ToolDefinition[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    pool.push(...(JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as { tools: ToolDefinition[] }).tools);
  }
  return pool;
}

/** One tool-list file per server, ten real tools each with names suffixed per server, so every tool hash differs. */
export function buildCatalogue(dir: string, servers = SERVERS): Catalogue {
  const pool = toolPool();
  const entries: CatalogueEntry[] = [];
  for (let s = 0; s < servers; s++) {
    const tools = Array.from({ length: TOOLS_PER_SERVER }, (_, i) => {
      const t = pool[(s * TOOLS_PER_SERVER + i) % pool.length]!;
      return { ...t, name: `${t.name}_s${s}` };
    });
    const path = join(dir, `server-${s}.json`);
    writeFileSync(path, JSON.stringify({ tools }));
    entries.push({ name: `synthetic-${s}`, source: { kind: 'manifest', path }, args: [], env: {}, headers: {}, tags: [], needs: [] });
  }
  return { entries, defaults: { tags: [] } };
}

function fileSize(path: string): number {
  return existsSync(path) ? statSync(path).size : 0;
}

export async function runRefreshSyntheticBenchmark(): Promise<RefreshSyntheticResult> {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-bench-synthetic-'));
  const manifests = join(dir, 'manifests');
  mkdirSync(manifests);
  const catalogue = buildCatalogue(manifests);
  const tools = SERVERS * TOOLS_PER_SERVER;
  const concurrency = cpus().length;
  const llm: LlmContext = { enabled: false, reason: 'benchmark' };
  const options = { concurrency, install: {}, timeoutMs: 60_000, retries: 0, env: process.env };
  const db = join(dir, 'synthetic.db');

  try {
    let peakRss = 0;
    let peakHeapUsed = 0;
    const sample = (): void => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeapUsed = Math.max(peakHeapUsed, m.heapUsed);
    };
    // Samples only land when the event loop turns; the refresh awaits per server, so it does often.
    const timer = setInterval(sample, SAMPLE_MS);
    let store = openStore(db);
    let first: RefreshSummary;
    let wallMs: number;
    try {
      sample();
      const started = performance.now();
      first = await runRefresh(catalogue, store, llm, options);
      wallMs = performance.now() - started;
      sample();
    } finally {
      clearInterval(timer);
      store.close();
    }
    // Closed, so the WAL is checkpointed into the main file; count any remainder too.
    const dbBytes = fileSize(db) + fileSize(`${db}-wal`);

    store = openStore(db);
    let second: RefreshSummary;
    let secondWallMs: number;
    let stampedWallMs: number;
    let rehashWallMs: number;
    try {
      const unchanged = async (): Promise<[RefreshSummary, number]> => {
        const started = performance.now();
        const summary = await runRefresh(catalogue, store, llm, options);
        return [summary, performance.now() - started];
      };
      [second, secondWallMs] = await unchanged();
      // Every manifest's stamp is recorded by now (those hashed within 2 s of being written were not,
      // the first time): this is the nightly case. Then without stamps, every manifest read and hashed.
      stampedWallMs = (await unchanged())[1];
      const raw = new Database(db);
      raw.exec('DELETE FROM manifest_stamps');
      raw.close();
      rehashWallMs = (await unchanged())[1];
    } finally {
      store.close();
    }

    const problems: string[] = [];
    if (first.byOutcome.ok !== SERVERS) problems.push(`first refresh: ${first.byOutcome.ok}/${SERVERS} ok ${JSON.stringify(first.byOutcome)}`);
    for (const nc of first.notCovered.slice(0, 5)) problems.push(`${nc.name}: ${nc.status}${nc.error !== undefined ? ` (${nc.error})` : ''}`);
    if (first.tools.total !== tools) problems.push(`first refresh stored ${first.tools.total} tools, expected ${tools}`);
    if (first.classified !== tools) problems.push(`first refresh classified ${first.classified} tools, expected ${tools}`);
    if (second.byOutcome.unchanged !== SERVERS)
      problems.push(`second refresh: ${second.byOutcome.unchanged}/${SERVERS} unchanged ${JSON.stringify(second.byOutcome)}`);
    if (second.classified !== 0) problems.push(`second refresh classified ${second.classified} tools, expected 0`);
    return {
      servers: SERVERS,
      tools,
      concurrency,
      wallMs,
      toolsPerSecond: tools / (wallMs / 1000),
      peakRss,
      peakHeapUsed,
      processMaxRss: process.resourceUsage().maxRSS * 1024,
      dbBytes,
      first,
      second,
      secondWallMs,
      stampedWallMs,
      rehashWallMs,
      problems,
      pass: problems.length === 0,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatRefreshSynthetic(r: RefreshSyntheticResult): string {
  const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
  return [
    `refresh, synthetic catalogue: ${r.servers.toLocaleString('en-US')} manifest servers, ${r.tools.toLocaleString('en-US')} tools, concurrency ${r.concurrency}, rules only:`,
    `  first refresh:   ${s(r.wallMs)} = ${Math.round(r.toolsPerSecond).toLocaleString('en-US')} tools/s, ${(r.wallMs / r.servers).toFixed(2)} ms/server ` +
      `(${r.first.byOutcome.ok} ok, ${r.first.tools.total.toLocaleString('en-US')} tools stored)`,
    `  peak memory:     RSS ${mb(r.peakRss)}, heapUsed ${mb(r.peakHeapUsed)} (sampled every ${SAMPLE_MS} ms; process max RSS ${mb(r.processMaxRss)})`,
    `  database:        ${mb(r.dbBytes)} (${Math.round(r.dbBytes / r.tools).toLocaleString('en-US')} bytes/tool)`,
    `  unchanged rerun: ${s(r.secondWallMs)}, ${r.second.byOutcome.unchanged} unchanged, ${r.second.classified} classified ` +
      `(${(r.wallMs / r.secondWallMs).toFixed(1)}x faster)`,
    `  unchanged, every stamp recorded: ${s(r.stampedWallMs)}; the same re-reading and hashing every manifest (no stamps, as before): ${s(r.rehashWallMs)}`,
    ...r.problems.map((p) => `  problem: ${p}`),
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await runRefreshSyntheticBenchmark();
  console.log(`${formatRefreshSynthetic(r)} ${r.pass ? 'PASS' : 'FAIL'}`);
  process.exitCode = r.pass ? 0 : 1;
}
