// What a catalogue entry asks for, reduced to a hash: unchanged since the last good scan means skip.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { CatalogueEntry } from '../catalogue/index.js';
import { canonicalJson } from '../model/index.js';

/**
 * The source, arguments, environment and headers as written (`${NAME}` unexpanded, so no secret is
 * hashed or stored) plus the resolved version: the exact npm version, or the manifest file's content.
 * Tags, timeouts and `needs` do not change what is scanned and are left out.
 */
export function entryFingerprint(entry: CatalogueEntry, resolvedVersion: string | undefined): string {
  const what = { source: entry.source, args: entry.args, env: entry.env, headers: entry.headers, resolvedVersion: resolvedVersion ?? null };
  return createHash('sha256').update(canonicalJson(what)).digest('hex');
}

/** A manifest's "version" is its content; an unreadable file has none and is scanned (and fails) again. */
export function manifestVersion(path: string): string | undefined {
  try {
    return `sha256:${createHash('sha256').update(readFileSync(path)).digest('hex')}`;
  } catch {
    return undefined;
  }
}
