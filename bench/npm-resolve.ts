// Benchmark: resolving 200 `npm:` ranges from a loopback registry over HTTP (cold, then 304s) against one `npm view` each.
// Run directly: node --import tsx bench/npm-resolve.ts   (not in bench/run.ts: the npm view half takes about a minute)
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { resolveNpmVersion } from '../src/packages/index.js';
import { resolveWithNpmView } from '../src/packages/npm-install.js';
import type { NpmSpec } from '../src/packages/index.js';

const PACKAGES = Number(process.env.BENCH_PACKAGES ?? 200);
const VERSIONS_EACH = 30;
/** npm view is a process each; run as many at once as there are cores, as a refresh would. */
const VIEW_CONCURRENCY = Math.max(1, cpus().length);

const names = Array.from({ length: PACKAGES }, (_, i) => (i % 4 === 0 ? `@bench/pkg-${i}` : `bench-pkg-${i}`));
const versions = Array.from({ length: VERSIONS_EACH }, (_, i) => `1.${i}.0`);
const expected = versions.at(-1);

let requests = 0;
let notModified = 0;
const server = createServer((req, res) => {
  requests += 1;
  const name = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname.slice(1));
  const etag = `"${name}-1"`;
  if (req.headers['if-none-match'] === etag) {
    notModified += 1;
    res.writeHead(304, { etag }).end();
    return;
  }
  const body = {
    name,
    'dist-tags': { latest: expected },
    versions: Object.fromEntries(versions.map((v) => [v, { name, version: v, dist: { tarball: `http://127.0.0.1/x.tgz`, shasum: '0' } }])),
    time: Object.fromEntries(versions.map((v) => [v, '2026-01-01T00:00:00.000Z'])),
  };
  res.writeHead(200, { 'content-type': 'application/json', etag }).end(JSON.stringify(body));
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const registry = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
const work = mkdtempSync(join(tmpdir(), 'mcp-risk-bench-resolve-'));
const specs: NpmSpec[] = names.map((name) => ({ name, range: '^1' }));

async function timed(label: string, run: () => Promise<string[]>): Promise<number> {
  const before = requests;
  const started = performance.now();
  const resolved = await run();
  const ms = performance.now() - started;
  const wrong = resolved.filter((v) => v !== expected).length;
  if (wrong > 0) throw new Error(`${label}: ${wrong} of ${resolved.length} resolved to the wrong version`);
  console.log(`${label}: ${PACKAGES} packages in ${(ms / 1000).toFixed(2)} s (${(ms / PACKAGES).toFixed(1)} ms per package), ${requests - before} requests`);
  return ms;
}

async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<string>): Promise<string[]> {
  const out: string[] = new Array<string>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const index = next++;
        out[index] = await work(items[index] as T);
      }
    }),
  );
  return out;
}

try {
  const httpCache = join(work, 'http');
  const cold = await timed('HTTP packument, cold cache', () => Promise.all(specs.map((spec) => resolveNpmVersion(spec, { cacheDir: httpCache, registry }))));
  const beforeWarm = notModified;
  const warm = await timed('HTTP packument, unchanged (If-None-Match)', () =>
    Promise.all(specs.map((spec) => resolveNpmVersion(spec, { cacheDir: httpCache, registry }))),
  );
  console.log(`  ${notModified - beforeWarm} of ${PACKAGES} answered 304`);
  const view = await timed(`npm view, ${VIEW_CONCURRENCY} at a time`, () =>
    pool(specs, VIEW_CONCURRENCY, (spec) => resolveWithNpmView(spec, { cacheDir: join(work, 'view'), registry })),
  );
  console.log(`npm view / HTTP: ${(view / cold).toFixed(0)}x cold, ${(view / warm).toFixed(0)}x unchanged`);
} finally {
  server.closeAllConnections();
  server.close();
  rmSync(work, { recursive: true, force: true });
}
