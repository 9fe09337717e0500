// Where the results database lives, and opening it: create the folder, check the schema version, migrate.
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { McpRiskError } from '../model/index.js';
import type { Migration } from './migrations.js';
import { describeSqliteError, messageOf } from './sqlite-errors.js';
import type { Db } from './statements.js';

/** How long a writer waits for another process's lock (a parallel shard, a `list` during a refresh). */
const BUSY_TIMEOUT_MS = 5000;

/** `$MCP_RISK_DB`, else `$XDG_DATA_HOME/mcp-risk/mcp-risk.db`, else `~/.local/share/mcp-risk/mcp-risk.db`. */
export function defaultDbPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MCP_RISK_DB) return env.MCP_RISK_DB;
  const dataHome = env.XDG_DATA_HOME || join(env.HOME || homedir(), '.local', 'share');
  return join(dataHome, 'mcp-risk', 'mcp-risk.db');
}

/**
 * Opens (creating if needed) the database at `path` and applies the migrations it lacks.
 * Throws DB_ERROR with one clear line; on failure the handle is closed.
 */
export function openDatabase(path: string, steps: readonly Migration[], options: { write?: boolean } = {}): Db {
  const inMemory = path === ':memory:' || path === '';
  if (!inMemory) {
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (cause) {
      throw new McpRiskError('DB_ERROR', `Cannot create the folder for the results database ${path}: ${messageOf(cause)}`, {
        cause,
        hint: 'Choose another location with --db or $MCP_RISK_DB.',
      });
    }
  }
  let db: Db | undefined;
  try {
    db = new Database(path);
    // The first real read happens here, so a file that is not SQLite fails on this line.
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > steps.length) {
      throw new McpRiskError(
        'DB_ERROR',
        `The results database ${path} has schema version ${version}, newer than this mcp-risk understands (${steps.length}).`,
        { hint: 'Upgrade mcp-risk, or point --db at another file.' },
      );
    }
    // WAL lets readers (list, show) run while a refresh writes.
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    migrate(db, steps, version);
    if (options.write === true) assertWritable(db, path);
    return db;
  } catch (cause) {
    db?.close();
    if (cause instanceof McpRiskError) throw cause;
    throw new McpRiskError('DB_ERROR', `Cannot open the results database ${path}: ${describeSqliteError(cause)}`, {
      cause,
      hint: 'Check the path, or point --db / $MCP_RISK_DB at another file.',
    });
  }
}

function migrate(db: Db, steps: readonly Migration[], from: number): void {
  for (let i = from; i < steps.length; i++) {
    const step = steps[i]!;
    // Each step and its version bump commit together, so a crash never leaves a half-applied step.
    // Foreign keys can only be switched between transactions.
    const rebuilds = step.rebuilds ?? [];
    if (rebuilds.length > 0) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        db.exec(step.sql);
        step.run?.(db);
        for (const table of rebuilds) {
          const broken = db.pragma(`foreign_key_check(${table})`) as Array<{ rowid: number | null; parent: string }>;
          if (broken.length > 0) {
            const first = broken[0]!;
            throw new Error(
              `migration "${step.name}" would leave ${broken.length} row(s) of ${table} referring to a missing ${first.parent} row (rowid ${first.rowid ?? '?'})`,
            );
          }
        }
        db.pragma(`user_version = ${i + 1}`);
      }).immediate();
    } finally {
      if (rebuilds.length > 0) db.pragma('foreign_keys = ON');
    }
  }
}

/**
 * Throws DB_ERROR unless a write can be made, so a command that stores results fails before it starts
 * any server. Takes the write lock and lets it go (`BEGIN IMMEDIATE; ROLLBACK`): nothing is changed.
 */
export function assertWritable(db: Db, path: string): void {
  const hint = 'Make the file and its folder writable, or point --db / $MCP_RISK_DB at another file.';
  if (db.readonly) throw new McpRiskError('DB_ERROR', `The results database ${path} is read-only`, { hint });
  try {
    db.exec('BEGIN IMMEDIATE');
    db.exec('ROLLBACK');
  } catch (cause) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw new McpRiskError('DB_ERROR', `The results database ${path} cannot be written: ${describeSqliteError(cause)}`, { cause, hint });
  }
}
