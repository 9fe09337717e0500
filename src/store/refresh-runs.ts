// Bookkeeping of catalogue refresh runs: start or resume one, note skipped servers, mark it finished.
import { randomUUID } from 'node:crypto';
import type { StoreContext } from './statements.js';

export interface RefreshStart {
  catalogue: string;
  /** Catalogue content, shard and options that change what a run does: equal hash, same run. */
  catalogueHash: string;
  shard?: string;
  options: Record<string, unknown>;
}

export interface RefreshHandle {
  id: number;
  uid: string;
  startedAt: string;
  /** True when an interrupted run with the same key was picked up again. */
  resumed: boolean;
  /** Servers this run already scanned or skipped (a resumed run does not repeat them). */
  done: Set<string>;
}

// An unfinished run (no finished_at) with the same key is the one to resume; the newest if a crash
// left several. coalesce: an unsharded run stores NULL, and NULL = NULL is never true.
const SELECT_OPEN_RUN = `
  SELECT id, uid, started_at FROM refreshes
  WHERE catalogue_hash = ? AND coalesce(shard, '') = ? AND finished_at IS NULL
  ORDER BY id DESC LIMIT 1`;

// A server is done in a run when the run stored a scan of it or recorded it as skipped.
const SELECT_SCANNED = 'SELECT v.name FROM scans s JOIN servers v ON v.id = s.server_id WHERE s.refresh_id = ?';
const SELECT_SKIPPED = 'SELECT server_name AS name FROM refresh_skips WHERE refresh_id = ?';

const INSERT_RUN = 'INSERT INTO refreshes (uid, catalogue, catalogue_hash, shard, options_json, started_at) VALUES (?, ?, ?, ?, ?, ?)';

// IGNORE: a resumed run may skip a server it already skipped before the interruption.
const INSERT_SKIP = 'INSERT OR IGNORE INTO refresh_skips (refresh_id, server_name, reason) VALUES (?, ?, ?)';

const FINISH_RUN = 'UPDATE refreshes SET finished_at = ?, summary_json = ? WHERE id = ?';

export class RefreshRuns {
  /** Looking for an open run and creating one are one transaction, so two processes sharing a database never both create it. */
  private readonly begin: (run: RefreshStart) => RefreshHandle;

  constructor(private readonly ctx: StoreContext) {
    this.begin = ctx.db.transaction((run: RefreshStart) => this.startOrResume(run)).immediate;
  }

  /** Starts a refresh run, or resumes the unfinished one with the same key; says which servers it already did. */
  start(run: RefreshStart): RefreshHandle {
    return this.begin(run);
  }

  recordSkip(refreshId: number, serverName: string, reason: string): void {
    this.ctx.sql.get(INSERT_SKIP).run(refreshId, serverName, reason);
  }

  finish(refreshId: number, summary: unknown): void {
    this.ctx.sql.get(FINISH_RUN).run(new Date().toISOString(), JSON.stringify(summary), refreshId);
  }

  private startOrResume(run: RefreshStart): RefreshHandle {
    const { sql } = this.ctx;
    const open = sql.get(SELECT_OPEN_RUN).get(run.catalogueHash, run.shard ?? '') as { id: number; uid: string; started_at: string } | undefined;
    if (open) {
      const names = (statement: string) => (sql.get(statement).all(open.id) as Array<{ name: string }>).map((r) => r.name);
      const done = new Set<string>([...names(SELECT_SCANNED), ...names(SELECT_SKIPPED)]);
      return { id: open.id, uid: open.uid, startedAt: open.started_at, resumed: true, done };
    }
    const uid = randomUUID();
    const startedAt = new Date().toISOString();
    const id = Number(
      sql.get(INSERT_RUN).run(uid, run.catalogue, run.catalogueHash, run.shard ?? null, JSON.stringify(run.options), startedAt).lastInsertRowid,
    );
    return { id, uid, startedAt, resumed: false, done: new Set() };
  }
}
