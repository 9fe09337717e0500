// Catalogue refresh through the library: real servers, a real SQLite file, mixed outcomes, incremental skip, drift.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rulesetVersion } from '../../src/classify/index.js';
import type { Catalogue, CatalogueEntry } from '../../src/catalogue/index.js';
import { installDirFor, markInstalled } from '../../src/packages/cache.js';
import { runRefresh } from '../../src/refresh/refresh.js';
import type { RefreshOptions } from '../../src/refresh/refresh.js';
import { inShard, parseShard } from '../../src/refresh/shard.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/index.js';
import { markVerdictsStale } from '../support/stale-verdicts.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const memory = join(root, 'node_modules/@modelcontextprotocol/server-memory/dist/index.js');
const testServer = (name: string): string => join(root, 'test/servers', name);
const OFF = { enabled: false, reason: 'test' } as const;

function entry(name: string, source: CatalogueEntry['source'], over: Partial<CatalogueEntry> = {}): CatalogueEntry {
  return { name, source, args: [], env: {}, headers: {}, tags: [], needs: [], ...over };
}
const node = (script: string, ...args: string[]): Pick<CatalogueEntry, 'source' | 'args'> => ({
  source: { kind: 'stdio', command: process.execPath },
  args: [script, ...args],
});

function catalogue(entries: CatalogueEntry[]): Catalogue {
  return { path: 'test-catalogue.yaml', entries, defaults: { tags: [] } };
}

function options(over: Partial<RefreshOptions> = {}): RefreshOptions {
  return { concurrency: 2, retries: 0, timeoutMs: 20_000, install: {}, env: {}, ...over };
}

describe('refresh', () => {
  let dir: string;
  let authServer: Server;
  let authUrl: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mcp-risk-refresh-'));
    authServer = createServer((_req, res) => res.writeHead(401, { 'www-authenticate': 'Bearer' }).end('unauthorized'));
    await new Promise<void>((resolve) => authServer.listen(0, '127.0.0.1', resolve));
    authUrl = `http://127.0.0.1:${(authServer.address() as AddressInfo).port}/mcp`;
  });
  afterAll(() => {
    authServer.close();
  });

  describe('a catalogue mixing good, hanging, crashing and auth-required servers', () => {
    let store: Store;
    let mixed: Catalogue;

    beforeAll(() => {
      store = openStore(join(dir, 'mixed.db'));
      mixed = catalogue([
        entry('memory', { kind: 'stdio', command: process.execPath }, { args: [memory] }),
        entry('hang', node(testServer('hang.mjs')).source, { args: [testServer('hang.mjs')], timeoutMs: 1500 }),
        entry('crash', node(testServer('exit-at-once.mjs')).source, { args: [testServer('exit-at-once.mjs')] }),
        entry('locked', { kind: 'http', url: authUrl }),
        entry('github-manifest', { kind: 'manifest', path: join(root, 'test/fixtures/servers/github.json') }),
      ]);
    });
    afterAll(() => store.close());

    it('scans every server, records every outcome, and lists the unscanned as not covered', async () => {
      const events: string[] = [];
      const summary = await runRefresh(mixed, store, OFF, options(), (e) => events.push(e.kind));
      expect(summary.byOutcome).toMatchObject({ ok: 2, timeout: 1, failed: 1, 'auth-required': 1, unchanged: 0 });
      expect(summary.notCovered.map((n) => [n.name, n.status]).sort()).toEqual([
        ['crash', 'failed'],
        ['hang', 'timeout'],
        ['locked', 'auth-required'],
      ]);
      expect(summary.tools.total).toBeGreaterThan(30);
      expect(summary.tools.byRisk.Critical).toBeGreaterThanOrEqual(3);
      expect(events.filter((k) => k === 'server-done')).toHaveLength(5);
      // Every server has a stored scan, the failures with their status and error.
      expect(store.findLatestScan('crash')).toMatchObject({ status: 'failed', error: expect.stringContaining('exited') });
      expect(store.findLatestScan('locked')).toMatchObject({ status: 'auth-required' });
    });

    it('skips what is unchanged the next time, retries what failed, and rescans all with --force', async () => {
      const again = await runRefresh(mixed, store, OFF, options());
      expect(again.byOutcome).toMatchObject({ unchanged: 2, timeout: 1, failed: 1, 'auth-required': 1 });
      expect(again.classified).toBe(0);
      expect(again.tools.total).toBeGreaterThan(30);
      const forced = await runRefresh(mixed, store, OFF, options({ force: true }));
      expect(forced.byOutcome).toMatchObject({ ok: 2, unchanged: 0 });
      // Forced, but the definitions did not change: their verdicts are kept, not recomputed.
      expect(forced.classified).toBe(0);
      expect(forced.reused).toBeGreaterThan(30);
    });

    it('retries a transient failure (a timeout) before giving up', async () => {
      const one = catalogue([entry('hang-again', { kind: 'stdio', command: process.execPath }, { args: [testServer('hang.mjs')], timeoutMs: 600 })]);
      const summary = await runRefresh(one, store, OFF, options({ retries: 2 }), () => undefined);
      expect(summary.byOutcome.timeout).toBe(1);
      const done: number[] = [];
      await runRefresh(one, store, OFF, options({ retries: 1, force: true }), (e) => {
        if (e.kind === 'server-done') done.push(e.server.attempts);
      });
      expect(done).toEqual([2]);
    });
  });

  it('reports drift when a definition changes and its risk rises, and reclassifies only the changed tools', async () => {
    const store = openStore(join(dir, 'drift.db'));
    const manifest = join(dir, 'notes.json');
    copyFileSync(join(root, 'test/fixtures/drift/before.json'), manifest);
    const notes = catalogue([entry('notes', { kind: 'manifest', path: manifest })]);
    const first = await runRefresh(notes, store, OFF, options());
    expect(first.byOutcome.ok).toBe(1);
    expect(first.newCritical).toEqual([]);
    copyFileSync(join(root, 'test/fixtures/drift/after.json'), manifest);
    const second = await runRefresh(notes, store, OFF, options());
    expect(second.byOutcome.ok).toBe(1);
    expect(second.changes.drift).toBeGreaterThanOrEqual(1);
    expect(second.changes.added).toBeGreaterThanOrEqual(1);
    expect(second.newCritical).toContainEqual({ server: 'notes', tool: 'archive_note' });
    expect(second.reused).toBeGreaterThanOrEqual(1);
    expect(second.classified).toBeLessThan(second.classified + second.reused);
    const stored = store.scanResult(store.latestScan('notes').id);
    expect(stored.findings).toContainEqual(expect.objectContaining({ code: 'history.drift', tool: 'archive_note' }));
    store.close();
  });

  it('scans an npm package from the cache at its exact version, offline', async () => {
    const cacheDir = join(dir, 'cache');
    const name = '@modelcontextprotocol/server-memory';
    const version = (await import(join(root, 'node_modules', name, 'package.json'), { with: { type: 'json' } })).default.version as string;
    const installDir = installDirFor(cacheDir, name, version);
    mkdirSync(installDir, { recursive: true });
    symlinkSync(join(root, 'node_modules'), join(installDir, 'node_modules'), 'dir');
    markInstalled(installDir, name, version);
    const store = openStore(join(dir, 'npm.db'));
    const summary = await runRefresh(
      catalogue([entry('memory', { kind: 'npm', package: name, version })]),
      store,
      OFF,
      options({ install: { cacheDir, offline: true } }),
    );
    expect(summary.byOutcome.ok).toBe(1);
    const scan = store.latestScan('memory');
    expect(scan.source).toEqual({ kind: 'npm', target: `npm:${name}@${version}` });
    store.close();
  });

  it('expands ${NAME} from our environment only where the catalogue asks, and fails clearly when it is missing', async () => {
    const store = openStore(join(dir, 'env.db'));
    const reporter = (env: Record<string, string>): CatalogueEntry =>
      entry('reporter', { kind: 'stdio', command: process.execPath }, { args: [testServer('env-reporter.mjs')], env });
    await runRefresh(catalogue([reporter({ TOKEN: '${MY_TOKEN}' })]), store, OFF, options({ env: { MY_TOKEN: 'given', OPENAI_API_KEY: 'sk-ours' } }));
    const seen = JSON.parse(store.scanResult(store.latestScan('reporter').id).tools[0]!.definition.description!) as Record<string, string>;
    expect(seen.TOKEN).toBe('given');
    expect(seen.OPENAI_API_KEY).toBeUndefined();
    const missing = await runRefresh(catalogue([reporter({ TOKEN: '${NOT_SET}' })]), store, OFF, options({ env: {} }));
    expect(missing.notCovered[0]).toBeUndefined();
    expect(store.findLatestScan('reporter')).toMatchObject({ status: 'failed', error: expect.stringContaining('NOT_SET') });
    store.close();
  });
});

describe('a classifier that changed since the last refresh', () => {
  it('re-classifies the stored definitions of an unchanged server without starting it again, and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-reclassify-'));
    const pids = join(dir, 'pids');
    const slow = entry('slow', { kind: 'stdio', command: process.execPath }, { args: [testServer('slow-tools.mjs'), 'notes'], env: { PID_DIR: pids } });
    const path = join(dir, 'r.db');
    let store = openStore(path);
    await runRefresh(catalogue([slow]), store, OFF, options());
    store.close();
    // As if an older rule set (one that read "delete" as Read) had made the stored verdicts.
    markVerdictsStale(path);
    store = openStore(path);
    const stale = store.scanResult(store.latestScan('slow').id).tools.find((t) => t.definition.name === 'delete_notes_item')!;
    expect(stale.classification).toMatchObject({ category: 'Read', provenance: { rules: 'rules@1' } });

    const summary = await runRefresh(catalogue([slow]), store, OFF, options());
    expect(summary.byOutcome.unchanged).toBe(1);
    expect(summary.classified).toBe(0);
    expect(summary.reclassified).toBe(2);
    expect(readdirSync(pids)).toHaveLength(1); // started once, by the first refresh
    const after = store.scanResult(store.latestScan('slow').id);
    expect(after.scan.id).toBe(store.listScans('slow')[0]!.id); // no new scan: the same one, new verdicts
    const fresh = after.tools.find((t) => t.definition.name === 'delete_notes_item')!;
    expect(fresh.classification).toMatchObject({ category: 'Destructive', risk: 'Critical', provenance: { rules: rulesetVersion() } });

    // Nothing stale any more: the next refresh has nothing to redo.
    expect((await runRefresh(catalogue([slow]), store, OFF, options())).reclassified).toBe(0);
    store.close();
  });
});

describe('--shard', () => {
  it('splits a catalogue into disjoint shards that together hold every server, the same way every time', () => {
    const names = Array.from({ length: 200 }, (_, i) => `server-${i}`);
    const shards = [1, 2, 3].map((i) => names.filter((n) => inShard(n, parseShard(`${i}/3`))));
    expect(shards.flat().sort()).toEqual([...names].sort());
    expect(new Set(shards.flat()).size).toBe(names.length);
    for (const s of shards) expect(s.length).toBeGreaterThan(40);
    expect(names.filter((n) => inShard(n, parseShard('2/3')))).toEqual(shards[1]);
  });

  it('refuses a malformed shard', () => {
    for (const bad of ['0/3', '4/3', '1/0', 'a/b', '1']) expect(() => parseShard(bad)).toThrow(/--shard takes I\/N/);
  });
});
