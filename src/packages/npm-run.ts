// Runs npm with a scrubbed environment, a deadline and bounded output, and reads its errors.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { scrubbedEnv } from '../ingest/env.js';
import { containedLaunch } from '../ingest/containment.js';
import type { SandboxSpec } from '../ingest/containment.js';
import { killProcessTree } from '../ingest/process-tree.js';
import { McpRiskError } from '../model/index.js';
import { oneLine } from '../output/safe-text.js';
import { npmDownloadCacheDir } from './cache.js';

const MAX_STDOUT_BYTES = 4 * 1024 * 1024;
const MAX_STDERR_BYTES = 64 * 1024;
const MAX_LINE_CHARS = 300;

export interface NpmRunOptions {
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  sandbox?: SandboxSpec;
}

export interface NpmRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  /** True when stdout passed the limit and was cut. */
  stdoutTruncated: boolean;
  /** The last bytes npm wrote to stderr. */
  stderr: string;
  timedOut: boolean;
}

/**
 * What npm needs and nothing of ours: the safe base from `scrubbedEnv` (no API keys), its own download
 * cache under ours, no update check, no audit or funding calls, and the registry when one is given.
 * Install scripts (when allowed) run under npm, so they inherit this and no more.
 */
export function npmEnv(cacheDir: string, registry?: string, ours: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env = scrubbedEnv({
    ...networkSettings(ours),
    npm_config_cache: npmDownloadCacheDir(cacheDir),
    npm_config_update_notifier: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
  });
  if (registry !== undefined) env.npm_config_registry = registry;
  return env;
}

/**
 * How this machine reaches the registry: proxies and the certificates of a TLS-inspecting proxy. npm is
 * our tool, not the server under test, so it gets these (and only these) from our environment; without
 * them an install behind a corporate proxy fails with "self-signed certificate in certificate chain".
 */
const NETWORK_VARIABLES =
  /^(https?_proxy|no_proxy|all_proxy|node_extra_ca_certs|ssl_cert_file|ssl_cert_dir|npm_config_(?:https?[-_]proxy|proxy|noproxy|cafile|ca|strict[-_]ssl|registry))$/i;

function networkSettings(ours: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(ours)) if (v !== undefined && NETWORK_VARIABLES.test(k)) out[k] = v;
  return out;
}

/** The npm that ships with the running Node, so both agree; `npm` on PATH when it cannot be found. */
export function npmCommand(): { command: string; args: string[] } {
  const binDir = dirname(process.execPath);
  const candidates = [join(binDir, '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'), join(binDir, 'node_modules', 'npm', 'bin', 'npm-cli.js')];
  for (const cli of candidates) if (existsSync(cli)) return { command: process.execPath, args: [cli] };
  return { command: process.platform === 'win32' ? 'npm.cmd' : 'npm', args: [] };
}

/** Runs npm to completion or until the deadline, when its whole process tree (install scripts too) is ended. */
export async function runNpm(args: string[], options: NpmRunOptions): Promise<NpmRun> {
  const npm = npmCommand();
  // Contained like a server: install scripts are the package author's code.
  const launch = containedLaunch({
    command: npm.command,
    args: [...npm.args, ...args],
    env: options.env,
    cwd: options.cwd,
    ...(options.sandbox !== undefined && { sandbox: options.sandbox }),
  });
  const child = spawn(launch.command, launch.args, {
    cwd: options.cwd,
    env: launch.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so a timeout can end npm and every script it started.
    detached: process.platform !== 'win32',
    windowsHide: true,
  });
  const stdout: Buffer[] = [];
  let stdoutBytes = 0;
  let stdoutTruncated = false;
  let stderr = Buffer.alloc(0);
  child.stdout.on('data', (chunk: Buffer) => {
    if (stdoutBytes >= MAX_STDOUT_BYTES) {
      stdoutTruncated = true;
      return;
    }
    stdout.push(chunk);
    stdoutBytes += chunk.length;
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = Buffer.concat([stderr, chunk]);
    if (stderr.length > MAX_STDERR_BYTES) stderr = stderr.subarray(stderr.length - MAX_STDERR_BYTES);
  });
  let timedOut = false;
  let killing: Promise<void> | undefined;
  const timer = setTimeout(
    () => {
      timedOut = true;
      if (child.pid !== undefined) killing = killProcessTree(child.pid, launch.isolation === 'pid-namespace' ? 0 : undefined);
    },
    Math.max(0, options.timeoutMs),
  );
  try {
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code, signal) => resolve({ code, signal }));
    });
    await killing;
    return { ...exit, stdout: Buffer.concat(stdout).toString('utf8'), stdoutTruncated, stderr: stderr.toString('utf8'), timedOut };
  } catch (error) {
    throw new McpRiskError('SERVER_FAILED', `could not run npm: ${(error as Error).message}`, {
      hint: 'Installing a package needs npm; check that it is installed and on PATH.',
      cause: error,
    });
  } finally {
    clearTimeout(timer);
  }
}

/** One bounded line without control characters: npm relays registry and script text. */
export function cleanLine(text: string): string {
  return oneLine(text, MAX_LINE_CHARS);
}

/** Lines npm prints on every failure that say nothing about this one. */
const NOISE = [
  /^code \S+$/,
  /^errno \S+$/,
  /^(syscall \S+|path .*)$/,
  /^A complete log of this run can be found in/,
  /^Log files were not written/,
  /^You can rerun with/,
  /Note that you can also install from a/,
  /^tarball, folder, http url, or git (repo|url)\.$/,
  /^In most cases you or one of your dependencies are requesting/,
  /^a package version that doesn't exist\.$/,
  /^If you are behind a proxy, please make sure that the$/,
  /^'proxy' config is set properly\. See: 'npm help config'$/,
];

/** npm's error code (`E404`, `ETARGET`, `ENOTCACHED`...) from `--json` output or the stderr log. */
export function npmErrorCode(run: NpmRun): string | undefined {
  const fromJson = npmJsonError(run)?.code;
  if (fromJson !== undefined) return fromJson;
  return /^npm (?:error|ERR!) code (\S+)/m.exec(run.stderr)?.[1];
}

/** The `{ error: { code, summary } }` npm prints on stdout under `--json`. */
export function npmJsonError(run: NpmRun): { code?: string; summary?: string } | undefined {
  try {
    const parsed = JSON.parse(run.stdout) as { error?: { code?: unknown; summary?: unknown } };
    const error = parsed.error;
    if (error === undefined || error === null || typeof error !== 'object') return undefined;
    return {
      ...(typeof error.code === 'string' && { code: error.code }),
      ...(typeof error.summary === 'string' && { summary: cleanLine(error.summary) }),
    };
  } catch {
    return undefined;
  }
}

/**
 * The last stderr line that says what went wrong: error lines only (warnings are skipped), npm's
 * boilerplate dropped. For a failed install script that is the script's own last words.
 */
export function lastMeaningfulLine(stderr: string): string | undefined {
  const lines = stderr.split(/\r?\n/);
  const errorLines = lines.filter((line) => /^npm (?:error|ERR!)/.test(line));
  const pool = errorLines.length > 0 ? errorLines : lines.filter((line) => !/^npm (?:warn|WARN|notice|http|info)/.test(line));
  for (let i = pool.length - 1; i >= 0; i -= 1) {
    // `404` and `notarget` prefix every line of those reports; the text after them is the message.
    const line = cleanLine((pool[i] ?? '').replace(/^npm (?:error|ERR!)\s*/, '').replace(/^(?:404|notarget)(?:\s+|$)/, ''));
    if (line === '' || NOISE.some((pattern) => pattern.test(line))) continue;
    return line;
  }
  return undefined;
}
