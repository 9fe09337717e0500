// Merges results databases (e.g. the shards of one catalogue refresh) into one, history included.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { McpRiskError } from '../model/index.js';
import { migrations } from './migrations.js';
import { openStore } from './store.js';
import { describeSqliteError, messageOf } from './sqlite-errors.js';

type Db = Database.Database;

export interface MergeReport {
  /** Input databases merged. */
  inputs: number;
  /** Servers in the output database after the merge. */
  servers: number;
  scansAdded: number;
  /** Scans skipped because a scan with the same uid was already in the output. */
  scansAlreadyPresent: number;
  toolVersionsAdded: number;
  classificationsAdded: number;
  llmCacheAdded: number;
  refreshesAdded: number;
}

/**
 * Every table merge copies, with its columns that hold a local integer id: those are given new values
 * (own ids) or mapped to the output's ids (references). Every other column is copied as is, so a
 * migration that only adds plain columns needs no change here; one that adds a table or an id column
 * must extend this list (a test compares it with the schema).
 */
export const MERGE_ID_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  servers: ['id'],
  refreshes: ['id'],
  refresh_skips: ['refresh_id'],
  tool_versions: ['id'],
  classifications: ['tool_id'],
  llm_cache: [],
  scans: ['id', 'server_id', 'refresh_id'],
  scan_tools: ['scan_id', 'tool_id'],
  findings: ['id', 'scan_id'],
};

/** Tables merge leaves alone: manifest_stamps holds this machine's file stamps, which mean nothing elsewhere. */
export const NOT_MERGED: ReadonlySet<string> = new Set(['manifest_stamps']);

const BUSY_TIMEOUT_MS = 5000;

interface Input {
  path: string;
  version: number;
  /** Scans of an input from before scan uids existed get them from the migration, at random. */
  hasUidColumn: boolean;
}

/** Per table, the columns copied as is, in the output's order. */
type Columns = Record<string, string[]>;

/**
 * Merges each input database into `outPath` (created and migrated if missing). All inputs are opened
 * read-only and migrated copies are never written. The whole merge of one input is one transaction:
 * a failure leaves OUT as it was before that input.
 *
 * Each input is first copied with `VACUUM INTO` from a read-only connection to a private temporary file
 * (a consistent snapshot even while a shard is still being written), which is migrated with `openStore`
 * when older and then attached to the output. Scans are matched by uid, so merging an input again adds
 * nothing.
 */
export function mergeStores(outPath: string, inputPaths: readonly string[]): MergeReport {
  if (inputPaths.length === 0) throw new McpRiskError('USAGE', 'Merge needs at least one input database.');
  for (const input of inputPaths) {
    if (samePath(outPath, input)) {
      throw new McpRiskError('USAGE', `The output database ${outPath} is also given as an input.`, {
        hint: 'Merge into a new file, or leave the output out of the inputs.',
      });
    }
  }
  // Every input is checked before the output is created or touched.
  const inputs = inputPaths.map(inspectInput);

  openStore(outPath).close();
  const db = openOutput(outPath);
  const tmp = mkdtempSync(join(tmpdir(), 'mcp-risk-merge-'));
  const report: MergeReport = {
    inputs: inputs.length,
    servers: 0,
    scansAdded: 0,
    scansAlreadyPresent: 0,
    toolVersionsAdded: 0,
    classificationsAdded: 0,
    llmCacheAdded: 0,
    refreshesAdded: 0,
  };
  try {
    const columns = copiedColumns(db);
    db.exec(`
      CREATE TEMP TABLE scan_map (src_id INTEGER PRIMARY KEY, dst_id INTEGER NOT NULL UNIQUE);
      CREATE TEMP TABLE refresh_map (src_id INTEGER PRIMARY KEY, dst_id INTEGER NOT NULL);
      CREATE TEMP TABLE tool_map (src_id INTEGER PRIMARY KEY, dst_id INTEGER NOT NULL);
    `);
    inputs.forEach((input, i) => {
      const copy = join(tmp, `input-${i}.db`);
      try {
        snapshotInput(input, copy);
        mergeOne(db, input, copy, outPath, columns, report);
      } finally {
        for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(copy + suffix, { force: true });
      }
    });
    report.servers = countRows(db, 'main.servers');
    return report;
  } finally {
    db.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The same file, by path or (when both exist) by inode, so a symlink or hard link is caught too. */
function samePath(a: string, b: string): boolean {
  if (resolve(a) === resolve(b)) return true;
  const sa = statOrUndefined(a);
  const sb = statOrUndefined(b);
  return sa !== undefined && sb !== undefined && sa.dev === sb.dev && sa.ino === sb.ino;
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function inspectInput(path: string): Input {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (cause) {
    const missing = (cause as { code?: unknown }).code === 'ENOENT';
    const message = missing ? `The input database ${path} does not exist.` : `Cannot read the input database ${path}: ${messageOf(cause)}`;
    throw new McpRiskError('INPUT_NOT_FOUND', message, { cause });
  }
  if (!stats.isFile()) throw new McpRiskError('INPUT_NOT_FOUND', `The input database ${path} is not a file.`);

  let db: Db | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // The first real read happens here, so a file that is not SQLite fails on this line.
    const version = db.pragma('user_version', { simple: true }) as number;
    const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((r) => r.name));
    if (version === 0 || !tables.has('servers') || !tables.has('scans')) {
      throw new McpRiskError('DB_ERROR', `The input ${path} is not an mcp-risk results database.`);
    }
    if (version > migrations.length) {
      throw new McpRiskError(
        'DB_ERROR',
        `The input database ${path} has schema version ${version}, newer than this mcp-risk understands (${migrations.length}).`,
        { hint: 'Upgrade mcp-risk to merge it.' },
      );
    }
    return { path, version, hasUidColumn: columnsOf(db, 'main', 'scans').includes('uid') };
  } catch (cause) {
    if (cause instanceof McpRiskError) throw cause;
    throw new McpRiskError('DB_ERROR', `Cannot read the input database ${path}: ${describeSqliteError(cause)}`, { cause });
  } finally {
    db?.close();
  }
}

function openOutput(path: string): Db {
  try {
    const db = new Database(path);
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('foreign_keys = ON');
    return db;
  } catch (cause) {
    throw new McpRiskError('DB_ERROR', `Cannot open the results database ${path}: ${describeSqliteError(cause)}`, { cause });
  }
}

/** Copies the input to `copy`, migrates the copy, and gives every scan a uid that is stable across merges. */
function snapshotInput(input: Input, copy: string): void {
  let src: Db | undefined;
  try {
    src = new Database(input.path, { readonly: true, fileMustExist: true });
    src.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    src.prepare('VACUUM INTO ?').run(copy);
  } catch (cause) {
    throw new McpRiskError('DB_ERROR', `Cannot read the input database ${input.path}: ${describeSqliteError(cause)}`, { cause });
  } finally {
    src?.close();
  }
  if (input.version < migrations.length) {
    try {
      openStore(copy).close();
    } catch (cause) {
      const root = cause instanceof McpRiskError && cause.cause !== undefined ? cause.cause : cause;
      throw new McpRiskError(
        'DB_ERROR',
        `Cannot bring the input database ${input.path} up to date from schema version ${input.version}: ${describeSqliteError(root)}`,
        { cause },
      );
    }
  }
  const copyDb = new Database(copy);
  try {
    assignStableUids(copyDb, !input.hasUidColumn);
  } catch (cause) {
    throw new McpRiskError('DB_ERROR', `Cannot give the scans of ${input.path} stable uids: ${describeSqliteError(cause)}`, { cause });
  } finally {
    copyDb.close();
  }
}

/**
 * The migration that added `scans.uid` fills it at random, so a migrated copy of the same old file would
 * get new uids on every merge. Such scans (and any without a uid) get one derived from what was scanned
 * instead, numbered among identical scans, so merging an old database again is still a no-op.
 */
function assignStableUids(db: Db, all: boolean): void {
  if (!all && db.prepare('SELECT 1 FROM scans WHERE uid IS NULL LIMIT 1').get() === undefined) return;
  db.function('mcp_risk_scan_key', { deterministic: true, varargs: true }, (...parts: unknown[]) =>
    createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32),
  );
  db.transaction(() => {
    db.exec(`
      CREATE TEMP TABLE stable_uid (id INTEGER PRIMARY KEY, uid TEXT NOT NULL);
      INSERT INTO temp.stable_uid (id, uid)
        SELECT id, 'legacy-' || k || '-' || row_number() OVER (PARTITION BY k ORDER BY id) FROM (
          SELECT s.id, mcp_risk_scan_key(v.name, s.started_at, s.duration_ms, s.status, s.error, s.source_kind,
              s.source_target, s.tool_count,
              (SELECT group_concat(tv.hash, ' ' ORDER BY st.position) FROM scan_tools st JOIN tool_versions tv ON tv.id = st.tool_id
                WHERE st.scan_id = s.id)) AS k
          FROM scans s JOIN servers v ON v.id = s.server_id
          ${all ? '' : 'WHERE s.uid IS NULL'}
        );
      UPDATE scans SET uid = (SELECT k.uid FROM temp.stable_uid k WHERE k.id = scans.id)
        WHERE id IN (SELECT id FROM temp.stable_uid);
      DROP TABLE temp.stable_uid;
    `);
  })();
}

/** The output's columns minus the id columns, per merged table; the output has this build's schema. */
function copiedColumns(db: Db): Columns {
  const out: Columns = {};
  for (const [table, ids] of Object.entries(MERGE_ID_COLUMNS)) {
    out[table] = columnsOf(db, 'main', table).filter((c) => !ids.includes(c));
  }
  return out;
}

function columnsOf(db: Db, schema: string, table: string): string[] {
  const rows = db.prepare('SELECT name FROM pragma_table_info(?, ?) ORDER BY cid').all(table, schema) as Array<{ name: string }>;
  return rows.map((r) => r.name);
}

function mergeOne(db: Db, input: Input, copy: string, outPath: string, columns: Columns, report: MergeReport): void {
  db.prepare('ATTACH DATABASE ? AS src').run(copy);
  try {
    // The copy is at this build's schema version, but a foreign database could still lack a column.
    for (const [table, ids] of Object.entries(MERGE_ID_COLUMNS)) {
      const have = new Set(columnsOf(db, 'src', table));
      const missing = [...ids, ...columns[table]!].find((c) => !have.has(c));
      if (missing !== undefined) {
        throw new McpRiskError('DB_ERROR', `The input ${input.path} is not an mcp-risk results database (table ${table} lacks column ${missing}).`);
      }
    }
    db.transaction(() => mergeAttached(db, columns, report)).immediate();
  } catch (cause) {
    if (cause instanceof McpRiskError) throw cause;
    throw new McpRiskError('DB_ERROR', `Cannot merge ${input.path} into ${outPath}: ${describeSqliteError(cause)}`, {
      cause,
      hint: `${outPath} is as it was before this input. Merging again is safe: scans already there are skipped.`,
    });
  } finally {
    db.exec('DETACH DATABASE src');
  }
}

/** Merges the attached `src` into `main`; runs inside one transaction. */
function mergeAttached(db: Db, columns: Columns, report: MergeReport): void {
  const cols = (table: string, alias?: string): string => columns[table]!.map((c) => (alias ? `${alias}.${q(c)}` : q(c))).join(', ');
  const takeNewer = (table: string, key: readonly string[]): string =>
    columns[table]!.filter((c) => !key.includes(c))
      .map((c) => `${q(c)} = excluded.${q(c)}`)
      .join(', ');
  const before = {
    toolVersions: countRows(db, 'main.tool_versions'),
    classifications: countRows(db, 'main.classifications'),
    llmCache: countRows(db, 'main.llm_cache'),
    refreshes: countRows(db, 'main.refreshes'),
  };

  db.exec(`
    DELETE FROM temp.scan_map;
    DELETE FROM temp.refresh_map;
    DELETE FROM temp.tool_map;

    -- "WHERE true" keeps SQLite from reading ON CONFLICT as a join constraint.
    INSERT INTO main.servers (${cols('servers')})
      SELECT ${cols('servers')} FROM src.servers WHERE true
      ON CONFLICT (name) DO UPDATE SET first_seen_at = min(first_seen_at, excluded.first_seen_at);

    -- One run seen in two files: it started at the earlier time, and is finished only if both copies
    -- finished (then at the later time, with that copy's summary); an unfinished copy keeps its progress.
    INSERT INTO main.refreshes (${cols('refreshes')})
      SELECT ${cols('refreshes')} FROM src.refreshes WHERE true
      ON CONFLICT (uid) DO UPDATE SET
        started_at = min(started_at, excluded.started_at),
        finished_at = CASE WHEN finished_at IS NULL OR excluded.finished_at IS NULL THEN NULL
                           ELSE max(finished_at, excluded.finished_at) END,
        summary_json = CASE
          WHEN finished_at IS NOT NULL AND excluded.finished_at IS NOT NULL
            THEN CASE WHEN excluded.finished_at > finished_at THEN excluded.summary_json ELSE summary_json END
          WHEN finished_at IS NULL THEN summary_json
          ELSE excluded.summary_json END;
    INSERT INTO temp.refresh_map (src_id, dst_id)
      SELECT s.id, m.id FROM src.refreshes s JOIN main.refreshes m ON m.uid = s.uid;
    INSERT OR IGNORE INTO main.refresh_skips (refresh_id, ${cols('refresh_skips')})
      SELECT r.dst_id, ${cols('refresh_skips', 'k')}
      FROM src.refresh_skips k JOIN temp.refresh_map r ON r.src_id = k.refresh_id;

    INSERT INTO main.tool_versions (${cols('tool_versions')})
      SELECT ${cols('tool_versions')} FROM src.tool_versions WHERE true
      ON CONFLICT (hash) DO UPDATE SET first_seen_at = min(first_seen_at, excluded.first_seen_at);
    -- Definitions are matched by hash; scans and verdicts refer to them by the output's ids.
    INSERT INTO temp.tool_map (src_id, dst_id)
      SELECT s.id, m.id FROM src.tool_versions s JOIN main.tool_versions m ON m.hash = s.hash;

    -- As when recording: the newest verdict of a classifier version wins.
    INSERT INTO main.classifications (tool_id, ${cols('classifications')})
      SELECT t.dst_id, ${cols('classifications', 'c')} FROM src.classifications c JOIN temp.tool_map t ON t.src_id = c.tool_id WHERE true
      ON CONFLICT (tool_id, classifier_version) DO UPDATE SET ${takeNewer('classifications', ['classifier_version'])}
      WHERE excluded.created_at > classifications.created_at;

    INSERT INTO main.llm_cache (${cols('llm_cache')})
      SELECT ${cols('llm_cache')} FROM src.llm_cache WHERE true
      ON CONFLICT (hash, model, prompt, taxonomy) DO UPDATE SET ${takeNewer('llm_cache', ['hash', 'model', 'prompt', 'taxonomy'])}
      WHERE excluded.created_at > llm_cache.created_at;

    -- New scans get ids after the output's, in the order they ran.
    INSERT INTO temp.scan_map (src_id, dst_id)
      SELECT s.id, (SELECT coalesce(max(id), 0) FROM main.scans) + row_number() OVER (ORDER BY s.started_at, s.id)
      FROM src.scans s WHERE NOT EXISTS (SELECT 1 FROM main.scans m WHERE m.uid = s.uid);
    -- LEFT JOINs: a scan whose server cannot be mapped fails the NOT NULL constraint instead of vanishing.
    INSERT INTO main.scans (id, server_id, refresh_id, ${cols('scans')})
      SELECT m.dst_id, v.id, r.dst_id, ${cols('scans', 's')}
      FROM temp.scan_map m
      JOIN src.scans s ON s.id = m.src_id
      LEFT JOIN src.servers sv ON sv.id = s.server_id
      LEFT JOIN main.servers v ON v.name = sv.name
      LEFT JOIN temp.refresh_map r ON r.src_id = s.refresh_id
      ORDER BY m.dst_id;
    INSERT INTO main.scan_tools (scan_id, tool_id, ${cols('scan_tools')})
      SELECT m.dst_id, tm.dst_id, ${cols('scan_tools', 't')}
      FROM src.scan_tools t JOIN temp.scan_map m ON m.src_id = t.scan_id LEFT JOIN temp.tool_map tm ON tm.src_id = t.tool_id;
    -- In source order, so findings read back in the order they were recorded.
    INSERT INTO main.findings (scan_id, ${cols('findings')})
      SELECT m.dst_id, ${cols('findings', 'f')}
      FROM src.findings f JOIN temp.scan_map m ON m.src_id = f.scan_id
      ORDER BY m.dst_id, f.id;

    -- A server's source is the one of its most recent scan, whichever file that scan came from.
    UPDATE main.servers SET (source_kind, source_target) = (
        SELECT s.source_kind, s.source_target FROM main.scans s WHERE s.server_id = servers.id
        ORDER BY s.started_at DESC, s.id DESC LIMIT 1)
      WHERE id IN (SELECT s.server_id FROM main.scans s JOIN temp.scan_map m ON m.dst_id = s.id);
  `);

  const added = countRows(db, 'temp.scan_map');
  report.scansAdded += added;
  report.scansAlreadyPresent += countRows(db, 'src.scans') - added;
  report.toolVersionsAdded += countRows(db, 'main.tool_versions') - before.toolVersions;
  report.classificationsAdded += countRows(db, 'main.classifications') - before.classifications;
  report.llmCacheAdded += countRows(db, 'main.llm_cache') - before.llmCache;
  report.refreshesAdded += countRows(db, 'main.refreshes') - before.refreshes;
}

function countRows(db: Db, table: string): number {
  return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

function q(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}
