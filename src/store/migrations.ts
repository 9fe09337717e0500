// The database schema as an ordered list of migrations; position N+1 is PRAGMA user_version N+1.
//
// A shipped migration is never edited: a schema change is a new entry at the end.
import { serverNameForSource } from '../ingest/server-name.js';
import type { SourceKind } from '../model/index.js';
import { packText } from './packed-json.js';
import type { Db } from './statements.js';

export interface Migration {
  /** Short name, for error messages only. */
  name: string;
  sql: string;
  /** A step SQL cannot express; runs after `sql`, in the same transaction. */
  run?: (db: Db) => void;
  /**
   * Tables the step rebuilds: foreign keys are switched off around it (SQLite's documented way to
   * change a table's shape), and these tables' references are checked before it commits.
   */
  rebuilds?: readonly string[];
}

export const migrations: readonly Migration[] = [
  {
    name: 'initial schema',
    sql: `
      CREATE TABLE servers (
        id            INTEGER PRIMARY KEY,
        name          TEXT    NOT NULL UNIQUE,
        source_kind   TEXT    NOT NULL,
        source_target TEXT    NOT NULL,
        first_seen_at TEXT    NOT NULL
      );

      CREATE TABLE scans (
        id                  INTEGER PRIMARY KEY,
        server_id           INTEGER NOT NULL REFERENCES servers(id) ON DELETE CASCADE,
        started_at          TEXT    NOT NULL,
        duration_ms         INTEGER NOT NULL,
        status              TEXT    NOT NULL
                            CHECK (status IN ('ok', 'auth-required', 'failed', 'timeout', 'no-tools')),
        error               TEXT,
        stderr_tail         TEXT,
        -- The source as given for this scan; servers.source_* holds the latest one.
        source_kind         TEXT    NOT NULL,
        source_target       TEXT    NOT NULL,
        server_info_name    TEXT,
        server_info_version TEXT,
        server_info_title   TEXT,
        protocol_version    TEXT,
        instructions        TEXT,
        prompt_count        INTEGER,
        resource_count      INTEGER,
        tool_count          INTEGER NOT NULL
      );
      CREATE INDEX scans_by_server ON scans (server_id, started_at);

      -- One row per distinct tool definition ever seen, whatever server listed it.
      CREATE TABLE tool_versions (
        hash            TEXT PRIMARY KEY,
        name            TEXT NOT NULL,
        definition_json TEXT NOT NULL,
        first_seen_at   TEXT NOT NULL
      );
      CREATE INDEX tool_versions_by_name ON tool_versions (name);

      -- One verdict per tool version and classifier version, so an unchanged tool is classified once.
      CREATE TABLE classifications (
        hash               TEXT    NOT NULL REFERENCES tool_versions(hash),
        classifier_version TEXT    NOT NULL,
        category           TEXT    NOT NULL,
        risk               TEXT    NOT NULL,
        confidence         REAL    NOT NULL,
        method             TEXT    NOT NULL,
        result_json        TEXT    NOT NULL,
        created_at         TEXT    NOT NULL,
        PRIMARY KEY (hash, classifier_version)
      );

      -- Which tool versions a scan saw, in listing order, and which verdict that scan used.
      CREATE TABLE scan_tools (
        scan_id            INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
        position           INTEGER NOT NULL,
        hash               TEXT    NOT NULL REFERENCES tool_versions(hash),
        classifier_version TEXT,
        PRIMARY KEY (scan_id, position),
        FOREIGN KEY (hash, classifier_version) REFERENCES classifications (hash, classifier_version)
      );
      CREATE INDEX scan_tools_by_hash ON scan_tools (hash);

      CREATE TABLE findings (
        id        INTEGER PRIMARY KEY,
        scan_id   INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
        -- 'scan' for ingest findings, 'classification' for findings a verdict carried.
        origin    TEXT    NOT NULL CHECK (origin IN ('scan', 'classification')),
        tool_hash TEXT    REFERENCES tool_versions(hash),
        -- Kept apart from tool_hash: a malformed tool has a name but no stored version.
        tool_name TEXT,
        code      TEXT    NOT NULL,
        severity  TEXT    NOT NULL,
        path      TEXT,
        args_json TEXT    NOT NULL
      );
      CREATE INDEX findings_by_scan ON findings (scan_id);
    `,
  },
  {
    name: 'LLM second opinion: verdict cache and per-scan usage',
    sql: `
      -- A verdict is reusable for the same definition, model, prompt version and taxonomy version:
      -- a second scan of an unchanged server makes no LLM request. Only valid verdicts are stored.
      CREATE TABLE llm_cache (
        hash         TEXT NOT NULL,
        model        TEXT NOT NULL,
        prompt       TEXT NOT NULL,
        taxonomy     TEXT NOT NULL,
        verdict_json TEXT NOT NULL,
        created_at   TEXT NOT NULL,
        PRIMARY KEY (hash, model, prompt, taxonomy)
      ) WITHOUT ROWID;

      -- How the LLM part of the scan went (status, model, prompt, requests, cached tools, reason), as JSON;
      -- token counts as columns so usage can be summed in SQL.
      ALTER TABLE scans ADD COLUMN llm_json TEXT;
      ALTER TABLE scans ADD COLUMN llm_prompt_tokens INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE scans ADD COLUMN llm_completion_tokens INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    name: 'catalogue refresh: runs, resumable progress, incremental fingerprints, mergeable scan ids',
    sql: `
      -- One run of \`mcp-risk refresh\`. A run without finished_at was interrupted; starting the same
      -- catalogue (same content, shard and options) again resumes it.
      CREATE TABLE refreshes (
        id             INTEGER PRIMARY KEY,
        uid            TEXT    NOT NULL UNIQUE,
        catalogue      TEXT    NOT NULL,
        catalogue_hash TEXT    NOT NULL,
        shard          TEXT,
        options_json   TEXT    NOT NULL,
        started_at     TEXT    NOT NULL,
        finished_at    TEXT,
        summary_json   TEXT
      );

      -- Servers a run skipped as unchanged, so a resumed run counts them as done.
      CREATE TABLE refresh_skips (
        refresh_id  INTEGER NOT NULL REFERENCES refreshes(id) ON DELETE CASCADE,
        server_name TEXT    NOT NULL,
        reason      TEXT    NOT NULL,
        PRIMARY KEY (refresh_id, server_name)
      );

      -- uid: random, unique across databases, so merging shard databases is idempotent.
      ALTER TABLE scans ADD COLUMN uid TEXT;
      UPDATE scans SET uid = lower(hex(randomblob(16))) WHERE uid IS NULL;
      CREATE UNIQUE INDEX scans_by_uid ON scans (uid);
      -- What the catalogue asked for (entry + resolved version, secrets unexpanded): unchanged means skip.
      ALTER TABLE scans ADD COLUMN config_fingerprint TEXT;
      -- The exact package version scanned, for npm sources.
      ALTER TABLE scans ADD COLUMN resolved_version TEXT;
      ALTER TABLE scans ADD COLUMN refresh_id INTEGER REFERENCES refreshes(id);
      CREATE INDEX scans_by_refresh ON scans (refresh_id);
    `,
  },
  {
    name: 'servers named by what was scanned, not by serverInfo',
    sql: '',
    run: renameServersBySource,
  },
  {
    name: 'how a stdio server was contained',
    sql: `
      -- sandbox, sandbox+network, pid-namespace or process-group; NULL for HTTP, manifests and older scans.
      ALTER TABLE scans ADD COLUMN isolation TEXT;
    `,
  },
  {
    name: 'compact storage: integer tool ids, packed definitions and verdicts',
    rebuilds: ['tool_versions', 'classifications', 'scan_tools'],
    sql: `
      -- Definitions and verdicts as raw DEFLATE of their JSON (src/store/packed-json.ts); scans list
      -- definitions by integer id, not by their 64-character hash. tool_versions_by_name served no
      -- query and is not made again; scan_tools_by_tool replaces scan_tools_by_hash, which deleting a
      -- definition needs (SQLite checks that no scan still lists it).
      CREATE TABLE tool_versions_packed (
        id            INTEGER PRIMARY KEY,
        hash          TEXT NOT NULL UNIQUE,
        name          TEXT NOT NULL,
        definition    BLOB NOT NULL,
        first_seen_at TEXT NOT NULL
      );
      CREATE TABLE classifications_packed (
        tool_id            INTEGER NOT NULL REFERENCES tool_versions_packed(id),
        classifier_version TEXT    NOT NULL,
        category           TEXT    NOT NULL,
        risk               TEXT    NOT NULL,
        confidence         REAL    NOT NULL,
        method             TEXT    NOT NULL,
        result             BLOB    NOT NULL,
        created_at         TEXT    NOT NULL,
        PRIMARY KEY (tool_id, classifier_version)
      ) WITHOUT ROWID;
      -- A NULL classifier_version: the scan stored no verdict for the tool. It is not a foreign key to
      -- classifications (that would need a wider index on every row): a verdict that is missing all
      -- the same reads back as Unknown, as a NULL one does.
      CREATE TABLE scan_tools_packed (
        scan_id            INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
        position           INTEGER NOT NULL,
        tool_id            INTEGER NOT NULL REFERENCES tool_versions_packed(id),
        classifier_version TEXT,
        PRIMARY KEY (scan_id, position)
      ) WITHOUT ROWID;
      CREATE INDEX scan_tools_by_tool ON scan_tools_packed (tool_id);
      -- A verdict's findings are inside its result: the copies once kept as 'classification' rows go.
      DELETE FROM findings WHERE origin = 'classification';
    `,
    run: packToolStorage,
  },
  {
    name: 'manifest content hashes by file stamp',
    sql: `
      -- This machine's manifest files: a file whose size, mtime, ctime and inode are as recorded has the
      -- recorded content hash, so a refresh need not read it. A cache: merge does not copy it.
      CREATE TABLE manifest_stamps (
        path     TEXT    PRIMARY KEY,
        size     INTEGER NOT NULL,
        mtime_ns TEXT    NOT NULL,
        ctime_ns TEXT    NOT NULL,
        ino      TEXT    NOT NULL,
        hash     TEXT    NOT NULL
      ) WITHOUT ROWID;
    `,
  },
];

/**
 * Fills the packed tables from the old ones, then puts them in their place under the old names. A verdict
 * or scan row whose hash has no definition was already invisible to every read (they join tool_versions)
 * and is not carried over.
 */
function packToolStorage(db: Db): void {
  db.function('mcp_risk_pack', { deterministic: true }, (json: unknown) => packText(String(json)));
  db.exec(`
    INSERT INTO tool_versions_packed (hash, name, definition, first_seen_at)
      SELECT hash, name, mcp_risk_pack(definition_json), first_seen_at FROM tool_versions ORDER BY rowid;
    INSERT INTO classifications_packed (tool_id, classifier_version, category, risk, confidence, method, result, created_at)
      SELECT t.id, c.classifier_version, c.category, c.risk, c.confidence, c.method, mcp_risk_pack(c.result_json), c.created_at
      FROM classifications c JOIN tool_versions_packed t ON t.hash = c.hash;
    INSERT INTO scan_tools_packed (scan_id, position, tool_id, classifier_version)
      SELECT s.scan_id, s.position, t.id, s.classifier_version FROM scan_tools s JOIN tool_versions_packed t ON t.hash = s.hash;
    DROP TABLE scan_tools;
    DROP TABLE classifications;
    DROP TABLE tool_versions;
    ALTER TABLE tool_versions_packed RENAME TO tool_versions;
    ALTER TABLE classifications_packed RENAME TO classifications;
    ALTER TABLE scan_tools_packed RENAME TO scan_tools;
  `);
}

/**
 * Scans stored before 0.2 were named by the server's own serverInfo.name, so unrelated servers with
 * one generic name shared a history while one package scanned two ways had two. Each such scan (one
 * whose server carries its serverInfo name, outside any catalogue refresh, whose names are the user's)
 * moves to the server named by its own source; a server left without scans is removed. Scans keep
 * their ids, verdicts and findings: history moves, nothing is lost.
 */
function renameServersBySource(db: Db): void {
  const scans = db
    .prepare(
      `SELECT s.id, s.started_at, s.source_kind, s.source_target, v.name FROM scans s JOIN servers v ON v.id = s.server_id
       WHERE s.refresh_id IS NULL AND s.server_info_name IS NOT NULL AND s.server_info_name = v.name ORDER BY s.id`,
    )
    .all() as Array<{ id: number; started_at: string; source_kind: SourceKind; source_target: string; name: string }>;
  const upsert = db.prepare(
    `INSERT INTO servers (name, source_kind, source_target, first_seen_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET first_seen_at = min(first_seen_at, excluded.first_seen_at)`,
  );
  const move = db.prepare('UPDATE scans SET server_id = (SELECT id FROM servers WHERE name = ?) WHERE id = ?');
  for (const scan of scans) {
    const name = serverNameForSource({ kind: scan.source_kind, target: scan.source_target });
    if (name === '' || name === scan.name) continue;
    upsert.run(name, scan.source_kind, scan.source_target, scan.started_at);
    move.run(name, scan.id);
  }
  // Each server's source follows its latest scan, as the scan writer keeps it.
  db.exec(`
    UPDATE servers SET
      source_kind   = (SELECT source_kind FROM scans WHERE server_id = servers.id ORDER BY started_at DESC, id DESC LIMIT 1),
      source_target = (SELECT source_target FROM scans WHERE server_id = servers.id ORDER BY started_at DESC, id DESC LIMIT 1)
    WHERE EXISTS (SELECT 1 FROM scans WHERE server_id = servers.id);
    DELETE FROM servers WHERE NOT EXISTS (SELECT 1 FROM scans WHERE server_id = servers.id);`);
}
