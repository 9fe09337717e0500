// refresh, diff, merge and import through the command line: kill and resume (a real process, to kill it),
// shard + merge, drift report (in process).
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../src/catalogue/index.js';
import { openStore } from '../../src/store/index.js';
import { deathSignalAvailable } from '../../src/ingest/containment.js';
import { startLoopback } from '../catalogue/helpers.js';
import { runningWith } from '../ingest/helpers.js';
import { cliArgs, hermeticEnv, mcpRisk } from '../support/cli.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const memory = join(root, 'node_modules/@modelcontextprotocol/server-memory/dist/index.js');
const slow = join(root, 'test/servers/slow-tools.mjs');
const fixture = (path: string): string => join(root, 'test/fixtures', path);

function scanCount(db: string): number {
  if (!existsSync(db)) return 0;
  const handle = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return (handle.prepare('select count(*) as n from scans').get() as { n: number }).n;
  } catch {
    return 0;
  } finally {
    handle.close();
  }
}

/** Polls `condition` until it holds; the deadline is generous because the machine may be loaded. */
async function waitFor(what: string, condition: () => boolean, deadlineMs = 30_000, state: () => string = () => ''): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}${state() === '' ? '' : ` (${state()})`}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const startedIn = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir) : []);

describe('refresh, interrupted and resumed', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mcp-risk-resume-'));
  });

  /**
   * Unsandboxed, because the servers report through files (a sandboxed refresh killed outright is in
   * test/hardening/sandbox.test.ts). Six servers scanned two at a time: the first two answer at once, the other four only once the gate
   * file exists, so the first run is always stopped with exactly two done and two running.
   */
  function gatedCatalogue(name: string): { path: string; pids: string; gate: string } {
    const pids = join(dir, `${name}-pids`);
    const gate = join(dir, `${name}-gate`);
    const servers = Array.from({ length: 6 }, (_, i) => ({
      name: `slow-${i}`,
      command: process.execPath,
      // The folder on the command line is how the test finds the process, in whatever PID namespace.
      args: [slow, `s${i}`, pids],
      env: i < 2 ? { PID_DIR: pids } : { PID_DIR: pids, GATE: gate },
    }));
    const path = join(dir, `${name}.yaml`);
    writeFileSync(path, stringify({ version: 1, servers }));
    return { path, pids, gate };
  }

  for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
    it(`killed with ${signal} halfway, it resumes where it stopped, loses nothing, and leaves no server running`, async () => {
      const { path, pids, gate } = gatedCatalogue(signal);
      const db = join(dir, `${signal}.db`);
      const child = spawn(process.execPath, cliArgs(['refresh', path, '--db', db, '--concurrency', '2', '--no-progress', '--no-sandbox']), {
        cwd: root,
        env: hermeticEnv(),
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      let exitCode: number | null | undefined;
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve((exitCode = code))));
      // Each server writes its pid file first thing: two done and two more started means two are mid-scan.
      // The deadline allows for a TypeScript loader starting on a machine loaded ten times over.
      await waitFor(
        'two servers are done and two more have started',
        () => (scanCount(db) === 2 && startedIn(pids).length === 4) || exitCode !== undefined,
        150_000,
        () => `${scanCount(db)} scans, ${startedIn(pids).length} servers started`,
      );
      expect(exitCode, `the refresh ended before it was killed: ${stderr}`).toBeUndefined();
      child.kill(signal);
      const code = await exited;
      const done = scanCount(db);
      expect(done).toBe(2);
      expect(startedIn(pids)).toHaveLength(4);
      if (signal === 'SIGTERM') expect(code).toBe(143);
      // A graceful stop ends every server it started. Killed outright, it can end nothing itself: each
      // server's wrapper was set to die with it (setpriv --pdeathsig), and its namespace goes along.
      // (Without setpriv the ledger has them, and the next run ends them.) The last may take a moment.
      if (signal === 'SIGTERM' || deathSignalAvailable())
        await waitFor(
          "the stopped run's servers have ended",
          () => runningWith(pids).length === 0,
          30_000,
          () => `${runningWith(pids).length} running`,
        );

      writeFileSync(gate, '');
      const resumed = await mcpRisk(['refresh', path, '--db', db, '--concurrency', '2', '--no-progress', '--no-sandbox']);
      expect(resumed.code).toBe(0);
      expect(resumed.stderr).toContain(`resuming refresh #1: ${done} of 6 servers were done`);
      if (signal === 'SIGKILL' && !deathSignalAvailable()) expect(resumed.stderr).toContain('ended 2 server processes left by an interrupted run');
      // Every server once: the finished results were kept, not redone.
      expect(scanCount(db)).toBe(6);
      const store = openStore(db);
      for (let i = 0; i < 6; i++) expect(store.listScans(`slow-${i}`)).toHaveLength(1);
      store.close();
      await waitFor('every server has ended', () => runningWith(pids).length === 0);
    }, 300_000);
  }
});

describe('shards and merge', () => {
  it('N shards merged equal a single run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-shards-'));
    const servers = [
      { name: 'memory', command: process.execPath, args: [memory] },
      ...readdirSync(fixture('servers'))
        .filter((f) => f.endsWith('.json'))
        .map((f) => ({ name: `captured-${f.replace(/\.json$/, '')}`, manifest: fixture(`servers/${f}`) })),
    ];
    const catalogue = join(dir, 'catalogue.yaml');
    writeFileSync(catalogue, stringify({ version: 1, servers }));
    const single = join(dir, 'single.db');
    expect((await mcpRisk(['refresh', catalogue, '--db', single, '--no-progress'])).code).toBe(0);
    for (const i of [1, 2, 3])
      expect((await mcpRisk(['refresh', catalogue, '--db', join(dir, `shard-${i}.db`), '--shard', `${i}/3`, '--no-progress'])).code).toBe(0);
    const merged = join(dir, 'merged.db');
    const merge = await mcpRisk(['merge', merged, ...[1, 2, 3].map((i) => join(dir, `shard-${i}.db`))]);
    expect(merge.code).toBe(0);
    expect(merge.stdout).toMatch(/scans added/);

    const view = (path: string): unknown => {
      const store = openStore(path);
      try {
        return store.listServers().map((s) => ({
          name: s.name,
          status: s.lastStatus,
          toolCount: s.toolCount,
          highestRisk: s.highestRisk,
          tools: store.scanResult(s.lastScanId).tools.map((t) => [t.hash, t.classification?.category, t.classification?.risk]),
        }));
      } finally {
        store.close();
      }
    };
    const expected = view(single);
    expect((expected as unknown[]).length).toBe(servers.length);
    expect(view(merged)).toEqual(expected);
    // Merging again adds nothing.
    const again = await mcpRisk(['merge', merged, join(dir, 'shard-1.db')]);
    expect(again.stdout).toMatch(/0 scans added/);
  });
});

describe('diff', () => {
  it('says what changed in words a person can act on, and flags the rug pull', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-diff-'));
    const manifest = join(dir, 'notes.json');
    const db = join(dir, 'results.db');
    copyFileSync(fixture('drift/before.json'), manifest);
    expect((await mcpRisk(['scan', manifest, '--name', 'notes', '--db', db])).code).toBe(0);
    copyFileSync(fixture('drift/after.json'), manifest);
    expect((await mcpRisk(['scan', manifest, '--name', 'notes', '--db', db])).code).toBe(0);
    const diff = await mcpRisk(['diff', 'notes', '--db', db]);
    expect(diff.code).toBe(0);
    for (const line of [
      'description now mentions deleting',
      'new parameter `command`',
      '`readOnlyHint` changed from true to false',
      'risk Medium -> Critical',
      'DRIFT',
    ]) {
      expect(diff.stdout).toContain(line);
    }
    const json = JSON.parse((await mcpRisk(['diff', 'notes', '--db', db, '--json', '--from', '1', '--to', '2'])).stdout) as { counts: { drift: number } };
    expect(json.counts.drift).toBeGreaterThanOrEqual(1);
    const bad = await mcpRisk(['diff', 'notes', '--db', db, '--from', '99']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('import', () => {
  let registry: Awaited<ReturnType<typeof startLoopback>>;
  beforeAll(async () => {
    const pages: Record<string, string> = {
      '': readFileSync(fixture('registry/page-1.json'), 'utf8'),
      'io.github.example/weather:1.0.0': readFileSync(fixture('registry/page-2.json'), 'utf8'),
      page3: readFileSync(fixture('registry/page-3.json'), 'utf8'),
    };
    registry = await startLoopback((_req, res, url) => {
      const body = pages[url.searchParams.get('cursor') ?? ''];
      res.writeHead(body === undefined ? 400 : 200, { 'content-type': 'application/json' }).end(body ?? '{}');
    });
  });
  afterAll(async () => {
    await registry.close();
  });

  it('reads the MCP Registry into a catalogue file that refresh can load, and adds only new servers next time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-import-'));
    const out = join(dir, 'catalogue.yaml');
    const first = await mcpRisk(['import', 'registry', registry.base, '--out', out]);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/imported \d+ servers from 3 pages/);
    const catalogue = loadCatalogue(out);
    expect(catalogue.entries.map((e) => e.name)).toContain('io.github.example/weather');
    expect(catalogue.entries.find((e) => e.name === 'io.github.example/weather')?.source).toEqual({
      kind: 'npm',
      package: '@example/weather-mcp',
      version: '1.2.0',
    });
    writeFileSync(out, `# my notes stay\n${readFileSync(out, 'utf8')}`);
    const second = await mcpRisk(['import', 'registry', registry.base, '--out', out]);
    expect(second.stderr).toMatch(/, 0 new in/);
    expect(readFileSync(out, 'utf8')).toContain('# my notes stay');
  });

  it('reads a saved directory page with a selector config into catalogue entries', async () => {
    const result = await mcpRisk(['import', 'html', fixture('directories/mcp-atlas.html'), '--selectors', 'mcp-atlas']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^version: 1/m);
    expect(result.stdout).toMatch(/npm: /);
    expect(result.stderr).toMatch(/skipped \d+/);
  });
});
