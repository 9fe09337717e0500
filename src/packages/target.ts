// Turns an installed package into the stdio target that scanServer starts.
import type { StdioTarget } from '../ingest/targets.js';
import { runsOnNode } from './bin.js';
import type { InstalledPackage } from './npm-install.js';

export interface PackageTargetExtras {
  /** Arguments after the bin (e.g. a folder for a filesystem server). */
  args?: string[];
  /** The user's `--env` values; nothing else of ours reaches the server (scanServer scrubs the rest). */
  env?: Record<string, string>;
  /** Display name; defaults to the package name. */
  name?: string;
}

/**
 * A JS bin runs as `<our node> <binPath>` so it does not depend on a `node` on PATH or on the exec
 * bit; any other bin runs as itself.
 */
export function targetForPackage(pkg: InstalledPackage, extra: PackageTargetExtras = {}): StdioTarget {
  const args = extra.args ?? [];
  const launch = runsOnNode(pkg.binPath) ? { command: process.execPath, args: [pkg.binPath, ...args] } : { command: pkg.binPath, args };
  return {
    kind: 'stdio',
    name: extra.name ?? pkg.name,
    ...launch,
    ...(extra.env !== undefined && { env: extra.env }),
  };
}
