// One line for an SQLite failure, shared by every part of the store that opens or writes a database file.
import Database from 'better-sqlite3';

export function describeSqliteError(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'SQLITE_NOTADB') return 'the file is not a SQLite database';
  if (code === 'SQLITE_CORRUPT') return 'the database file is damaged';
  if (code === 'SQLITE_CANTOPEN') return 'the file cannot be opened';
  if (code === 'SQLITE_READONLY') return 'the file is read-only';
  return messageOf(err);
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** An error SQLite raised (disk full, locked, read-only), as opposed to a bug in our own code. */
export function isSqliteError(err: unknown): boolean {
  return err instanceof Database.SqliteError;
}
