// The shape one catalogue entry takes in the file: what render writes and validation reads back.
import { isAbsolute, relative, sep } from 'node:path';
import type { CatalogueDefaults, CatalogueEntry } from './types.js';

/** Keys of a server entry in the file, in the order they are written. */
export const SERVER_KEYS = [
  'name',
  'npm',
  'version',
  'bin',
  'command',
  'cwd',
  'url',
  'manifest',
  'args',
  'env',
  'headers',
  'tags',
  'timeoutMs',
  'needs',
] as const;
export const SOURCE_KEYS = ['npm', 'command', 'url', 'manifest'] as const;

export type SourceKey = (typeof SOURCE_KEYS)[number];

/** A path written relative to the catalogue's folder when it lies inside it, so the folder can move. */
function filePath(path: string, baseDir: string | undefined): string {
  if (baseDir === undefined || !isAbsolute(path)) return path;
  const rel = relative(baseDir, path);
  if (rel === '') return '.';
  if (rel.startsWith('..') || isAbsolute(rel)) return path;
  return `.${sep}${rel}`;
}

/**
 * The entry as a plain object in file key order. Values the defaults already give (default tags, the
 * default timeout) are left out, so loading the result merges them back to the same entry.
 */
export function toFileShape(entry: CatalogueEntry, defaults: CatalogueDefaults = { tags: [] }, baseDir?: string): Record<string, unknown> {
  const out: Record<string, unknown> = { name: entry.name };
  const source = entry.source;
  switch (source.kind) {
    case 'npm':
      out.npm = source.package;
      if (source.version !== undefined) out.version = source.version;
      if (source.bin !== undefined) out.bin = source.bin;
      break;
    case 'stdio':
      out.command = source.command;
      if (source.cwd !== undefined) out.cwd = filePath(source.cwd, baseDir);
      break;
    case 'http':
      out.url = source.url;
      break;
    case 'manifest':
      out.manifest = filePath(source.path, baseDir);
      break;
  }
  if (entry.args.length > 0) out.args = [...entry.args];
  if (Object.keys(entry.env).length > 0) out.env = { ...entry.env };
  if (Object.keys(entry.headers).length > 0) out.headers = { ...entry.headers };
  const tags = entry.tags.filter((tag) => !defaults.tags.includes(tag));
  if (tags.length > 0) out.tags = tags;
  if (entry.timeoutMs !== undefined && entry.timeoutMs !== defaults.timeoutMs) out.timeoutMs = entry.timeoutMs;
  if (entry.needs.length > 0) out.needs = [...entry.needs];
  return out;
}
