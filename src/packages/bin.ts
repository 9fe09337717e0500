// Chooses which executable of an installed package is the server, and whether it runs on Node.
import { closeSync, openSync, readSync } from 'node:fs';
import { extname, resolve, sep } from 'node:path';
import { McpRiskError } from '../model/index.js';
import { oneLine } from '../output/safe-text.js';

export interface BinChoice {
  /** The bin name (a key of `bin`, or the unscoped package name for a string `bin`). */
  name: string;
  /** Absolute path of the script, checked to lie inside the package. */
  path: string;
}

const MAX_LISTED = 20;
const MAX_BIN_NAME = 80;
const BIN_HINT = 'Pick one with --bin NAME.';

/** `@scope/name` → `name`: what npm calls a string `bin`. */
export function unscopedName(packageName: string): string {
  return packageName.startsWith('@') ? packageName.slice(packageName.indexOf('/') + 1) : packageName;
}

/** The declared executables as name → relative path; anything that is not a non-empty string is skipped. */
export function binEntries(manifest: unknown, packageName: string): Map<string, string> {
  const entries = new Map<string, string>();
  const bin = manifest !== null && typeof manifest === 'object' ? (manifest as { bin?: unknown }).bin : undefined;
  if (typeof bin === 'string') {
    if (bin.trim() !== '') entries.set(unscopedName(packageName), bin);
  } else if (bin !== null && typeof bin === 'object' && !Array.isArray(bin)) {
    for (const [name, path] of Object.entries(bin as Record<string, unknown>)) {
      if (name.trim() !== '' && typeof path === 'string' && path.trim() !== '') entries.set(name, path);
    }
  }
  return entries;
}

function listing(names: string[]): string {
  // Bin names come from the package's own package.json: hostile text like any other.
  const shown = names.slice(0, MAX_LISTED).map((name) => oneLine(name, MAX_BIN_NAME));
  return names.length > MAX_LISTED ? `${shown.join(', ')}, … (${names.length} in all)` : shown.join(', ');
}

/**
 * `requested` (from --bin) wins; otherwise a single bin, or among several the one named like the
 * package without its scope. `label` (e.g. `name@1.2.3`) names the package in errors.
 */
export function chooseBin(manifest: unknown, packageName: string, packageRoot: string, label: string, requested?: string): BinChoice {
  const entries = binEntries(manifest, packageName);
  const names = [...entries.keys()];
  if (names.length === 0) {
    throw new McpRiskError('SERVER_FAILED', `${label} declares no executable ("bin" in its package.json), so there is no server to start`, {
      hint: 'Scan the server with the command its documentation gives instead.',
    });
  }
  let name: string;
  if (requested !== undefined) {
    if (!entries.has(requested)) {
      throw new McpRiskError('USAGE', `${label} has no executable named ${JSON.stringify(requested.slice(0, MAX_BIN_NAME))}; it has: ${listing(names)}`, {
        hint: BIN_HINT,
      });
    }
    name = requested;
  } else if (names.length === 1) {
    name = names[0] as string;
  } else if (entries.has(unscopedName(packageName))) {
    name = unscopedName(packageName);
  } else {
    throw new McpRiskError('USAGE', `${label} has several executables: ${listing(names)}`, { hint: BIN_HINT });
  }
  const root = resolve(packageRoot);
  const path = resolve(root, entries.get(name) as string);
  // The manifest is the package author's text: a bin must not point outside the package.
  if (!path.startsWith(root + sep)) {
    throw new McpRiskError('SERVER_FAILED', `${label}: executable ${name} points outside the package`);
  }
  return { name, path };
}

const NODE_EXTENSIONS = new Set(['.js', '.mjs', '.cjs']);

/** True for a script Node runs: a JS extension, or a `#!` line naming node. */
export function runsOnNode(binPath: string): boolean {
  if (NODE_EXTENSIONS.has(extname(binPath).toLowerCase())) return true;
  let fd: number | undefined;
  try {
    fd = openSync(binPath, 'r');
    const head = Buffer.alloc(256);
    const read = readSync(fd, head, 0, head.length, 0);
    const firstLine = head.subarray(0, read).toString('utf8').split('\n')[0] ?? '';
    return firstLine.startsWith('#!') && /\bnode(js)?\b/.test(firstLine);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
