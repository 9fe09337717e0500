// The install cache on disk: where a package version lives, when it counts as installed, atomic placement.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** Written last into a finished install; a folder without it is never used. */
export const INSTALLED_MARKER = '.mcp-risk-installed.json';

/** Staging folders older than this belong to a run that was killed. */
const STALE_STAGING_MS = 24 * 60 * 60 * 1000;

/** `$MCP_RISK_CACHE`, else `$XDG_CACHE_HOME/mcp-risk`, else `~/.cache/mcp-risk`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MCP_RISK_CACHE !== undefined && env.MCP_RISK_CACHE !== '') return env.MCP_RISK_CACHE;
  if (env.XDG_CACHE_HOME !== undefined && env.XDG_CACHE_HOME !== '') return join(env.XDG_CACHE_HOME, 'mcp-risk');
  return join(homedir(), '.cache', 'mcp-risk');
}

/** `<cacheDir>/npm`: one folder per installed package version. */
export function npmPackagesDir(cacheDir: string): string {
  return join(cacheDir, 'npm');
}

/** npm's own download cache, kept apart from the user's `~/.npm`. */
export function npmDownloadCacheDir(cacheDir: string): string {
  return join(cacheDir, 'npm-cache');
}

/** Registry metadata (ETag, dist-tags, version list) per registry and package, for resolving ranges. */
export function npmMetadataDir(cacheDir: string): string {
  return join(cacheDir, 'npm-metadata');
}

/** `<cacheDir>/npm/<name>@<version>`; a scoped name nests under its scope folder. */
export function installDirFor(cacheDir: string, name: string, version: string): string {
  return join(npmPackagesDir(cacheDir), `${name}@${version}`);
}

/** The package's own folder inside an install (`<installDir>/node_modules/<name>`). */
export function packageRootIn(installDir: string, name: string): string {
  return join(installDir, 'node_modules', ...name.split('/'));
}

interface Marker {
  name: string;
  version: string;
  installedAt: string;
}

/** Records a finished install; call only once npm succeeded. */
export function markInstalled(installDir: string, name: string, version: string): void {
  const marker: Marker = { name, version, installedAt: new Date().toISOString() };
  writeFileSync(join(installDir, INSTALLED_MARKER), `${JSON.stringify(marker)}\n`);
}

/** True when the folder holds a finished install of exactly this package version. */
export function isInstalled(installDir: string, name: string, version: string): boolean {
  try {
    const marker = JSON.parse(readFileSync(join(installDir, INSTALLED_MARKER), 'utf8')) as Partial<Marker>;
    return marker.name === name && marker.version === version && existsSync(join(packageRootIn(installDir, name), 'package.json'));
  } catch {
    return false;
  }
}

function stagingRoot(cacheDir: string): string {
  return join(npmPackagesDir(cacheDir), '.staging');
}

/** A fresh private folder to install into, on the same file system as its final place. */
export function makeStagingDir(cacheDir: string, name: string, version: string): string {
  const root = stagingRoot(cacheDir);
  mkdirSync(root, { recursive: true });
  return mkdtempSync(join(root, `${name.replace('/', '+')}@${version}-`));
}

/** Best effort: removes staging folders left by killed runs, never a recent one (it may be in use). */
export function sweepStaleStaging(cacheDir: string, now: number = Date.now()): void {
  const root = stagingRoot(cacheDir);
  let entries: string[];
  try {
    entries = readdirSync(root);
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(root, entry);
    try {
      if (now - statSync(path).mtimeMs > STALE_STAGING_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // Another run may be sweeping the same folder.
    }
  }
}

function isConflict(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'EPERM' || code === 'EACCES';
}

/**
 * Moves a finished staging folder into place with one rename, so a reader sees all of it or nothing.
 * When another run got there first its install is kept and ours is dropped ('lost'); a folder in the
 * way that is not a finished install (no marker) is moved aside and replaced.
 */
export function placeInstall(stagingDir: string, installDir: string, name: string, version: string): 'placed' | 'lost' {
  mkdirSync(dirname(installDir), { recursive: true });
  for (let attempt = 0; ; attempt += 1) {
    try {
      renameSync(stagingDir, installDir);
      return 'placed';
    } catch (error) {
      if (!isConflict(error)) throw error;
      if (isInstalled(installDir, name, version)) {
        rmSync(stagingDir, { recursive: true, force: true });
        return 'lost';
      }
      if (attempt >= 2) throw error;
      const aside = `${stagingDir}.stale`;
      try {
        renameSync(installDir, aside);
        rmSync(aside, { recursive: true, force: true });
      } catch {
        // Someone else moved it first; the next attempt sees what they left.
      }
    }
  }
}
