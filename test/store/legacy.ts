// Writes scans the way mcp-risk 0.2 stored them (schema versions 1 to 5: definitions and verdicts as
// JSON text keyed by hash, verdict findings copied as 'classification' rows), to test the migrations.
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import type { Classification, ServerSnapshot } from '../../src/model/index.js';
import { classifierVersion } from '../../src/store/scan-writes.js';

/**
 * Appends one scan to the database at `target` (a path, or an open handle that stays open), already at
 * an older schema version; returns its id.
 */
export function recordLegacyScan(target: string | Database.Database, snapshot: ServerSnapshot, verdicts: readonly Classification[] = []): number {
  const db = typeof target === 'string' ? new Database(target) : target;
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version < 1 || version > 5) throw new Error(`recordLegacyScan writes schema versions 1 to 5, not ${version}`);
    return db.transaction(() => {
      db.prepare(
        `INSERT INTO servers (name, source_kind, source_target, first_seen_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET source_kind = excluded.source_kind, source_target = excluded.source_target`,
      ).run(snapshot.name, snapshot.source.kind, snapshot.source.target, snapshot.startedAt);
      const server = db.prepare('SELECT id FROM servers WHERE name = ?').get(snapshot.name) as { id: number };
      const uid = version >= 3 ? ', uid' : '';
      const scanId = Number(
        db
          .prepare(
            `INSERT INTO scans (server_id, started_at, duration_ms, status, source_kind, source_target, server_info_name,
               server_info_version, tool_count${uid}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?${version >= 3 ? ', ?' : ''})`,
          )
          .run(
            server.id,
            snapshot.startedAt,
            Math.round(snapshot.durationMs),
            snapshot.status,
            snapshot.source.kind,
            snapshot.source.target,
            snapshot.serverInfo?.name ?? null,
            snapshot.serverInfo?.version ?? null,
            snapshot.tools.length,
            ...(version >= 3 ? [randomUUID()] : []),
          ).lastInsertRowid,
      );
      const byHash = new Map(verdicts.map((c) => [c.hash, c]));
      snapshot.tools.forEach((t, position) => {
        db.prepare('INSERT OR IGNORE INTO tool_versions (hash, name, definition_json, first_seen_at) VALUES (?, ?, ?, ?)').run(
          t.hash,
          t.definition.name,
          JSON.stringify(t.definition),
          snapshot.startedAt,
        );
        const c = byHash.get(t.hash);
        if (c) {
          db.prepare(
            `INSERT OR REPLACE INTO classifications (hash, classifier_version, category, risk, confidence, method, result_json, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          ).run(c.hash, classifierVersion(c), c.category, c.risk, c.confidence, c.method, JSON.stringify(c), snapshot.startedAt);
          for (const f of c.findings) {
            db.prepare(
              `INSERT INTO findings (scan_id, origin, tool_hash, tool_name, code, severity, path, args_json)
               VALUES (?, 'classification', ?, ?, ?, ?, ?, ?)`,
            ).run(scanId, c.hash, f.tool ?? c.tool, f.code, f.severity, f.path ?? null, JSON.stringify(f.args ?? {}));
          }
        }
        db.prepare('INSERT INTO scan_tools (scan_id, position, hash, classifier_version) VALUES (?, ?, ?, ?)').run(
          scanId,
          position,
          t.hash,
          c ? classifierVersion(c) : null,
        );
      });
      for (const f of snapshot.findings) {
        const hash = snapshot.tools.find((t) => t.definition.name === f.tool)?.hash ?? null;
        db.prepare(`INSERT INTO findings (scan_id, origin, tool_hash, tool_name, code, severity, path, args_json) VALUES (?, 'scan', ?, ?, ?, ?, ?, ?)`).run(
          scanId,
          hash,
          f.tool ?? null,
          f.code,
          f.severity,
          f.path ?? null,
          JSON.stringify(f.args ?? {}),
        );
      }
      return scanId;
    })();
  } finally {
    if (typeof target === 'string') db.close();
  }
}
