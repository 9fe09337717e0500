// Benchmark: database bytes per stored tool, and per tool for a forced rescan that changes nothing, in
// this build's layout against the layout of schema version 5 (definitions and verdicts as JSON text keyed
// by hash, verdict findings copied per scan, two more indexes) holding the same scans.
// Run directly: node --import tsx bench/store-size.ts   (exits 1 when a target is missed)
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import type { Classification, ServerSnapshot } from '../src/model/index.js';
import { runRefresh } from '../src/refresh/refresh.js';
import { migrations, openStore } from '../src/store/index.js';
import type { Store } from '../src/store/index.js';
import { recordLegacyScan } from '../test/store/legacy.js';
import { buildCatalogue, TOOLS_PER_SERVER } from './refresh-synthetic.js';

export const MAX_BYTES_PER_TOOL = 2_000;
export const MAX_RESCAN_BYTES_PER_TOOL = 150;
const SERVERS = Number(process.env.BENCH_STORE_SERVERS ?? 1_000);

export interface StoreSizeResult {
  servers: number;
  tools: number;
  ours: { bytesPerTool: number; rescanBytesPerTool: number };
  legacy: { bytesPerTool: number; rescanBytesPerTool: number };
  pass: boolean;
}

function fileBytes(path: string): number {
  // Closed before measuring, so the WAL is checkpointed into the file.
  return statSync(path).size;
}

/** Every stored scan read back whole, as a snapshot and its verdicts, oldest first. */
function scansOf(store: Store): Array<{ snapshot: ServerSnapshot; verdicts: Classification[] }> {
  const out: Array<{ snapshot: ServerSnapshot; verdicts: Classification[] }> = [];
  for (const server of store.listServers()) {
    for (const info of store.listScans(server.name)) {
      const { scan, tools, findings } = store.scanResult(info.id);
      out.push({
        snapshot: {
          name: scan.serverName,
          source: scan.source,
          status: scan.status,
          ...(scan.serverInfo !== undefined && { serverInfo: scan.serverInfo }),
          tools: tools.map((t) => ({ definition: t.definition, hash: t.hash })),
          findings,
          startedAt: scan.startedAt,
          durationMs: scan.durationMs,
        },
        verdicts: tools.flatMap((t) => (t.classification ? [t.classification] : [])),
      });
    }
  }
  return out;
}

export async function runStoreSizeBenchmark(): Promise<StoreSizeResult> {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-bench-store-'));
  try {
    mkdirSync(join(dir, 'manifests'));
    const catalogue = buildCatalogue(join(dir, 'manifests'), SERVERS);
    const tools = SERVERS * TOOLS_PER_SERVER;
    const options = { concurrency: 2, install: {}, timeoutMs: 60_000, retries: 0, env: {} };
    const llm = { enabled: false as const, reason: 'benchmark' };

    const ours = join(dir, 'ours.db');
    let store = openStore(ours);
    await runRefresh(catalogue, store, llm, options);
    store.close();
    const oursFirst = fileBytes(ours);
    store = openStore(ours);
    await runRefresh(catalogue, store, llm, { ...options, force: true });
    const scans = scansOf(store);
    store.close();
    const oursSecond = fileBytes(ours);

    // The same scans in the old layout: the first of each server's two, then the rescan.
    const legacy = join(dir, 'legacy.db');
    openStore(legacy, { migrations: migrations.slice(0, 5) }).close();
    const old = new Database(legacy);
    const half = (k: 0 | 1): void => {
      old.transaction(() => {
        scans.forEach((s, i) => {
          if (i % 2 === k) recordLegacyScan(old, s.snapshot, s.verdicts);
        });
      })();
    };
    half(0);
    old.close();
    const legacyFirst = fileBytes(legacy);
    const reopened = new Database(legacy);
    const again = scans.filter((_, i) => i % 2 === 1);
    reopened.transaction(() => {
      for (const s of again) recordLegacyScan(reopened, s.snapshot, s.verdicts);
    })();
    reopened.close();
    const legacySecond = fileBytes(legacy);

    const result: StoreSizeResult = {
      servers: SERVERS,
      tools,
      ours: { bytesPerTool: oursFirst / tools, rescanBytesPerTool: (oursSecond - oursFirst) / tools },
      legacy: { bytesPerTool: legacyFirst / tools, rescanBytesPerTool: (legacySecond - legacyFirst) / tools },
      pass: false,
    };
    result.pass = result.ours.bytesPerTool <= MAX_BYTES_PER_TOOL && result.ours.rescanBytesPerTool <= MAX_RESCAN_BYTES_PER_TOOL;
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatStoreSize(r: StoreSizeResult): string {
  const b = (n: number): string => `${Math.round(n).toLocaleString('en-US')} B`;
  return (
    `database size, ${r.servers.toLocaleString('en-US')} synthetic servers / ${r.tools.toLocaleString('en-US')} real-shaped tools: ` +
    `${b(r.ours.bytesPerTool)}/tool stored (schema 5 layout: ${b(r.legacy.bytesPerTool)}; target ≤ ${b(MAX_BYTES_PER_TOOL)}), ` +
    `a forced rescan of unchanged tools adds ${b(r.ours.rescanBytesPerTool)}/tool (schema 5: ${b(r.legacy.rescanBytesPerTool)}; target ≤ ${b(MAX_RESCAN_BYTES_PER_TOOL)})`
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await runStoreSizeBenchmark();
  console.log(`${formatStoreSize(r)} ${r.pass ? 'PASS' : 'FAIL'}`);
  process.exitCode = r.pass ? 0 : 1;
}
