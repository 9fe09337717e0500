// A results database that cannot be written fails when it is opened for writing, before any server starts.
import { chmodSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { assertWritable } from '../../src/store/open.js';
import { openStore } from '../../src/store/index.js';
import { mcpRisk } from '../support/cli.js';
import { testServer } from '../ingest/helpers.js';

function existingDb(): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-ro-'));
  const path = join(dir, 'r.db');
  openStore(path).close();
  return { dir, path };
}

describe('a read-only results database', () => {
  // Root writes through chmod, so the check itself is tested on a handle SQLite opened read-only.
  it('assertWritable refuses a read-only handle with one DB_ERROR line and changes nothing', () => {
    const { path } = existingDb();
    const before = readFileSync(path);
    const db = new Database(path, { readonly: true });
    try {
      expect(() => assertWritable(db, path)).toThrow(expect.objectContaining({ code: 'DB_ERROR', message: `The results database ${path} is read-only` }));
    } finally {
      db.close();
    }
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('assertWritable passes a writable database', () => {
    const { path } = existingDb();
    const db = new Database(path);
    try {
      expect(() => assertWritable(db, path)).not.toThrow();
      expect(db.inTransaction).toBe(false);
    } finally {
      db.close();
    }
  });

  // Only where file modes bind (not as root): the commands fail before starting a server.
  it.skipIf(process.getuid?.() === 0)(
    'scan and refresh fail with one line and exit 2 before starting a server',
    async () => {
      const { dir, path } = existingDb();
      chmodSync(path, 0o444);
      chmodSync(dir, 0o555);
      try {
        const server = testServer('raw-tools.mjs', 'declared');
        const scan = await mcpRisk(['scan', '--db', path, '--', server.command, ...server.args]);
        expect(scan.code).toBe(2);
        expect(scan.stderr).toMatch(/^mcp-risk: The results database .* (read-only|cannot be written).*\(.*\)\n$/);
      } finally {
        chmodSync(dir, 0o755);
        chmodSync(path, 0o644);
      }
    },
    60_000,
  );
});
