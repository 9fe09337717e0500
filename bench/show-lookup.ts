// Benchmark: `mcp-risk show SERVER` (in process, the table) against a database of 5,000 and of 20,000
// servers, next to the name check it made before (listing every server to find one): the lookup is now
// one indexed query, so `show` should not grow with the number of servers.
// Run directly: node --import tsx bench/show-lookup.ts   (exits 1 when show at 20,000 takes over 2x its time at 5,000)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { run } from '../src/cli.js';
import { toToolRecord } from '../src/model/index.js';
import type { Classification, ToolRecord } from '../src/model/index.js';
import { openStore } from '../src/store/index.js';

const SIZES = [5_000, 20_000] as const;
const ROUNDS = 15;

export interface ShowLookupResult {
  rows: Array<{ servers: number; showMs: number; listAllMs: number }>;
  pass: boolean;
}

function verdictFor(t: ToolRecord): Classification {
  return {
    tool: t.definition.name,
    hash: t.hash,
    category: 'Read',
    risk: 'Low',
    capabilities: [],
    signals: [],
    evidence: [{ rule: 'verb.name', path: 'name', match: 'get' }],
    rationale: 'Reads.',
    confidence: 0.9,
    method: 'rules',
    provenance: { rules: 'rules@bench', taxonomy: 'taxonomy@bench' },
    findings: [],
  };
}

/** Median milliseconds of `fn` over ROUNDS calls, after one warm-up. */
async function median(fn: () => Promise<unknown> | unknown): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

export async function runShowLookupBenchmark(): Promise<ShowLookupResult> {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-bench-show-'));
  try {
    const rows: ShowLookupResult['rows'] = [];
    const db = join(dir, 'show.db');
    let stored = 0;
    for (const servers of SIZES) {
      const store = openStore(db);
      try {
        for (; stored < servers; stored++) {
          const tools = [0, 1].map((i) =>
            toToolRecord({ name: `get_item_${i}`, description: `Gets item ${i} of server ${stored}.`, inputSchema: { type: 'object' } }),
          );
          store.recordScan(
            {
              name: `server-${String(stored).padStart(5, '0')}`,
              source: { kind: 'manifest', target: `/catalogue/server-${stored}.json` },
              status: 'ok',
              tools,
              findings: [],
              startedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, stored)).toISOString(),
              durationMs: 5,
            },
            tools.map(verdictFor),
          );
        }
        const name = `server-${String(Math.floor(servers / 2)).padStart(5, '0')}`;
        const io = { out: () => undefined, err: () => undefined, color: false, env: {}, isTTY: false };
        const showMs = await median(async () => {
          const code = await run(['show', name, '--db', db], io);
          if (code !== 0) throw new Error(`show ${name} exited ${code}`);
        });
        const listAllMs = await median(() => store.listServers().some((s) => s.name === name));
        rows.push({ servers, showMs, listAllMs });
      } finally {
        store.close();
      }
    }
    return { rows, pass: rows[1]!.showMs <= 2 * rows[0]!.showMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatShowLookup(r: ShowLookupResult): string {
  const cells = r.rows.map(
    (row) =>
      `${row.servers.toLocaleString('en-US')} servers: show ${row.showMs.toFixed(1)} ms (the name check by listing every server, as before: ${row.listAllMs.toFixed(0)} ms)`,
  );
  return `show SERVER, median of ${ROUNDS}: ${cells.join('; ')}`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await runShowLookupBenchmark();
  console.log(`${formatShowLookup(r)} ${r.pass ? 'PASS' : 'FAIL'}`);
  process.exitCode = r.pass ? 0 : 1;
}
