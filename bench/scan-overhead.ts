// Benchmark: what classification, storage and policy add to a scan of server-everything,
// compared with a bare connect + tools/list of the same server through the MCP SDK.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { scanServer } from '../src/ingest/index.js';
import { classifySnapshot } from '../src/classify/index.js';
import { openStore } from '../src/store/index.js';
import { renderPolicy, starterPolicyFor, viewFromSnapshot } from '../src/output/index.js';
import { writeFileAtomic } from '../src/cli/files.js';
import { resolveFixtureServer, FIXTURE_SERVERS } from '../test/fixtures/servers.js';

export interface ScanOverheadResult {
  runs: number;
  bareMedianMs: number;
  scanMedianMs: number;
  /** classify + store + policy, measured around those stages only. */
  postListMedianMs: number;
  /** postList / bare: the share the issue bounds at 10%. */
  overheadRatio: number;
  /** postList / the whole mcp-risk scan. */
  shareOfScan: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

export async function runScanOverheadBenchmark(runs = 7): Promise<ScanOverheadResult> {
  const { script } = resolveFixtureServer(FIXTURE_SERVERS.find((s) => s.id === 'everything')!);
  const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-bench-'));
  const store = openStore(join(dir, 'bench.db'));
  const bare: number[] = [];
  const full: number[] = [];
  const postList: number[] = [];
  try {
    for (let i = 0; i < runs + 1; i++) {
      let t0 = performance.now();
      const client = new Client({ name: 'bench', version: '0' });
      await client.connect(new StdioClientTransport({ command: process.execPath, args: [script, 'stdio'], stderr: 'ignore' }));
      await client.listTools();
      // Stop the clock before close(): the SDK's close waits on the child's exit, which is not scanning work.
      const bareMs = performance.now() - t0;
      await client.close();

      t0 = performance.now();
      const snapshot = await scanServer({ kind: 'stdio', command: process.execPath, args: [script, 'stdio'] });
      const t1 = performance.now();
      const classifications = classifySnapshot(snapshot);
      const scanId = store.recordScan(snapshot, classifications);
      const policy = starterPolicyFor(viewFromSnapshot(snapshot, classifications, scanId));
      writeFileAtomic(join(dir, 'policy.json'), renderPolicy(policy));
      const t2 = performance.now();
      if (i === 0) continue; // warm-up: module loading and the first page cache fill
      bare.push(bareMs);
      full.push(t2 - t0);
      postList.push(t2 - t1);
    }
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const bareMedianMs = median(bare);
  const postListMedianMs = median(postList);
  return {
    runs,
    bareMedianMs,
    scanMedianMs: median(full),
    postListMedianMs,
    overheadRatio: postListMedianMs / bareMedianMs,
    shareOfScan: postListMedianMs / median(full),
  };
}

export function formatScanOverhead(r: ScanOverheadResult): string {
  return [
    `scan overhead (server-everything, stdio, median of ${r.runs} runs after a warm-up):`,
    `  bare SDK connect + tools/list   ${r.bareMedianMs.toFixed(1)} ms`,
    `  mcp-risk scan (all stages)      ${r.scanMedianMs.toFixed(1)} ms`,
    `  classify + store + policy       ${r.postListMedianMs.toFixed(2)} ms = ${(r.overheadRatio * 100).toFixed(2)}% of the bare scan (target < 10%), ${(r.shareOfScan * 100).toFixed(2)}% of mcp-risk's own scan`,
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runScanOverheadBenchmark();
  console.log(formatScanOverhead(result));
  if (result.overheadRatio >= 0.1) process.exitCode = 1;
}
