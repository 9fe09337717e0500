// Content hashes of manifest files by their stamp (size, mtime, ctime, inode): an unchanged nightly
// refresh then decides "unchanged" from one stat per manifest instead of reading and hashing each one.
import { McpRiskError } from '../model/index.js';
import { describeSqliteError, isSqliteError } from './sqlite-errors.js';
import type { StoreContext } from './statements.js';

/** What a file looked like when its content was hashed. Times in nanoseconds, as decimal strings. */
export interface ManifestStamp {
  size: number;
  mtimeNs: string;
  ctimeNs: string;
  ino: string;
  /** `sha256:<hex>` of the content. */
  hash: string;
}

/** Reads through to the database; writes wait for `flush`, one transaction for a whole refresh. */
export interface ManifestHashes {
  get(path: string): ManifestStamp | undefined;
  put(path: string, stamp: ManifestStamp): void;
  flush(): void;
}

const SELECT_STAMP = 'SELECT size, mtime_ns, ctime_ns, ino, hash FROM manifest_stamps WHERE path = ?';
const UPSERT_STAMP = `
  INSERT INTO manifest_stamps (path, size, mtime_ns, ctime_ns, ino, hash) VALUES (?, ?, ?, ?, ?, ?)
  ON CONFLICT (path) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns, ctime_ns = excluded.ctime_ns,
    ino = excluded.ino, hash = excluded.hash`;

export function manifestHashes(ctx: StoreContext): ManifestHashes {
  const pending = new Map<string, ManifestStamp>();
  const write = ctx.db.transaction((stamps: ReadonlyMap<string, ManifestStamp>) => {
    const put = ctx.sql.get(UPSERT_STAMP);
    for (const [path, s] of stamps) put.run(path, s.size, s.mtimeNs, s.ctimeNs, s.ino, s.hash);
  });
  return {
    get(path) {
      const known = pending.get(path);
      if (known) return known;
      const row = ctx.sql.get(SELECT_STAMP).get(path) as { size: number; mtime_ns: string; ctime_ns: string; ino: string; hash: string } | undefined;
      return row && { size: row.size, mtimeNs: row.mtime_ns, ctimeNs: row.ctime_ns, ino: row.ino, hash: row.hash };
    },
    put(path, stamp) {
      pending.set(path, stamp);
    },
    flush() {
      if (pending.size === 0) return;
      try {
        write.immediate(pending);
        pending.clear();
      } catch (cause) {
        if (!isSqliteError(cause)) throw cause;
        throw new McpRiskError('DB_ERROR', `Cannot save manifest hashes to ${ctx.path}: ${describeSqliteError(cause)}`, {
          cause,
          hint: 'Only the cache was not saved: the next refresh reads and hashes the manifests again.',
        });
      }
    },
  };
}
