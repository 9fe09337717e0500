// Whether two catalogue entries start the same server, whatever they are called: importers must not add
// a package twice under two names (a registry's `io.github.acme/files` and a page's `acme-files`).

import type { CatalogueEntry } from './types.js';

/**
 * What identifies the server an entry starts: an npm package by name (any version: a registry lists
 * each version of a server, and the catalogue scans one), its bin and arguments; a URL without its
 * fragment, with the host lowercased and no trailing slash; a command with its arguments and folder;
 * a manifest by path.
 */
export function serverKey(entry: Pick<CatalogueEntry, 'source' | 'args'>): string {
  const s = entry.source;
  switch (s.kind) {
    case 'npm':
      return JSON.stringify(['npm', s.package.toLowerCase(), s.bin ?? null, entry.args]);
    case 'http':
      return JSON.stringify(['http', normalUrl(s.url)]);
    case 'stdio':
      return JSON.stringify(['stdio', s.command, s.cwd ?? null, entry.args]);
    case 'manifest':
      return JSON.stringify(['manifest', s.path]);
  }
}

function normalUrl(url: string): string {
  try {
    const u = new URL(url);
    u.hash = '';
    return u.href.replace(/\/+$/, '');
  } catch {
    return url;
  }
}

/**
 * The entries, each server once: the first entry for a server wins and the others are reported with
 * the name they would have duplicated.
 */
export function onePerServer<E extends Pick<CatalogueEntry, 'name' | 'source' | 'args'>>(
  entries: readonly E[],
  known: ReadonlyArray<Pick<CatalogueEntry, 'name' | 'source' | 'args'>> = [],
): { entries: E[]; duplicates: Array<{ name: string; sameAs: string }> } {
  const seen = new Map<string, string>(known.map((e) => [serverKey(e), e.name]));
  const out: E[] = [];
  const duplicates: Array<{ name: string; sameAs: string }> = [];
  for (const e of entries) {
    const key = serverKey(e);
    const first = seen.get(key);
    if (first !== undefined) {
      duplicates.push({ name: e.name, sameAs: first });
      continue;
    }
    seen.set(key, e.name);
    out.push(e);
  }
  return { entries: out, duplicates };
}
