// Prepares each SQL statement once per open database, and shares the handle the store's job modules need.
import type Database from 'better-sqlite3';
import { LISTED_STATUSES } from '../model/index.js';

export type Db = Database.Database;
export type Statement = Database.Statement;

/**
 * Statements are prepared on first use rather than at open: a store opened with only the early
 * migrations (as the migration tests do) must not fail on a statement naming a later column, and a
 * command that reads one scan should not pay for preparing every write.
 */
export class Statements {
  private readonly cache = new Map<string, Statement>();

  constructor(private readonly db: Db) {}

  get(sql: string): Statement {
    let statement = this.cache.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.cache.set(sql, statement);
    }
    return statement;
  }
}

/** What every job module of one open store works on. */
export interface StoreContext {
  readonly db: Db;
  readonly sql: Statements;
  /** The path the store was opened from, for error messages. */
  readonly path: string;
}

/** The statuses of a scan that listed tools, as an SQL list: the read models count only these as a result. */
export const LISTED_SQL = `(${LISTED_STATUSES.map((status) => `'${status}'`).join(', ')})`;

/** The id of a server by name; shared by the scan writer and the read models. */
export const SELECT_SERVER_ID = 'SELECT id FROM servers WHERE name = ?';
