// Captures the dev evaluation set: installs each npm server package listed in test/eval/servers.yaml into
// mcp-risk's isolated cache (MCP_RISK_CACHE, default /tmp/mcp-risk-eval-cache, outside the repo), starts it
// over stdio with only the dummy env given there, lists its tools with mcp-risk's own scanner and writes
// test/eval/servers/<id>.json. It never calls a tool.
// Run: npm run eval:capture [-- --only id1,id2] [--force]   (existing fixtures are kept unless --force)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import { scanNpmPackage } from '../../src/pipeline/npm-source.js';

interface ServerEntry {
  id: string;
  package: string;
  version: string;
  bin?: string;
  args?: string[];
  env?: Record<string, string>;
  /** Kept out of the set, with the reason (failed to start offline, or not labelled yet). */
  skip?: string;
}

const HERE = new URL('./', import.meta.url);
const cacheDir = process.env.MCP_RISK_CACHE ?? '/tmp/mcp-risk-eval-cache';
// Each server gets an empty home of its own, so nothing it reads or writes there is the user's.
const homeRoot = `${cacheDir}/homes`;
const argv = process.argv.slice(2);
const force = argv.includes('--force');
const onlyAt = argv.indexOf('--only');
const only = onlyAt >= 0 ? new Set((argv[onlyAt + 1] ?? '').split(',')) : undefined;
const concurrency = Number(process.env.CAPTURE_CONCURRENCY ?? 3);

const entries = (parse(readFileSync(new URL('servers.yaml', HERE), 'utf8')) as { servers: ServerEntry[] }).servers;
const todo = entries
  .filter((e) => (only ? only.has(e.id) : e.skip === undefined))
  .filter((e) => force || only || !existsSync(new URL(`servers/${e.id}.json`, HERE)));
const today = new Date().toISOString().slice(0, 10);
const results: string[] = [];

async function capture(entry: ServerEntry): Promise<void> {
  const home = `${homeRoot}/${entry.id}`;
  mkdirSync(home, { recursive: true });
  try {
    const { snapshot, version } = await scanNpmPackage({
      spec: { name: entry.package, range: entry.version },
      install: { cacheDir, timeoutMs: 600_000, ...(entry.bin !== undefined ? { bin: entry.bin } : {}) },
      ...(entry.args !== undefined ? { args: entry.args } : {}),
      env: { HOME: home, TMPDIR: home, ...(entry.env ?? {}) },
      name: entry.id,
      scan: { connectTimeoutMs: 45_000, listTimeoutMs: 45_000 },
    });
    if (snapshot.status !== 'ok') {
      report(`FAIL ${entry.id}: ${snapshot.status}: ${snapshot.error ?? ''} ${(snapshot.stderrTail ?? '').slice(-300).replace(/\s+/g, ' ')}`);
      return;
    }
    const fixture = {
      capturedFrom: `npm:${entry.package}@${version}`,
      capturedAt: today,
      capturedWith: 'mcp-risk scanNpmPackage (stdio), test/eval/capture-npm.ts',
      serverInfo: snapshot.serverInfo,
      protocolVersion: snapshot.protocolVersion,
      tools: snapshot.tools.map((t) => t.definition),
    };
    writeFileSync(new URL(`servers/${entry.id}.json`, HERE), JSON.stringify(fixture, null, 2) + '\n');
    report(`ok   ${entry.id}: ${snapshot.tools.length} tools (${entry.package}@${version})`);
  } catch (error) {
    report(`FAIL ${entry.id}: ${(error as Error).message}`);
  }
}

function report(line: string): void {
  results.push(line);
  console.log(line);
}

const queue = [...todo];
await Promise.all(
  Array.from({ length: Math.max(1, concurrency) }, async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) await capture(next);
  }),
);
console.log(`\n${results.sort().join('\n')}`);
if (results.some((r) => r.startsWith('FAIL'))) process.exitCode = 1;
