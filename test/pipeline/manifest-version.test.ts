// A manifest's version is its content hash; with a store's stamp cache, a file whose stamp is unchanged
// is not read again, and any rewrite (even one that puts the mtime back) is.
import { mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manifestVersion } from '../../src/pipeline/fingerprint.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/index.js';

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mcp-risk-manifest-version-'));
  store = openStore(join(dir, 'db.sqlite'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Hashing "later" than the file's change, so the stamp is not racy. */
const later = (): number => Date.now() + 60_000;
const SHA_A = 'sha256:' + '0'.repeat(64);

describe('manifestVersion with stamps', () => {
  it('records a hash, then answers from the stamp without reading the file', () => {
    const path = join(dir, 'tools.json');
    writeFileSync(path, '{"tools":[]}');
    const cache = store.manifestHashes();
    const real = manifestVersion(path, cache, later());
    expect(real).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(manifestVersion(path)).toBe(real);
    cache.flush();
    // A recorded hash for this exact stamp is believed: the file is not read (a made-up hash comes back).
    const stamp = store.manifestHashes().get(path)!;
    expect(stamp).toMatchObject({ size: 12, hash: real });
    const rigged = store.manifestHashes();
    rigged.put(path, { ...stamp, hash: SHA_A });
    expect(manifestVersion(path, rigged, later())).toBe(SHA_A);
  });

  it('reads again after a rewrite of the same size with the mtime put back (the ctime moved)', () => {
    const path = join(dir, 'tools.json');
    writeFileSync(path, '{"tools":[1]}');
    // Whole seconds, so putting the mtime back restores it to the nanosecond.
    utimesSync(path, 1_700_000_000, 1_700_000_000);
    const cache = store.manifestHashes();
    const first = manifestVersion(path, cache, later());
    const before = statSync(path, { bigint: true });
    writeFileSync(path, '{"tools":[2]}');
    utimesSync(path, 1_700_000_000, 1_700_000_000);
    const after = statSync(path, { bigint: true });
    expect([after.size, after.mtimeNs, after.ino]).toEqual([before.size, before.mtimeNs, before.ino]);
    const second = manifestVersion(path, cache, later());
    expect(second).not.toBe(first);
    expect(second).toBe(manifestVersion(path));
  });

  it('does not keep a stamp from the clock tick the file changed in, and keeps nothing for a missing file', () => {
    const path = join(dir, 'tools.json');
    writeFileSync(path, '{}');
    const cache = store.manifestHashes();
    expect(manifestVersion(path, cache, Date.now())).toBeDefined();
    expect(manifestVersion(join(dir, 'missing.json'), cache, later())).toBeUndefined();
    cache.flush();
    const db = new Database(join(dir, 'db.sqlite'), { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) AS n FROM manifest_stamps').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });
});
