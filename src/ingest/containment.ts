// How a spawned program (a stdio server, npm) is contained: a bubblewrap sandbox when asked for, else its
// own PID namespace, else only a process group. The wrapper goes in front of the command line.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { McpRiskError } from '../model/errors.js';
import type { ServerSnapshot } from '../model/tool.js';

/**
 * What a scan records about where its server ran:
 * - `sandbox` / `sandbox+network`: bubblewrap, empty home, private /tmp, the rest read-only, own PID namespace;
 * - `pid-namespace`: its own PID namespace (util-linux `unshare`), so ending it ends every descendant;
 * - `process-group`: neither was available; its group and the descendants we can still see are ended.
 */
export type Isolation = NonNullable<ServerSnapshot['isolation']>;

export interface SandboxSpec {
  /** Let the program reach the network (the host's network namespace). Default: no network at all. */
  network: boolean;
  /** Folders or files it must read although they lie in a hidden place (a package under the cache). */
  readable?: string[];
  /** Folders it may write (npm's staging folder and download cache). */
  writable?: string[];
}

export interface Launch {
  command: string;
  args: string[];
  env: Record<string, string>;
  isolation: Isolation;
}

export interface LaunchRequest {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
  /** Run inside bubblewrap; the caller checked sandboxAvailable() first. */
  sandbox?: SandboxSpec;
}

const probes = new Map<string, string | false>();

function onPath(name: string, path: string | undefined = process.env.PATH): string | undefined {
  for (const dir of (path ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

/** Finds `name` and checks once per process that `args` runs it successfully (namespaces may be forbidden). */
function probe(name: string, args: string[]): string | undefined {
  const key = [name, ...args].join(' ');
  const known = probes.get(key);
  if (known !== undefined) return known === false ? undefined : known;
  const path = process.platform === 'linux' ? onPath(name) : undefined;
  let ok = false;
  if (path !== undefined) {
    const run = spawnSync(path, [...args, 'true'], { stdio: 'ignore', timeout: 10_000, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
    ok = run.status === 0;
    // A probe that timed out (a loaded machine) says nothing: asked again next time.
    if (run.error !== undefined && (run.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') return undefined;
  }
  probes.set(key, ok && path !== undefined ? path : false);
  return ok ? path : undefined;
}

const BWRAP_PROBE = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--unshare-all', '--die-with-parent', '--'];
const UNSHARE_PROBE = ['--pid', '--fork', '--kill-child', '--'];
const SETPRIV_PROBE = ['--pdeathsig', 'KILL', '--'];

/** True when bubblewrap is installed and may create namespaces here. */
export function sandboxAvailable(): boolean {
  return probe('bwrap', BWRAP_PROBE) !== undefined;
}

/** The one line a user sees when --sandbox cannot be honoured: we never run the server unsandboxed instead. */
export function sandboxUnavailable(): McpRiskError {
  const why = process.platform !== 'linux' ? 'the sandbox needs Linux' : 'bubblewrap (bwrap) is not installed or may not create namespaces here';
  return new McpRiskError('SANDBOX_UNAVAILABLE', `--sandbox was asked for, but ${why}`, {
    hint: 'Install bubblewrap (apt-get install bubblewrap), or pass --no-sandbox to run the server unsandboxed',
  });
}

/** True when a launched server dies with us even if we are SIGKILLed (util-linux setpriv --pdeathsig). */
export function deathSignalAvailable(): boolean {
  return probe('setpriv', SETPRIV_PROBE) !== undefined;
}

/** The isolation a launch without --sandbox gets on this machine. */
export function defaultIsolation(): Isolation {
  return probe('unshare', UNSHARE_PROBE) !== undefined ? 'pid-namespace' : 'process-group';
}

/** The executable spawn would run for `command` under `env`, when there is one. */
function resolveCommand(command: string, env: Record<string, string>, cwd: string): string | undefined {
  if (command.includes('/') || command.includes(sep)) {
    const path = resolve(cwd, command);
    try {
      accessSync(path, constants.X_OK);
      return statSync(path).isFile() ? path : undefined;
    } catch {
      return undefined;
    }
  }
  return onPath(command, env.PATH);
}

/** Places an untrusted program must not see inside the sandbox: homes, temp folders, runtime sockets. */
function hiddenRoots(homes: string[]): string[] {
  const roots = ['/home', '/root', '/tmp', '/var/tmp', '/run', '/mnt', '/media'];
  for (const home of homes) if (home !== '' && home !== '/' && !roots.some((r) => home === r || home.startsWith(r + '/'))) roots.push(home);
  return roots.filter((r) => existsSync(r));
}

/** Files readable by root's owner bits even without capabilities: masked with an empty file. */
const MASKED_FILES = [
  '/etc/shadow',
  '/etc/gshadow',
  '/etc/shadow-',
  '/etc/gshadow-',
  '/etc/sudoers',
  '/etc/ssh/ssh_host_rsa_key',
  '/etc/ssh/ssh_host_ecdsa_key',
  '/etc/ssh/ssh_host_ed25519_key',
];

/**
 * What an argument naming an existing path brings into the sandbox: a folder as itself; a file with
 * its package (the nearest folder holding package.json) or its folder, so `node server.js` finds
 * `./lib/...` too; never a hidden root or a home as a whole. A file inside `node_modules` also brings
 * the outermost `node_modules` it lies in, where its hoisted dependencies are (not the project around it).
 */
function argumentPaths(path: string, roots: readonly string[], homes: readonly string[]): string[] {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return [];
  }
  const tooWide = (p: string): boolean => p === '/' || roots.includes(p) || homes.includes(p);
  const modules = path.split(sep).indexOf('node_modules');
  const dependencies =
    modules > 0
      ? [
          path
            .split(sep)
            .slice(0, modules + 1)
            .join(sep),
        ]
      : [];
  if (stat.isDirectory()) return tooWide(path) ? [] : [path, ...dependencies];
  for (let dir = dirname(path); !tooWide(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return [dir, ...dependencies];
    if (dirname(dir) === dir) break;
  }
  return [tooWide(dirname(path)) ? path : dirname(path), ...dependencies];
}

const inside = (path: string, root: string): boolean => path === root || path.startsWith(root.endsWith('/') ? root : root + '/');

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * The bubblewrap command line. Everything is read-only; homes, /tmp and runtime folders are empty
 * tmpfs; what the program needs from there (its own files, the arguments that name existing paths,
 * the Node that runs it) is bound back read-only; `writable` folders are bound read-write.
 */
function bwrapArgs(request: LaunchRequest, executable: string, spec: SandboxSpec): string[] {
  const cwd = resolve(request.cwd ?? process.cwd());
  // Ours and the one the server is given (--env HOME=... must not un-hide the real one).
  const homes = [...new Set([homedir(), request.env.HOME ?? ''].filter((h) => h !== ''))];
  const roots = hiddenRoots(homes);
  // No capabilities: as root, bwrap would otherwise leave CAP_SYS_ADMIN, and umount would undo the tmpfs.
  const args = ['--die-with-parent', '--new-session', '--unshare-all', '--cap-drop', 'ALL', ...(spec.network ? ['--share-net'] : [])];
  args.push('--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc');
  for (const root of roots) args.push('--tmpfs', root);
  for (const file of MASKED_FILES) if (existsSync(file)) args.push('--ro-bind', '/dev/null', file);
  const readable = new Set<string>();
  const need = (path: string): void => {
    const real = realOrSelf(path);
    for (const p of new Set([path, real])) if (existsSync(p) && roots.some((r) => inside(p, r))) readable.add(p);
  };
  for (const path of argumentPaths(executable, roots, homes)) need(path);
  need(executable);
  // Node under a home (nvm, volta): the binary, and its own lib/node_modules (npm) when there is one.
  const node = realOrSelf(process.execPath);
  need(node);
  need(join(dirname(dirname(node)), 'lib', 'node_modules'));
  for (const arg of request.args) {
    if (arg === '' || arg.startsWith('-')) continue;
    for (const path of argumentPaths(isAbsolute(arg) ? arg : resolve(cwd, arg), roots, homes)) need(path);
  }
  for (const path of spec.readable ?? []) need(path);
  // Name resolution often goes through /run (systemd-resolved's stub file); only with a network is it any use.
  if (spec.network) need('/etc/resolv.conf');
  const writable = (spec.writable ?? []).filter((p) => existsSync(p));
  // A path inside one already bound comes along with it (and binding it again could cross a symlink there).
  const covered = (path: string): boolean => writable.some((w) => inside(path, w)) || [...readable].some((r) => r !== path && inside(path, r));
  for (const path of [...readable].sort()) if (!covered(path)) args.push('--ro-bind', path, path);
  for (const path of writable) args.push('--bind', path, path);
  // The working folder may lie in a hidden place: then it is an empty folder (or what was bound there).
  if (roots.some((r) => inside(cwd, r))) args.push('--dir', cwd);
  args.push('--chdir', cwd, '--');
  return args;
}

/**
 * The command line that runs `request` contained. A command that cannot be found or run is spawned
 * as is, so the user sees the same "command not found" a plain spawn gives (and nothing runs).
 */
export function containedLaunch(request: LaunchRequest): Launch {
  const cwd = resolve(request.cwd ?? process.cwd());
  const executable = resolveCommand(request.command, request.env, cwd);
  const plain: Launch = { command: request.command, args: request.args, env: request.env, isolation: 'process-group' };
  if (executable === undefined || process.platform !== 'linux') return plain;
  if (request.sandbox !== undefined) {
    const bwrap = probe('bwrap', BWRAP_PROBE);
    if (bwrap === undefined) throw sandboxUnavailable();
    // TMPDIR may name a folder the sandbox hides or makes read-only; its /tmp is private and writable.
    const env = { ...request.env, TMPDIR: '/tmp' };
    return {
      command: bwrap,
      args: [...bwrapArgs(request, executable, request.sandbox), executable, ...request.args],
      env,
      isolation: request.sandbox.network ? 'sandbox+network' : 'sandbox',
    };
  }
  // setpriv: the wrapper dies with us even when we are SIGKILLed, and --kill-child takes the namespace along.
  const setpriv = probe('setpriv', SETPRIV_PROBE);
  const deathSignal = setpriv === undefined ? [] : [setpriv, ...SETPRIV_PROBE];
  const unshare = probe('unshare', UNSHARE_PROBE);
  const chain = [...deathSignal, ...(unshare === undefined ? [] : [unshare, ...UNSHARE_PROBE]), executable, ...request.args];
  if (chain.length === request.args.length + 1) return plain;
  return { command: chain[0]!, args: chain.slice(1), env: request.env, isolation: unshare === undefined ? 'process-group' : 'pid-namespace' };
}
