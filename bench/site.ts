// Benchmark: `mcp-risk site` over the synthetic catalogue of 5,000 manifest servers (50,000 tools), against
// the floor of writing the same files with the same bytes (mkdir + writeFile, nothing rendered or read).
// Target: under a minute for 5,000 servers. Run directly: node --import tsx bench/site.ts
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { runRefresh } from '../src/refresh/refresh.js';
import { buildSite } from '../src/site/build.js';
import type { SiteResult } from '../src/site/build.js';
import { openStore } from '../src/store/index.js';
import { buildCatalogue, SERVERS } from './refresh-synthetic.js';

export const SITE_TARGET_SECONDS = 60;

export interface SiteBenchResult {
  site: SiteResult;
  seconds: number;
  floorSeconds: number;
  peakRss: number;
  pass: boolean;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) walk(path, out);
    else out.push(path);
  }
  return out;
}

export async function runSiteBenchmark(): Promise<SiteBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-bench-site-'));
  try {
    const manifests = join(dir, 'manifests');
    mkdirSync(manifests);
    const db = join(dir, 'site.db');
    const store = openStore(db);
    try {
      await runRefresh(
        buildCatalogue(manifests),
        store,
        { enabled: false, reason: 'benchmark' },
        { concurrency: 2, install: {}, timeoutMs: 60_000, retries: 0, env: {} },
      );
      const out = join(dir, 'site');
      const started = performance.now();
      const site = buildSite(store, out);
      const seconds = (performance.now() - started) / 1000;
      const peakRss = process.resourceUsage().maxRSS * 1024;
      // The floor: the same files, read into memory first, written again with nothing computed.
      const files = walk(out).map((path) => ({ path: relative(out, path), text: readFileSync(path) }));
      const floorOut = join(dir, 'floor');
      const floorStarted = performance.now();
      for (const f of files) {
        const full = join(floorOut, f.path);
        mkdirSync(dirname(full), { recursive: true });
        writeFileSync(full, f.text);
      }
      const floorSeconds = (performance.now() - floorStarted) / 1000;
      if (statSync(join(out, 'index.html')).size === 0) throw new Error('empty index');
      return { site, seconds, floorSeconds, peakRss, pass: site.servers === SERVERS && seconds < SITE_TARGET_SECONDS };
    } finally {
      store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatSite(r: SiteBenchResult): string {
  return (
    `site: ${r.site.servers} servers, ${r.site.tools} tools: ${r.site.pages} pages, ${r.site.files} files, ${(r.site.bytes / 1e6).toFixed(0)} MB ` +
    `in ${r.seconds.toFixed(1)} s (target < ${SITE_TARGET_SECONDS} s); writing the same files alone takes ${r.floorSeconds.toFixed(1)} s ` +
    `(${(r.seconds / r.floorSeconds).toFixed(1)}x the floor); peak RSS ${(r.peakRss / 1e6).toFixed(0)} MB`
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = await runSiteBenchmark();
  console.log(`${formatSite(r)} ${r.pass ? 'PASS' : 'FAIL'}`);
  if (!r.pass) process.exitCode = 1;
}
