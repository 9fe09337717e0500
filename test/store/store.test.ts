// The store against a real SQLite file: migrations, round trips, deduplication, atomic scans, errors.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { classifierVersion, defaultDbPath, highestRisk, migrations, openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/index.js';
import type { FindingCode } from '../../src/model/index.js';
import { finding, snapshot, tool, verdict } from './make.js';
import { thrownMcpRiskError } from '../support/errors.js';

let dir: string;
let dbPath: string;
const open: Store[] = [];

function openTracked(path = dbPath): Store {
  const s = openStore(path);
  open.push(s);
  return s;
}

function count(table: string): number {
  const db = new Database(dbPath, { readonly: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mcp-risk-store-'));
  dbPath = join(dir, 'nested', 'folder', 'mcp-risk.db');
});

afterEach(() => {
  for (const s of open.splice(0)) s.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('defaultDbPath', () => {
  it('prefers $MCP_RISK_DB, then $XDG_DATA_HOME, then ~/.local/share', () => {
    expect(defaultDbPath({ MCP_RISK_DB: '/x/y.db', XDG_DATA_HOME: '/xdg' })).toBe('/x/y.db');
    expect(defaultDbPath({ XDG_DATA_HOME: '/xdg' })).toBe('/xdg/mcp-risk/mcp-risk.db');
    expect(defaultDbPath({ HOME: '/home/u' })).toBe('/home/u/.local/share/mcp-risk/mcp-risk.db');
  });
});

describe('openStore', () => {
  it('creates the parent folder, turns WAL and foreign keys on, and records the schema version', () => {
    openTracked().close();
    const db = new Database(dbPath);
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    } finally {
      db.close();
    }
  });

  it('is idempotent on reopen and keeps the data', () => {
    const t = tool('read_file');
    const s1 = openTracked();
    s1.recordScan(snapshot('fs', [t]), [verdict(t, 'Read', 'Low')]);
    s1.close();
    const s2 = openTracked();
    expect(s2.listServers().map((s) => s.name)).toEqual(['fs']);
    s2.close();
    openTracked().close();
    expect(count('scans')).toBe(1);
  });

  it('applies only the missing migrations, in order', () => {
    const first = [migrations[0]!];
    openStore(dbPath, { migrations: first }).close();
    const next = [...first, { name: 'extra', sql: 'CREATE TABLE extra (x INTEGER);' }];
    openStore(dbPath, { migrations: next }).close();
    // Reopening must not re-run step 2 (CREATE TABLE would fail if it did).
    openStore(dbPath, { migrations: next }).close();
    const db = new Database(dbPath);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(2);
    } finally {
      db.close();
    }
  });

  it('rolls back a failing migration as a whole', () => {
    const broken = [...migrations, { name: 'broken', sql: 'CREATE TABLE half (x INTEGER); SELECT * FROM no_such_table;' }];
    expect(thrownMcpRiskError(() => openStore(dbPath, { migrations: broken })).code).toBe('DB_ERROR');
    const db = new Database(dbPath);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
      expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined();
    } finally {
      db.close();
    }
  });

  it('refuses a file that is not a SQLite database with DB_ERROR', () => {
    const path = join(dir, 'notes.txt');
    writeFileSync(path, 'these are my notes, not a database\n'.repeat(200));
    const err = thrownMcpRiskError(() => openStore(path));
    expect(err.code).toBe('DB_ERROR');
    expect(err.message).toContain('not a SQLite database');
    expect(err.message).not.toContain('\n');
  });

  it('refuses a database from a newer mcp-risk with DB_ERROR', () => {
    openTracked().close();
    const db = new Database(dbPath);
    db.pragma(`user_version = ${migrations.length + 5}`);
    db.close();
    const err = thrownMcpRiskError(() => openStore(dbPath));
    expect(err.code).toBe('DB_ERROR');
    expect(err.message).toMatch(/newer/);
  });

  it('reports a folder it cannot create as DB_ERROR', () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    expect(thrownMcpRiskError(() => openStore(join(file, 'sub', 'db.sqlite'))).code).toBe('DB_ERROR');
  });
});

describe('recordScan and read back', () => {
  it('round-trips a scan: server, scan fields, tools in order, verdicts and findings', () => {
    const store = openTracked();
    const a = tool('write_file', 'Write a file', { annotations: { destructiveHint: false } });
    const b = tool('read_file');
    const c = tool('mystery', '');
    const snap = snapshot('fs', [a, b, c], {
      findings: [
        finding('ingest.stdout-noise', { args: { count: 2, oversized: 0, sample: 'hello' } }),
        finding('ingest.truncated', { tool: 'read_file', path: 'description' }),
      ],
      instructions: 'Be nice',
      stderrTail: 'starting…',
    });
    const va = verdict(a, 'Write', 'Medium', { findings: [finding('annotation.missing', { tool: 'write_file', args: { readOnlyHint: false } })] });
    const vb = verdict(b, 'Read', 'Low');
    const id = store.recordScan(snap, [va, vb]);

    const result = store.scanResult(id);
    expect(result.scan).toEqual({
      id,
      serverName: 'fs',
      source: { kind: 'stdio', target: 'npx -y fs' },
      status: 'ok',
      stderrTail: 'starting…',
      startedAt: '2026-01-01T00:00:00.000Z',
      durationMs: 1234,
      serverInfo: { name: 'fs-server', version: '1.2.3' },
      protocolVersion: '2025-06-18',
      instructions: 'Be nice',
      promptCount: 2,
      resourceCount: 0,
      toolCount: 3,
    });
    expect(result.tools.map((t) => t.definition)).toEqual([a.definition, b.definition, c.definition]);
    expect(result.tools.map((t) => t.hash)).toEqual([a.hash, b.hash, c.hash]);
    expect(result.tools[0]!.classification).toEqual(va);
    expect(result.tools[1]!.classification).toEqual(vb);
    expect(result.tools[2]!.classification).toBeUndefined();
    expect(result.tools[0]!.firstSeenAt).toBe('2026-01-01T00:00:00.000Z');
    expect(result.findings).toEqual(snap.findings);
    expect(store.getScan(id)).toEqual(result.scan);
    // A verdict's findings live inside its packed result: only the listing's own findings are rows.
    expect(count('findings')).toBe(snap.findings.length);
  });

  it('stores an unchanged tool and its verdict once across two scans, and a changed one as a new version', () => {
    const store = openTracked();
    const t1 = tool('run_query', 'Run SQL');
    const keep = tool('list_tables');
    const first = store.recordScan(snapshot('db', [t1, keep]), [verdict(t1, 'Execute', 'High'), verdict(keep, 'Read', 'Low')]);
    const t2 = tool('run_query', 'Run any SQL, including DROP');
    const second = store.recordScan(snapshot('db', [t2, keep], { startedAt: '2026-02-01T00:00:00.000Z' }), [
      verdict(t2, 'Execute', 'Critical'),
      verdict(keep, 'Read', 'Low'),
    ]);
    expect(count('tool_versions')).toBe(3);
    expect(count('classifications')).toBe(3);
    expect(count('scan_tools')).toBe(4);
    expect(store.scanResult(second).tools.find((t) => t.hash === keep.hash)!.firstSeenAt).toBe('2026-01-01T00:00:00.000Z');

    const history = store.toolHistory('db', 'run_query');
    expect(history.map((h) => [h.hash, h.firstSeenAt, h.scans.map((s) => s.id)])).toEqual([
      [t1.hash, '2026-01-01T00:00:00.000Z', [first]],
      [t2.hash, '2026-02-01T00:00:00.000Z', [second]],
    ]);
    expect(history[1]!.classification?.risk).toBe('Critical');
    const stable = store.toolHistory('db', 'list_tables');
    expect(stable).toHaveLength(1);
    expect(stable[0]!.scans.map((s) => s.id)).toEqual([first, second]);
    expect(stable[0]!.lastSeenAt).toBe('2026-02-01T00:00:00.000Z');
  });

  it('keeps a verdict per classifier version, and each scan reads back the one it used', () => {
    const store = openTracked();
    const t = tool('send_email');
    const rules = verdict(t, 'Write', 'Medium');
    const llm = verdict(t, 'Write', 'High', {
      method: 'rules+llm',
      provenance: { rules: 'rules@1', taxonomy: 'taxonomy@1', prompt: 'classify@1', model: 'm' },
    });
    expect(classifierVersion(rules)).toBe('rules@1');
    expect(classifierVersion(llm)).toBe('rules@1+classify@1+m');
    const s1 = store.recordScan(snapshot('mail', [t]), [rules]);
    const s2 = store.recordScan(snapshot('mail', [t], { startedAt: '2026-01-02T00:00:00.000Z' }), [llm]);
    expect(count('classifications')).toBe(2);
    expect(store.scanResult(s1).tools[0]!.classification?.risk).toBe('Medium');
    expect(store.scanResult(s2).tools[0]!.classification?.risk).toBe('High');
  });

  it('writes nothing of a scan whose verdicts do not match its tools, and keeps earlier scans', () => {
    const store = openTracked();
    const t = tool('read_file');
    const first = store.recordScan(snapshot('fs', [t]), [verdict(t, 'Read', 'Low')]);
    const other = tool('not_in_this_scan');
    const err = thrownMcpRiskError(() => store.recordScan(snapshot('fs2', [t]), [verdict(other, 'Write', 'Medium')]));
    expect(err.code).toBe('DB_ERROR');
    expect(count('servers')).toBe(1);
    expect(count('scans')).toBe(1);
    expect(store.scanResult(first).tools).toHaveLength(1);
  });

  it('rolls back a scan when a write fails mid-transaction, and keeps earlier scans intact', () => {
    const store = openTracked();
    const t = tool('read_file');
    const first = store.recordScan(snapshot('fs', [t], { findings: [finding('ingest.stdout-noise')] }), [verdict(t, 'Read', 'Low')]);
    const before = {
      servers: count('servers'),
      scans: count('scans'),
      tv: count('tool_versions'),
      cl: count('classifications'),
      st: count('scan_tools'),
      f: count('findings'),
    };

    // The findings are written last, so failing there proves server, scan, tools and verdicts roll back too.
    const db = new Database(dbPath);
    db.exec("CREATE TRIGGER fail_findings BEFORE INSERT ON findings WHEN NEW.code = 'boom' BEGIN SELECT RAISE(ABORT, 'injected failure'); END;");
    db.close();

    const fresh = tool('delete_file');
    const err = thrownMcpRiskError(() =>
      store.recordScan(snapshot('other-server', [t, fresh], { findings: [finding('ingest.stdout-noise'), finding('boom' as FindingCode)] }), [
        verdict(fresh, 'Destructive', 'Critical'),
      ]),
    );
    expect(err.code).toBe('DB_ERROR');
    expect(err.message).toContain('injected failure');
    expect({
      servers: count('servers'),
      scans: count('scans'),
      tv: count('tool_versions'),
      cl: count('classifications'),
      st: count('scan_tools'),
      f: count('findings'),
    }).toEqual(before);
    expect(store.scanResult(first).findings).toHaveLength(1);
    expect(store.listServers().map((s) => s.name)).toEqual(['fs']);
  });
});

describe('prepared statements', () => {
  it('prepares each statement once per open store, however many scans it writes and reads', () => {
    const prepare = vi.spyOn(Database.prototype, 'prepare');
    try {
      const store = openTracked();
      const t = tool('read_file');
      for (let i = 0; i < 3; i++) {
        const id = store.recordScan(snapshot('fs', [t]), [verdict(t, 'Read', 'Low')]);
        store.scanResult(id);
        store.listServers();
        store.latestScan('fs', { okOnly: true });
      }
      const texts = prepare.mock.calls.map(([sql]) => sql);
      expect(texts.length).toBeGreaterThan(0);
      expect(texts.length).toBe(new Set(texts).size);
    } finally {
      prepare.mockRestore();
    }
  });
});

describe('listServers and latestScan', () => {
  it('summarises each server from its last scan and its last successful scan', () => {
    const store = openTracked();
    const r = tool('read');
    const d = tool('drop');
    const ok = store.recordScan(snapshot('b-db', [r, d]), [verdict(r, 'Read', 'Low'), verdict(d, 'Destructive', 'Critical')]);
    const failed = store.recordScan(snapshot('b-db', [], { status: 'timeout', error: 'no answer in 30 s', startedAt: '2026-03-01T00:00:00.000Z' }), []);
    store.recordScan(snapshot('a-unknown', [r]), []);
    store.recordScan(snapshot('c-broken', [], { status: 'failed', error: 'exited with code 1' }), []);

    const list = store.listServers();
    expect(list.map((s) => s.name)).toEqual(['a-unknown', 'b-db', 'c-broken']);
    const [a, b, c] = list;
    expect(b).toMatchObject({ lastScanId: failed, lastStatus: 'timeout', lastOkScanId: ok, toolCount: 2, highestRisk: 'Critical' });
    // A tool without a verdict makes the headline Unknown, never Low.
    expect(a).toMatchObject({ toolCount: 1, highestRisk: 'Unknown' });
    expect(c).toMatchObject({ lastStatus: 'failed', toolCount: 0, highestRisk: null });
    expect(c!.lastOkScanId).toBeUndefined();

    expect(store.latestScan('b-db').id).toBe(failed);
    expect(store.latestScan('b-db', { okOnly: true }).id).toBe(ok);
  });

  it('says NOT_FOUND with the known names as a hint', () => {
    const store = openTracked();
    expect(thrownMcpRiskError(() => store.latestScan('nothing')).hint).toMatch(/no scans yet/);
    const t = tool('read_file');
    store.recordScan(snapshot('fs', [t]), []);
    store.recordScan(snapshot('broken', [], { status: 'failed', error: 'boom' }), []);

    const noServer = thrownMcpRiskError(() => store.latestScan('fz'));
    expect(noServer.code).toBe('NOT_FOUND');
    expect(noServer.hint).toContain('broken, fs');
    const noOk = thrownMcpRiskError(() => store.latestScan('broken', { okOnly: true }));
    expect(noOk.code).toBe('NOT_FOUND');
    expect(noOk.hint).toContain('boom');
    expect(thrownMcpRiskError(() => store.getScan(999)).code).toBe('NOT_FOUND');
    expect(thrownMcpRiskError(() => store.scanResult(999)).code).toBe('NOT_FOUND');
    const noTool = thrownMcpRiskError(() => store.toolHistory('fs', 'write_file'));
    expect(noTool.code).toBe('NOT_FOUND');
    expect(noTool.hint).toContain('read_file');
  });
});

describe('highestRisk', () => {
  it('never lets Unknown read as Low', () => {
    expect(highestRisk([])).toBeNull();
    expect(highestRisk(['Low', 'Unknown'])).toBe('Unknown');
    expect(highestRisk(['Unknown'])).toBe('Unknown');
    expect(highestRisk(['Medium', 'Unknown', 'Low'])).toBe('Medium');
    expect(highestRisk(['Low', 'Critical', 'High'])).toBe('Critical');
  });
});
