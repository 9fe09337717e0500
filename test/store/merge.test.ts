// Merging shard databases into one: same answers as a single database, idempotent, atomic per input.
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Classification, FindingCode, ServerSnapshot } from '../../src/model/index.js';
import { mergeStores, migrations, openStore } from '../../src/store/index.js';
import type { MergeReport, RecordScanOptions } from '../../src/store/index.js';
import { MERGE_ID_COLUMNS, NOT_MERGED } from '../../src/store/merge.js';
import { finding, snapshot, tool, verdict } from './make.js';
import { thrownMcpRiskError } from '../support/errors.js';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mcp-risk-merge-test-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-02T00:00:00.000Z';
const T2 = '2026-01-03T00:00:00.000Z';

interface Refresh {
  uid: string;
  shard?: string;
  startedAt: string;
  finishedAt?: string;
  summary?: unknown;
}

interface Recorded {
  snap: ServerSnapshot;
  verdicts: Classification[];
  /** Uid of the refresh (in `refreshes`) the scan belongs to. */
  refresh?: string;
  options?: RecordScanOptions;
}

/** Writes refresh rows (directly: the brief's store API for runs is not what is under test) and scans. */
function build(path: string, refreshes: Refresh[], scans: Recorded[]): string {
  openStore(path).close();
  const db = new Database(path);
  const idByUid = new Map<string, number>();
  for (const r of refreshes) {
    const info = db
      .prepare(
        `INSERT INTO refreshes (uid, catalogue, catalogue_hash, shard, options_json, started_at, finished_at, summary_json)
         VALUES (?, 'catalogue.yaml', 'hash-1', ?, '{}', ?, ?, ?)`,
      )
      .run(r.uid, r.shard ?? null, r.startedAt, r.finishedAt ?? null, r.summary === undefined ? null : JSON.stringify(r.summary));
    idByUid.set(r.uid, Number(info.lastInsertRowid));
  }
  db.close();
  const store = openStore(path);
  try {
    for (const s of scans) {
      const options: RecordScanOptions = { ...s.options };
      if (s.refresh !== undefined) options.refreshId = idByUid.get(s.refresh)!;
      store.recordScan(s.snap, s.verdicts, options);
    }
  } finally {
    store.close();
  }
  return path;
}

function withDb<T>(path: string, fn: (db: Database.Database) => T): T {
  const db = new Database(path);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** Everything a database holds, with local ids replaced by the natural keys they stand for. */
function dump(path: string): Record<string, unknown[]> {
  return withDb(path, (db) => {
    const scans = (
      db
        .prepare(
          `SELECT s.*, v.name AS server, r.uid AS refresh,
             (SELECT group_concat(tv.hash || ':' || coalesce(st.classifier_version, '-'), ' ' ORDER BY st.position)
                FROM scan_tools st JOIN tool_versions tv ON tv.id = st.tool_id WHERE st.scan_id = s.id) AS tools,
             (SELECT json_group_array(json_array(origin, tool_hash, tool_name, code, severity, path, args_json))
                FROM (SELECT * FROM findings WHERE scan_id = s.id ORDER BY id)) AS findings
           FROM scans s JOIN servers v ON v.id = s.server_id LEFT JOIN refreshes r ON r.id = s.refresh_id
           ORDER BY v.name, s.started_at, s.uid`,
        )
        .all() as Array<Record<string, unknown>>
    ).map(({ id: _id, server_id: _sid, refresh_id: _rid, uid: _uid, ...rest }) => rest);
    return {
      servers: db.prepare('SELECT name, source_kind, source_target, first_seen_at FROM servers ORDER BY name').all(),
      scans,
      toolVersions: db.prepare('SELECT hash, name, definition, first_seen_at FROM tool_versions ORDER BY hash').all(),
      // created_at is the time of recording, which differs between the reference and the shards.
      classifications: db
        .prepare(
          'SELECT tv.hash, c.classifier_version, c.category, c.risk, c.confidence, c.method, c.result FROM classifications c JOIN tool_versions tv ON tv.id = c.tool_id ORDER BY 1, 2',
        )
        .all(),
      llmCache: db.prepare('SELECT hash, model, prompt, taxonomy, verdict_json FROM llm_cache ORDER BY 1, 2, 3, 4').all(),
      refreshes: db
        .prepare('SELECT * FROM refreshes ORDER BY uid')
        .all()
        .map((r) => ({ ...(r as object), id: undefined })),
      refreshSkips: db.prepare('SELECT r.uid, k.server_name, k.reason FROM refresh_skips k JOIN refreshes r ON r.id = k.refresh_id ORDER BY 1, 2').all(),
    };
  });
}

/** What the store's readers answer, with scan ids left out (they differ between databases). */
function answers(path: string): unknown {
  const store = openStore(path);
  try {
    const servers = store.listServers();
    const pairs = withDb(
      path,
      (db) =>
        db
          .prepare(
            `SELECT DISTINCT v.name AS server, tv.name AS tool FROM scan_tools st JOIN scans s ON s.id = st.scan_id
           JOIN servers v ON v.id = s.server_id JOIN tool_versions tv ON tv.id = st.tool_id ORDER BY 1, 2`,
          )
          .all() as Array<{ server: string; tool: string }>,
    );
    return {
      servers: servers.map(({ lastScanId: _a, lastOkScanId: _b, ...rest }) => rest),
      latest: servers.map((s) => {
        const { id, ...latest } = store.latestScan(s.name);
        const { scan: _scan, ...result } = store.scanResult(id);
        return { latest, result };
      }),
      history: pairs.map(({ server, tool: name }) =>
        store.toolHistory(server, name).map(({ scans, ...v }) => ({ ...v, scans: scans.map((x) => x.startedAt) })),
      ),
    };
  } finally {
    store.close();
  }
}

// Tools shared across shards: the hash depends on the definition only, so both servers list one version.
const readFile = tool('read_file');
const writeFile = tool('write_file');
const writeFile2 = tool('write_file', 'Writes a file, and now also deletes it');
const search = tool('search');
const fetchUrl = tool('fetch');

const scanAlpha1: Recorded = {
  snap: snapshot('alpha', [readFile, writeFile], { startedAt: T1 }),
  verdicts: [verdict(readFile, 'Read', 'Low'), verdict(writeFile, 'Write', 'Medium')],
  refresh: 'run-1',
  options: { configFingerprint: 'fp-alpha-1', resolvedVersion: '1.0.0' },
};
const scanBeta: Recorded = {
  snap: snapshot('beta', [search], { startedAt: T1, findings: [finding('tool.no-description' as FindingCode, { tool: 'search' })] }),
  verdicts: [verdict(search, 'Read', 'Low', { findings: [finding('classify.needs-review' as FindingCode, { tool: 'search' })] })],
  refresh: 'run-1',
};
const scanGamma: Recorded = {
  snap: snapshot('gamma', [fetchUrl, readFile], { startedAt: T0 }),
  verdicts: [verdict(fetchUrl, 'Execute', 'High'), verdict(readFile, 'Read', 'Low')],
  refresh: 'run-2',
};
const scanDelta: Recorded = {
  snap: snapshot('delta', [], { startedAt: T1, status: 'failed', error: 'exited with code 1' }),
  verdicts: [],
  refresh: 'run-2',
};
// A later scan of a server from shard 1, in another file: history that spans files.
const scanAlpha2: Recorded = {
  snap: snapshot('alpha', [readFile, writeFile2], { startedAt: T2, source: { kind: 'stdio', target: 'npx -y alpha@2' } }),
  verdicts: [verdict(readFile, 'Read', 'Low'), verdict(writeFile2, 'Destructive', 'High')],
  refresh: 'run-3',
};

const run1: Refresh = { uid: 'run-1', shard: '1/2', startedAt: T1, finishedAt: T1, summary: { scanned: 2 } };
const run2: Refresh = { uid: 'run-2', shard: '2/2', startedAt: T0, finishedAt: T1, summary: { scanned: 2 } };
const run3: Refresh = { uid: 'run-3', startedAt: T2 };

function shards(): [string, string, string] {
  const s1 = build(join(dir, 'shard-1.db'), [run1], [scanAlpha1, scanBeta]);
  const s2 = build(join(dir, 'shard-2.db'), [run2], [scanGamma, scanDelta]);
  const s3 = build(join(dir, 'shard-3.db'), [run3], [scanAlpha2]);
  const store = openStore(s1);
  store.llmCachePut([{ hash: search.hash, value: { category: 'Read' } }], { model: 'm', prompt: 'p@1', taxonomy: 't@1' });
  store.close();
  withDb(s3, (db) => {
    db.prepare("INSERT INTO refresh_skips (refresh_id, server_name, reason) SELECT id, 'beta', 'unchanged' FROM refreshes").run();
  });
  return [s1, s2, s3];
}

/** The same scans recorded, in the order they ran, in one database. */
function reference(): string {
  const path = build(join(dir, 'reference.db'), [run1, run2, run3], [scanGamma, scanAlpha1, scanBeta, scanDelta, scanAlpha2]);
  const store = openStore(path);
  store.llmCachePut([{ hash: search.hash, value: { category: 'Read' } }], { model: 'm', prompt: 'p@1', taxonomy: 't@1' });
  store.close();
  withDb(path, (db) => {
    db.prepare("INSERT INTO refresh_skips (refresh_id, server_name, reason) SELECT id, 'beta', 'unchanged' FROM refreshes WHERE uid = 'run-3'").run();
  });
  return path;
}

describe('mergeStores', () => {
  it('holds what one database recording every scan would hold, history included', () => {
    const inputs = shards();
    const out = join(dir, 'out', 'merged.db');
    const report = mergeStores(out, inputs);
    expect(report).toEqual<MergeReport>({
      inputs: 3,
      servers: 4,
      scansAdded: 5,
      scansAlreadyPresent: 0,
      toolVersionsAdded: 5,
      classificationsAdded: 5,
      llmCacheAdded: 1,
      refreshesAdded: 3,
    });
    const ref = reference();
    expect(dump(out)).toEqual(dump(ref));
    expect(answers(out)).toEqual(answers(ref));

    // Spot checks of what the comparison covers: history across files, and the latest source.
    const store = openStore(out);
    try {
      const alpha = store.listServers().find((s) => s.name === 'alpha')!;
      expect(alpha).toMatchObject({ firstSeenAt: T1, lastScanAt: T2, highestRisk: 'High', source: { target: 'npx -y alpha@2' } });
      expect(store.toolHistory('alpha', 'write_file').map((v) => [v.hash, v.firstSeenAt])).toEqual([
        [writeFile.hash, T1],
        [writeFile2.hash, T2],
      ]);
    } finally {
      store.close();
    }
    expect(withDb(out, (db) => db.pragma('foreign_key_check'))).toEqual([]);
    expect(withDb(out, (db) => db.pragma('integrity_check', { simple: true }))).toBe('ok');
  });

  it('keeps every scan uid, and gives the same result in any input order', () => {
    const inputs = shards();
    const forward = join(dir, 'forward.db');
    const backward = join(dir, 'backward.db');
    mergeStores(forward, inputs);
    mergeStores(backward, [...inputs].reverse());
    expect(dump(backward)).toEqual(dump(forward));
    const uids = (path: string): string[] =>
      withDb(path, (db) => (db.prepare('SELECT uid FROM scans ORDER BY uid').all() as Array<{ uid: string }>).map((r) => r.uid));
    expect(uids(forward)).toEqual(inputs.flatMap(uids).sort());
  });

  it('adds nothing when an input is merged again', () => {
    const [s1, s2] = shards();
    const out = join(dir, 'out.db');
    mergeStores(out, [s1, s2]);
    const before = dump(out);
    const again = mergeStores(out, [s1, s1]);
    expect(again).toEqual<MergeReport>({
      inputs: 2,
      servers: 4,
      scansAdded: 0,
      scansAlreadyPresent: 4,
      toolVersionsAdded: 0,
      classificationsAdded: 0,
      llmCacheAdded: 0,
      refreshesAdded: 0,
    });
    expect(dump(out)).toEqual(before);
  });

  it('stores a tool version seen in two shards once, first seen at the earliest sighting', () => {
    const [s1, s2] = shards();
    const out = join(dir, 'out.db');
    // Shard 1 (read_file at T1) goes in first; shard 2 saw it earlier (T0).
    mergeStores(out, [s1, s2]);
    const rows = withDb(out, (db) => db.prepare('SELECT first_seen_at FROM tool_versions WHERE hash = ?').all(readFile.hash));
    expect(rows).toEqual([{ first_seen_at: T0 }]);
  });

  it('keeps the newer verdict of a classifier version and the earliest first sighting of a server', () => {
    const scan = (startedAt: string, risk: 'Low' | 'High'): Recorded => ({
      snap: snapshot('alpha', [readFile], { startedAt }),
      verdicts: [verdict(readFile, 'Read', risk)],
    });
    const a = build(join(dir, 'a.db'), [], [scan(T1, 'Low')]);
    const b = build(join(dir, 'b.db'), [], [scan(T0, 'High')]);
    withDb(a, (db) => db.prepare("UPDATE classifications SET created_at = '2026-02-02T00:00:00.000Z'").run());
    withDb(b, (db) => db.prepare("UPDATE classifications SET created_at = '2026-02-01T00:00:00.000Z'").run());
    const out = join(dir, 'out.db');
    mergeStores(out, [a, b]);
    const risk = (path: string): unknown => withDb(path, (db) => db.prepare('SELECT risk, created_at FROM classifications').all());
    expect(risk(out)).toEqual([{ risk: 'Low', created_at: '2026-02-02T00:00:00.000Z' }]);
    const out2 = join(dir, 'out2.db');
    mergeStores(out2, [b, a]);
    expect(risk(out2)).toEqual(risk(out));
    expect(withDb(out, (db) => db.prepare('SELECT first_seen_at FROM servers').all())).toEqual([{ first_seen_at: T0 }]);
  });

  it('merges one run found in two files: earliest start, finished only if both copies finished', () => {
    const scan = (name: string, startedAt: string): Recorded => ({
      snap: snapshot(name, [], { startedAt, status: 'no-tools' }),
      verdicts: [],
      refresh: 'run',
    });
    const finishedLate = build(join(dir, 'a.db'), [{ uid: 'run', startedAt: T1, finishedAt: T2, summary: 'late' }], [scan('x', T1)]);
    const finishedEarly = build(join(dir, 'b.db'), [{ uid: 'run', startedAt: T0, finishedAt: T1, summary: 'early' }], [scan('y', T0)]);
    const unfinished = build(join(dir, 'c.db'), [{ uid: 'run', startedAt: T1 }], [scan('z', T1)]);
    const runOf = (path: string): unknown => withDb(path, (db) => db.prepare('SELECT started_at, finished_at, summary_json FROM refreshes').all());

    const both = join(dir, 'both.db');
    expect(mergeStores(both, [finishedLate, finishedEarly]).refreshesAdded).toBe(1);
    expect(runOf(both)).toEqual([{ started_at: T0, finished_at: T2, summary_json: '"late"' }]);
    // Every scan of the run points at the one merged row.
    expect(withDb(both, (db) => db.prepare('SELECT count(DISTINCT refresh_id) AS n FROM scans').get())).toEqual({ n: 1 });

    const partly = join(dir, 'partly.db');
    mergeStores(partly, [finishedEarly, unfinished]);
    expect(runOf(partly)).toEqual([{ started_at: T0, finished_at: null, summary_json: null }]);
  });

  it('brings an input at schema version 1 up to date without modifying it, and merges it again as a no-op', () => {
    const old = join(dir, 'old.db');
    openStore(old, { migrations: migrations.slice(0, 1) }).close();
    withDb(old, (db) => {
      db.exec(`
        INSERT INTO servers (id, name, source_kind, source_target, first_seen_at) VALUES (7, 'legacy', 'stdio', 'npx -y legacy', '${T0}');
        INSERT INTO scans (id, server_id, started_at, duration_ms, status, source_kind, source_target, tool_count)
          VALUES (3, 7, '${T0}', 10, 'ok', 'stdio', 'npx -y legacy', 1);
        INSERT INTO tool_versions (hash, name, definition_json, first_seen_at)
          VALUES ('${readFile.hash}', 'read_file', '${JSON.stringify(readFile.definition)}', '${T0}');
        INSERT INTO classifications (hash, classifier_version, category, risk, confidence, method, result_json, created_at)
          VALUES ('${readFile.hash}', 'rules@1', 'Read', 'Low', 0.9, 'rules',
                  '${JSON.stringify(verdict(readFile, 'Read', 'Low'))}', '${T0}');
        INSERT INTO scan_tools (scan_id, position, hash, classifier_version) VALUES (3, 0, '${readFile.hash}', 'rules@1');
        INSERT INTO findings (scan_id, origin, tool_hash, tool_name, code, severity, args_json)
          VALUES (3, 'scan', NULL, NULL, 'server.old', 'info', '{}');
      `);
    });
    const bytes = readFileSync(old);
    const [s1] = shards();
    const out = join(dir, 'out.db');

    expect(mergeStores(out, [s1, old])).toMatchObject({ scansAdded: 3, servers: 3 });
    expect(mergeStores(out, [old])).toMatchObject({ scansAdded: 0, scansAlreadyPresent: 1 });

    expect(withDb(old, (db) => db.pragma('user_version', { simple: true }))).toBe(1);
    expect(readFileSync(old).equals(bytes)).toBe(true);
    const store = openStore(out);
    try {
      const latest = store.latestScan('legacy');
      expect(latest).toMatchObject({ startedAt: T0, toolCount: 1, source: { target: 'npx -y legacy' } });
      expect(store.scanResult(latest.id).findings.map((f) => f.code)).toEqual(['server.old']);
      expect(store.toolHistory('legacy', 'read_file')[0]?.classification?.risk).toBe('Low');
    } finally {
      store.close();
    }
    expect(withDb(out, (db) => db.pragma('foreign_key_check'))).toEqual([]);
  });

  it('refuses the output as one of the inputs, however it is spelled', () => {
    const [s1] = shards();
    expect(thrownMcpRiskError(() => mergeStores(s1, [s1])).code).toBe('USAGE');
    expect(thrownMcpRiskError(() => mergeStores(join(dir, '.', 'shard-1.db'), [s1])).code).toBe('USAGE');
    const link = join(dir, 'link.db');
    symlinkSync(s1, link);
    expect(thrownMcpRiskError(() => mergeStores(link, [s1])).code).toBe('USAGE');
    expect(thrownMcpRiskError(() => mergeStores(join(dir, 'out.db'), [])).code).toBe('USAGE');
  });

  it('refuses a missing input with INPUT_NOT_FOUND before creating the output', () => {
    const [s1] = shards();
    const out = join(dir, 'out.db');
    const missing = join(dir, 'no-such.db');
    const err = thrownMcpRiskError(() => mergeStores(out, [s1, missing]));
    expect(err.code).toBe('INPUT_NOT_FOUND');
    expect(err.message).toContain(missing);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses an input that is not SQLite with one line of DB_ERROR, leaving the output unchanged', () => {
    const [s1, s2] = shards();
    const out = join(dir, 'out.db');
    mergeStores(out, [s1]);
    const before = dump(out);
    const notes = join(dir, 'notes.txt');
    writeFileSync(notes, 'these are my notes, not a database\n'.repeat(200));
    const err = thrownMcpRiskError(() => mergeStores(out, [s2, notes]));
    expect(err.code).toBe('DB_ERROR');
    expect(err.message).toContain(notes);
    expect(err.message).toContain('not a SQLite database');
    expect(err.message).not.toContain('\n');
    expect(dump(out)).toEqual(before);
  });

  it('refuses a SQLite file that is not an mcp-risk database, and one from a newer mcp-risk', () => {
    const other = join(dir, 'other.db');
    withDb(other, (db) => db.exec('CREATE TABLE notes (x TEXT)'));
    const err = thrownMcpRiskError(() => mergeStores(join(dir, 'out.db'), [other]));
    expect([err.code, err.message]).toEqual(['DB_ERROR', `The input ${other} is not an mcp-risk results database.`]);

    const [s1] = shards();
    withDb(s1, (db) => db.pragma(`user_version = ${migrations.length + 1}`));
    const newer = thrownMcpRiskError(() => mergeStores(join(dir, 'out.db'), [s1]));
    expect(newer.code).toBe('DB_ERROR');
    expect(newer.message).toContain(s1);
    expect(newer.message).toContain('newer');
  });

  it('rolls back an input that fails half way, keeping the inputs merged before it', () => {
    const [s1, s2] = shards();
    // A scan whose server row is gone: its tools would go in before the scan row fails.
    withDb(s2, (db) => {
      db.pragma('foreign_keys = OFF');
      db.prepare("UPDATE scans SET server_id = 999 WHERE server_id = (SELECT id FROM servers WHERE name = 'delta')").run();
    });
    const expected = join(dir, 'expected.db');
    mergeStores(expected, [s1]);
    const out = join(dir, 'out.db');
    const err = thrownMcpRiskError(() => mergeStores(out, [s1, s2]));
    expect(err.code).toBe('DB_ERROR');
    expect(err.message).toContain(s2);
    expect(err.message).not.toContain('\n');
    expect(dump(out)).toEqual(dump(expected));
    expect(withDb(out, (db) => db.pragma('foreign_key_check'))).toEqual([]);
  });

  it('knows every table and every id column of the schema', () => {
    const path = join(dir, 'schema.db');
    openStore(path).close();
    withDb(path, (db) => {
      const tables = (
        db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{
          name: string;
        }>
      ).map((r) => r.name);
      expect([...Object.keys(MERGE_ID_COLUMNS), ...NOT_MERGED].sort()).toEqual(tables);
      const rowidColumn = (table: string): string | undefined => {
        const cols = db.prepare('SELECT name, type, pk FROM pragma_table_info(?)').all(table) as Array<{
          name: string;
          type: string;
          pk: number;
        }>;
        const pk = cols.filter((c) => c.pk > 0);
        return pk.length === 1 && pk[0]!.type.toUpperCase() === 'INTEGER' ? pk[0]!.name : undefined;
      };
      for (const table of tables) {
        const own = rowidColumn(table);
        if (own !== undefined) expect(MERGE_ID_COLUMNS[table], `${table}.${own}`).toContain(own);
        const fks = db.prepare('SELECT "table" AS parent, "from" AS col, "to" AS target FROM pragma_foreign_key_list(?)').all(table) as Array<{
          parent: string;
          col: string;
          target: string | null;
        }>;
        for (const fk of fks) {
          if ((fk.target ?? rowidColumn(fk.parent)) === rowidColumn(fk.parent)) {
            expect(MERGE_ID_COLUMNS[table], `${table}.${fk.col} -> ${fk.parent}`).toContain(fk.col);
          }
        }
      }
    });
  });

  it('merges shards of thousands of scans with set-based SQL', () => {
    const make = (name: string, servers: number, scansPerServer: number, offset: number): string => {
      const path = join(dir, `${name}.db`);
      openStore(path).close();
      withDb(path, (db) => {
        db.exec(`
          WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${servers})
          INSERT INTO servers (name, source_kind, source_target, first_seen_at)
            SELECT 'server-' || (i + ${offset}), 'stdio', 'npx -y s' || i, '${T0}' FROM n;
          INSERT INTO tool_versions (hash, name, definition, first_seen_at)
            SELECT 'hash-' || (id % 500), 'tool-' || (id % 500), X'', '${T0}' FROM servers WHERE true
            ON CONFLICT DO NOTHING;
          WITH RECURSIVE k(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM k WHERE j < ${scansPerServer})
          INSERT INTO scans (server_id, started_at, duration_ms, status, source_kind, source_target, tool_count, uid)
            SELECT v.id, '2026-01-' || printf('%02d', j) || 'T00:00:00.000Z', 5, 'ok', 'stdio', v.source_target, 3,
                   '${name}-' || v.id || '-' || j
            FROM servers v, k;
          INSERT INTO scan_tools (scan_id, position, tool_id)
            SELECT s.id, p.p, (SELECT id FROM tool_versions WHERE hash = 'hash-' || ((s.server_id + p.p) % 500))
            FROM scans s, (SELECT 0 AS p UNION ALL SELECT 1 UNION ALL SELECT 2) p;
          INSERT INTO findings (scan_id, origin, code, severity, args_json) SELECT id, 'scan', 'x', 'info', '{}' FROM scans;
        `);
      });
      return path;
    };
    const a = make('big-a', 1000, 10, 0);
    const b = make('big-b', 1000, 10, 1000);
    const out = join(dir, 'out.db');
    expect(mergeStores(out, [a, b])).toMatchObject({ servers: 2000, scansAdded: 20_000, toolVersionsAdded: 500 });
    expect(mergeStores(out, [a, b])).toMatchObject({ scansAdded: 0, scansAlreadyPresent: 20_000 });
    withDb(out, (db) => {
      expect(db.prepare('SELECT count(*) AS n FROM scan_tools').get()).toEqual({ n: 60_000 });
      expect(db.pragma('foreign_key_check')).toEqual([]);
    });
  });
});
