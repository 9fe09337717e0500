// `prune` removes old scans through the real CLI and keeps what history is read from: every first
// sighting of a definition, the latest scan, the latest good scan, and what an unfinished refresh resumes from.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { acquireRunLock } from '../../src/refresh/run-lock.js';
import { openStore } from '../../src/store/index.js';
import { mcpRisk, ROOT } from '../support/cli.js';
import { validatorFor } from '../support/schemas.js';

let dir: string;
let db: string;

/** A manifest for server `name` whose one tool has this description: a new description is a new definition. */
const manifest = (name: string, description: string): string => {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify({ tools: [{ name: 'notes_tool', description, inputSchema: { type: 'object' } }] }));
  return path;
};

async function scan(name: string, description: string): Promise<void> {
  const r = await mcpRisk(['scan', manifest(name, description), '--db', db]);
  expect(r.code, r.stderr).toBe(0);
}

/** A scan of `name` whose server exits at once: stored as failed. */
async function failingScan(name: string): Promise<void> {
  const r = await mcpRisk(['scan', '--db', db, '--name', name, '--', process.execPath, join(ROOT, 'test/servers/exit-at-once.mjs')]);
  expect(r.code).toBe(2);
}

/** The ids `history` lists, newest first. */
async function scanIds(server: string): Promise<number[]> {
  const r = await mcpRisk(['history', server, '--json', '--db', db]);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { scans: Array<{ id: number }> }).scans.map((s) => s.id);
}

function withSql<T>(fn: (sql: Database.Database) => T): T {
  const sql = new Database(db);
  try {
    return fn(sql);
  } finally {
    sql.close();
  }
}

function rowCounts(): Record<string, number> {
  return withSql((sql) =>
    Object.fromEntries(
      ['servers', 'scans', 'scan_tools', 'findings', 'tool_versions', 'classifications', 'refreshes'].map((t) => [
        t,
        (sql.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n,
      ]),
    ),
  );
}

function expectClean(): void {
  withSql((sql) => {
    expect(sql.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
    const unreferenced = sql
      .prepare(
        'SELECT count(*) AS n FROM tool_versions WHERE id NOT IN (SELECT tool_id FROM scan_tools) AND hash NOT IN (SELECT tool_hash FROM findings WHERE tool_hash IS NOT NULL)',
      )
      .get();
    expect(unreferenced).toEqual({ n: 0 });
    expect(sql.prepare('SELECT count(*) AS n FROM classifications WHERE tool_id NOT IN (SELECT tool_id FROM scan_tools)').get()).toEqual({ n: 0 });
  });
}

interface ToolJson {
  history: Array<{ hash: string; firstSeenAt: string; scans: Array<{ id: number }> }>;
}

async function toolHistory(): Promise<ToolJson['history']> {
  const r = await mcpRisk(['show', 'notes/notes_tool', '--json', '--db', db]);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as ToolJson).history;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mcp-risk-prune-'));
  db = join(dir, 'db.sqlite');
});

describe('mcp-risk prune --keep', () => {
  beforeEach(async () => {
    // 1 introduces v1, 2-3 repeat it, 4 introduces v2, 5-6 repeat it.
    for (const text of ['List the notes.', 'List the notes.', 'List the notes.']) await scan('notes', text);
    for (const text of ['List the notes, then delete them.', 'List the notes, then delete them.', 'List the notes, then delete them.'])
      await scan('notes', text);
  });

  it('keeps the newest N and every scan that introduced a definition; history, diff and show read back', async () => {
    const [s6, , s4, , , s1] = await scanIds('notes');
    const before = await toolHistory();
    expect(before).toHaveLength(2);

    const r = await mcpRisk(['prune', 'notes', '--keep', '1', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^notes: removed 3 of 6 scans, kept 3 \(2 that introduced a definition\)$/m);
    expect(r.stdout).toMatch(/^Removed 3 of 6 scans from 1 of 1 servers\.$/m);
    expect(await scanIds('notes')).toEqual([s6, s4, s1]);

    // Every version is still there, first seen when it was before.
    const after = await toolHistory();
    expect(after.map((v) => [v.hash, v.firstSeenAt])).toEqual(before.map((v) => [v.hash, v.firstSeenAt]));
    const diff = await mcpRisk(['diff', 'notes', '--json', '--db', db]);
    expect(diff.code, diff.stderr).toBe(0);
    const changes = JSON.parse(diff.stdout) as { from: { scanId: number }; to: { scanId: number } };
    expect([changes.from.scanId, changes.to.scanId]).toEqual([s4, s6]);
    expect((await mcpRisk(['diff', 'notes', '--from', String(s1), '--to', String(s4), '--db', db])).stdout).toMatch(/notes_tool/);
    expectClean();
  });

  it('--dry-run says what would go and changes nothing; --json validates and names the ids', async () => {
    const counts = rowCounts();
    const dry = await mcpRisk(['prune', '--keep', '2', '--dry-run', '--json', '--db', db]);
    expect(dry.code, dry.stderr).toBe(0);
    const json = JSON.parse(dry.stdout) as { schema: string; dryRun: boolean; servers: Array<{ removedScanIds: number[] }> };
    const validate = validatorFor('mcp-risk/prune@1');
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    expect(json.dryRun).toBe(true);
    expect(rowCounts()).toEqual(counts);
    const text = await mcpRisk(['prune', '--keep', '2', '--dry-run', '--db', db]);
    expect(text.stdout).toMatch(/^notes: would remove 2 of 6 scans, would keep 4/m);
    expect(text.stdout).toMatch(/^Dry run: would remove 2 of 6 scans .*nothing was changed\.$/m);
    expect(rowCounts()).toEqual(counts);

    const ids = await scanIds('notes');
    const real = await mcpRisk(['prune', '--keep', '2', '--json', '--db', db]);
    const done = JSON.parse(real.stdout) as { dryRun: boolean; servers: Array<{ removedScanIds: number[] }>; total: { removed: number } };
    expect(validate(done), JSON.stringify(validate.errors)).toBe(true);
    expect(done.dryRun).toBe(false);
    expect(done.servers[0]!.removedScanIds).toEqual(json.servers[0]!.removedScanIds);
    expect(done.total.removed).toBe(2);
    expect(await scanIds('notes')).toEqual(ids.filter((id) => !done.servers[0]!.removedScanIds.includes(id)));
  });

  it('without SERVER prunes every server, with one only that one; a first sighting counts per server', async () => {
    // The same definition notes listed first: other's first scan of it still stays, its own first sighting.
    for (let i = 0; i < 3; i += 1) await scan('other', 'List the notes.');
    const [o3, , o1] = await scanIds('other');
    const one = await mcpRisk(['prune', 'other', '--keep', '1', '--db', db]);
    expect(one.code, one.stderr).toBe(0);
    expect(await scanIds('other')).toEqual([o3, o1]);
    expect((await scanIds('notes')).length).toBe(6);
    for (let i = 0; i < 2; i += 1) await scan('other', 'List the notes.');
    const all = await mcpRisk(['prune', '--keep', '1', '--db', db]);
    expect(all.stdout).toMatch(/^Removed 5 of 10 scans from 2 of 2 servers\.$/m);
    expect((await scanIds('other')).length).toBe(2);
    expect((await scanIds('notes')).length).toBe(3);
  });

  it('--vacuum rewrites the file after pruning; the history reads back', async () => {
    const r = await mcpRisk(['prune', '--keep', '1', '--vacuum', '--json', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { vacuumed: boolean }).vacuumed).toBe(true);
    expect(r.stderr).toMatch(/rewrote .* \(VACUUM\)/);
    expect(await scanIds('notes')).toHaveLength(3);
    expect(await toolHistory()).toHaveLength(2);
    expectClean();
  });
});

describe('what prune always keeps', () => {
  it('the latest good scan when the latest scan failed', async () => {
    for (let i = 0; i < 3; i += 1) await scan('notes', 'List the notes.');
    await failingScan('notes');
    const [failed, good, , first] = await scanIds('notes');
    const r = await mcpRisk(['prune', 'notes', '--keep', '1', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    expect(await scanIds('notes')).toEqual([failed, good, first]);
    // The server is still judged by its latest good scan, and policy still has one to read.
    const show = await mcpRisk(['show', '--json', '--db', db]);
    const [summary] = (JSON.parse(show.stdout) as { servers: Array<{ lastScanId: number; lastOkScanId: number; toolCount: number }> }).servers;
    expect(summary).toMatchObject({ lastScanId: failed, lastOkScanId: good, toolCount: 1 });
    expect((await mcpRisk(['policy', 'notes', '--db', db])).code).toBe(0);
    expect((await mcpRisk(['diff', 'notes', '--db', db])).code).toBe(0);
    expectClean();
  });

  it('with --older-than, the recent scans and first sightings, however old', async () => {
    for (let i = 0; i < 4; i += 1) await scan('notes', 'List the notes.');
    const [s4, s3, s2, s1] = await scanIds('notes');
    withSql((sql) => sql.prepare("UPDATE scans SET started_at = '2020-01-01T00:00:00.000Z' WHERE id IN (?, ?)").run(s1, s2));
    const r = await mcpRisk(['prune', '--older-than', '30d', '--json', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout) as { olderThan: string; keepSince: string };
    expect(json.olderThan).toBe('30d');
    expect(validatorFor('mcp-risk/prune@1')(json)).toBe(true);
    expect(await scanIds('notes')).toEqual([s4, s3, s1]);
    // Both given: a scan either one keeps stays.
    withSql((sql) => sql.prepare("UPDATE scans SET started_at = '2020-02-01T00:00:00.000Z' WHERE id = ?").run(s3));
    expect((await mcpRisk(['prune', '--older-than', '2w', '--keep', '2', '--db', db])).code).toBe(0);
    expect(await scanIds('notes')).toEqual([s4, s3, s1]);
    expect((await mcpRisk(['prune', '--older-than', '12h', '--db', db])).code).toBe(0);
    expect(await scanIds('notes')).toEqual([s4, s1]);
  });

  it('what an unfinished refresh resumes from', async () => {
    for (let i = 0; i < 4; i += 1) await scan('notes', 'List the notes.');
    const [s4, , s2, s1] = await scanIds('notes');
    const run = { catalogue: 'catalogue.yaml', catalogueHash: 'abc', options: {} };
    const store = openStore(db);
    try {
      const handle = store.startRefresh(run);
      withSql((sql) => sql.prepare('UPDATE scans SET refresh_id = ? WHERE id = ?').run(handle.id, s2));
    } finally {
      store.close();
    }
    expect((await mcpRisk(['prune', '--keep', '1', '--db', db])).code).toBe(0);
    expect(await scanIds('notes')).toEqual([s4, s2, s1]);
    const again = openStore(db);
    try {
      const resumed = again.startRefresh(run);
      expect(resumed.resumed).toBe(true);
      expect([...resumed.done]).toEqual(['notes']);
    } finally {
      again.close();
    }
  });

  it('no definition or verdict that no scan refers to', async () => {
    for (let i = 0; i < 2; i += 1) await scan('notes', 'List the notes.');
    // Left behind by something else: prune tidies it with its own.
    withSql((sql) => {
      const dead = sql
        .prepare("INSERT INTO tool_versions (hash, name, definition, first_seen_at) VALUES ('dead', 'gone', X'', '2020-01-01T00:00:00.000Z')")
        .run();
      sql
        .prepare(
          "INSERT INTO classifications (tool_id, classifier_version, category, risk, confidence, method, result, created_at) VALUES (?, 'rules@1', 'read', 'Low', 1, 'rules', X'', '2020-01-01T00:00:00.000Z')",
        )
        .run(dead.lastInsertRowid);
    });
    const r = await mcpRisk(['prune', '--keep', '1', '--json', '--db', db]);
    expect((JSON.parse(r.stdout) as { orphans: unknown }).orphans).toEqual({ toolVersions: 1, classifications: 1 });
    expectClean();
  });
});

describe('prune refuses', () => {
  beforeEach(async () => {
    await scan('notes', 'List the notes.');
  });

  it.each([
    [[], /prune needs --keep N, --older-than DURATION, or both/],
    [['--keep', '0'], /--keep takes a whole number of at least 1, got '0'/],
    [['--older-than', '30'], /--older-than takes a duration such as 12h, 30d or 2w .*got '30'/],
    [['--older-than', '0d'], /--older-than takes a duration .*got '0d'/],
    [['--older-than', '1m'], /--older-than takes a duration .*got '1m'/],
    [['--older-than', '1.5d'], /--older-than takes a duration .*got '1.5d'/],
  ])('%j with a USAGE error', async (args, message) => {
    const counts = rowCounts();
    const r = await mcpRisk(['prune', ...args, '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(rowCounts()).toEqual(counts);
  });

  it('an unknown server, naming the known ones', async () => {
    const r = await mcpRisk(['prune', 'note', '--keep', '1', '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/No server named "note".*notes/);
  });

  it('while a refresh holds the database (BUSY); a dry run still reads', async () => {
    for (let i = 0; i < 2; i += 1) await scan('notes', 'List the notes.');
    const lock = acquireRunLock(db);
    try {
      const r = await mcpRisk(['prune', '--keep', '1', '--db', db]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/another refresh \(pid \d+.*is running on .*Wait for it to finish, then prune/);
      expect((await scanIds('notes')).length).toBe(3);
      expect((await mcpRisk(['prune', '--keep', '1', '--dry-run', '--db', db])).code).toBe(0);
    } finally {
      lock.release();
    }
    expect((await mcpRisk(['prune', '--keep', '1', '--db', db])).code).toBe(0);
    expect((await scanIds('notes')).length).toBe(2);
  });
});
