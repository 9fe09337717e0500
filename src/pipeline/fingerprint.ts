// What a catalogue entry asks for, reduced to a hash: unchanged since the last good scan means skip.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CatalogueEntry } from '../catalogue/index.js';
import { canonicalJson } from '../model/index.js';
import type { ManifestHashes } from '../store/index.js';

/**
 * The source, arguments, environment and headers as written (`${NAME}` unexpanded, so no secret is
 * hashed or stored) plus the resolved version: the exact npm version, or the manifest file's content.
 * Tags, timeouts and `needs` do not change what is scanned and are left out.
 */
export function entryFingerprint(entry: CatalogueEntry, resolvedVersion: string | undefined): string {
  const what = { source: entry.source, args: entry.args, env: entry.env, headers: entry.headers, resolvedVersion: resolvedVersion ?? null };
  return createHash('sha256').update(canonicalJson(what)).digest('hex');
}

/** A stamp younger than this when hashed may not show a write made in the same clock tick: not kept. */
const RACY_NS = 2_000_000_000n;

/**
 * A manifest's "version" is its content; an unreadable file has none and is scanned (and fails) again.
 * With `known`, a file whose size, mtime, ctime and inode are as recorded keeps its recorded hash
 * without being read (ctime cannot be set back, so a rewrite that restores the mtime still shows).
 */
export function manifestVersion(path: string, known?: ManifestHashes, nowMs = Date.now()): string | undefined {
  try {
    const key = resolve(path);
    const st = statSync(key, { bigint: true });
    const stamp = { size: Number(st.size), mtimeNs: String(st.mtimeNs), ctimeNs: String(st.ctimeNs), ino: String(st.ino) };
    const recorded = known?.get(key);
    if (
      recorded !== undefined &&
      recorded.size === stamp.size &&
      recorded.mtimeNs === stamp.mtimeNs &&
      recorded.ctimeNs === stamp.ctimeNs &&
      recorded.ino === stamp.ino
    )
      return recorded.hash;
    const hash = `sha256:${createHash('sha256').update(readFileSync(key)).digest('hex')}`;
    if (known !== undefined && BigInt(nowMs) * 1_000_000n - st.ctimeNs > RACY_NS) known.put(key, { ...stamp, hash });
    return hash;
  } catch {
    return undefined;
  }
}
