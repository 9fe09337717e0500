// Derives a display name and a secret-free source reference for a scan target.
import { basename, extname } from 'node:path';
import type { Finding, SourceRef } from '../model/index.js';
import type { ServerTarget, StdioTarget } from './targets.js';

/** The longest server name kept, in code points; a longer one is cut (with an `ingest.truncated` finding where it came from a server or a file). */
export const MAX_SERVER_NAME_CHARS = 200;

/** Names cut by `boundServerName` without a snapshot to hold the finding (a client config's keys), by the kept name. */
const cutNames = new Map<string, number>();

/**
 * `name` cut to MAX_SERVER_NAME_CHARS code points. With `findings`, a cut is reported there; without, it is
 * remembered so that `scanServer`, handed the cut name later, reports it on the snapshot.
 */
export function boundServerName(name: string, findings?: Finding[], field = 'name'): string {
  if (name.length <= MAX_SERVER_NAME_CHARS) return name;
  const points = [...name];
  if (points.length <= MAX_SERVER_NAME_CHARS) return name;
  const kept = points.slice(0, MAX_SERVER_NAME_CHARS).join('');
  if (findings !== undefined) findings.push(nameTruncated(field, points.length));
  else cutNames.set(kept, points.length);
  return kept;
}

/** The finding for a name cut from `originalLength` code points. */
export function nameTruncated(field: string, originalLength: number): Finding {
  return { code: 'ingest.truncated', severity: 'warning', path: field, args: { field, originalLength, keptLength: MAX_SERVER_NAME_CHARS } };
}

/** How long `name` was before `boundServerName` cut it without a place for the finding, if it did. */
export function cutNameLength(name: string): number | undefined {
  return cutNames.get(name);
}

/** Launchers whose first non-flag argument names the real server. */
const LAUNCHERS = new Set([
  'node',
  'nodejs',
  'npx',
  'pnpx',
  'bunx',
  'bun',
  'deno',
  'python',
  'python3',
  'uv',
  'uvx',
  'pipx',
  'tsx',
  'ts-node',
  'docker',
  'podman',
]);
/** Launcher sub-commands that precede the package or script. */
const SUBCOMMANDS = new Set(['run', 'exec', 'dlx', 'x', 'tool', 'start']);
/** Script basenames that say nothing; the folder above them is the better name. */
const GENERIC_SCRIPTS = new Set(['index', 'main', 'server', 'cli', 'app', 'mcp', 'stdio', '__main__']);
const BUILD_DIRS = new Set(['dist', 'build', 'lib', 'src', 'out', 'bin', 'esm', 'cjs']);
const SECRET_PARAM = /key|token|secret|auth|pass|sig|session|cred/i;

/** `@scope/pkg@1.2.3` → `@scope/pkg`; `pkg==1.0` → `pkg`. */
function stripVersion(spec: string): string {
  const at = spec.indexOf('@', spec.startsWith('@') ? 1 : 0);
  const bare = at === -1 ? spec : spec.slice(0, at);
  return bare.split(/[=<>~]/)[0] ?? bare;
}

function nameFromPath(path: string): string {
  const parts = path.split(/[\\/]/).filter((part) => part !== '' && part !== '.');
  const nodeModules = parts.lastIndexOf('node_modules');
  if (nodeModules !== -1 && parts[nodeModules + 1] !== undefined) {
    const first = parts[nodeModules + 1] as string;
    return first.startsWith('@') && parts[nodeModules + 2] !== undefined ? `${first}/${parts[nodeModules + 2]}` : first;
  }
  // Walk up from `dist/index.js` to the folder that names the project.
  let index = parts.length - 1;
  let name = basename(parts[index] ?? path, extname(parts[index] ?? path));
  while (index > 0 && (GENERIC_SCRIPTS.has(name) || BUILD_DIRS.has(name))) {
    index -= 1;
    name = parts[index] ?? name;
  }
  return name;
}

function nameFromStdio(target: StdioTarget): string {
  const command = basename(target.command, extname(target.command)).toLowerCase();
  if (!LAUNCHERS.has(command)) return nameFromPath(target.command);
  // Skip flags (and `-m` style flags' values are packages themselves, which is what we want).
  const operand = target.args.find((arg) => !arg.startsWith('-') && !SUBCOMMANDS.has(arg));
  if (operand === undefined) return command;
  if (/[\\/]/.test(operand) && !operand.startsWith('@')) return nameFromPath(operand);
  if (/\.[cm]?[jt]s$|\.py$/.test(operand)) return nameFromPath(operand);
  return stripVersion(operand);
}

/** `https://user:pw@api.example.com/v1/mcp/?k=v` → `api.example.com/v1/mcp`: host and path, no credentials or query. */
function nameFromUrl(url: string): string {
  try {
    const u = new URL(url);
    const path = u.pathname.replace(/\/+$/, '');
    return `${u.host}${path}`;
  } catch {
    return url;
  }
}

/** A name derived from the source alone, used when neither the user nor the server gave one. */
export function deriveServerName(target: ServerTarget): string {
  return boundServerName(target.kind === 'stdio' ? nameFromStdio(target) || target.command : nameFromUrl(target.url), []);
}

/**
 * The name a scanned server is stored under unless `--name` (or a catalogue) says otherwise: what was
 * scanned, never the server's own serverInfo (kept as data), so unrelated servers that call themselves
 * by one generic name keep apart and one package keeps one history however it is started.
 * npm: the package name; stdio: the command's package or script; http: host and path; a manifest: its
 * file name (see loadManifest); a client config: the server's key.
 */
export function serverNameFor(
  source: { kind: 'npm'; package: string } | { kind: 'stdio'; command: string } | { kind: 'http'; url: string } | { kind: 'manifest'; path: string },
  args: string[],
): string {
  return boundServerName(unboundedNameFor(source, args), []);
}

function unboundedNameFor(
  source: { kind: 'npm'; package: string } | { kind: 'stdio'; command: string } | { kind: 'http'; url: string } | { kind: 'manifest'; path: string },
  args: string[],
): string {
  switch (source.kind) {
    case 'npm':
      return source.package;
    case 'stdio':
      return nameFromStdio({ kind: 'stdio', command: source.command, args }) || source.command;
    case 'http':
      return nameFromUrl(source.url);
    case 'manifest':
      return basename(source.path, extname(source.path));
  }
}

/** The URL without credentials: userinfo and secret-looking query values are masked. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (parsed.username !== '' || parsed.password !== '') {
    parsed.username = '***';
    parsed.password = '';
  }
  for (const key of [...parsed.searchParams.keys()]) {
    if (SECRET_PARAM.test(key)) parsed.searchParams.set(key, '***');
  }
  return parsed.toString();
}

function quoteArg(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Where a snapshot came from, without env or header values (they may hold secrets). */
export function sourceOf(target: ServerTarget): SourceRef {
  if (target.kind === 'stdio') return { kind: 'stdio', target: [target.command, ...target.args].map(quoteArg).join(' ') };
  return { kind: 'http', target: redactUrl(target.url) };
}

/** Splits a command line as `sourceOf` writes it: words, with single-quoted words (`'\''` for a quote). */
function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  for (const m of line.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)) words.push(m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : (m[2] as string));
  return words;
}

/** The name `serverNameFor` gives a stored source reference: how migrated scans find their server. */
export function serverNameForSource(source: SourceRef): string {
  switch (source.kind) {
    case 'npm':
      return stripVersion(source.target.replace(/^npm:/, ''));
    case 'http':
      return nameFromUrl(source.target);
    case 'manifest':
      return basename(source.target, extname(source.target));
    case 'stdio': {
      const [command, ...args] = splitCommandLine(source.target);
      return command === undefined ? source.target : serverNameFor({ kind: 'stdio', command }, args);
    }
  }
}
