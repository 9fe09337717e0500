// Resolves an npm spec to an exact version and installs it into the isolated cache, once per version.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { McpRiskError } from '../model/index.js';
import { chooseBin } from './bin.js';
import {
  defaultCacheDir,
  installDirFor,
  npmDownloadCacheDir,
  isInstalled,
  makeStagingDir,
  markInstalled,
  npmPackagesDir,
  packageRootIn,
  placeInstall,
  sweepStaleStaging,
} from './cache.js';
import { exactVersion, formatNpmSpec, highestVersion, isExactVersion, parseNpmSpec } from './npm-spec.js';
import type { NpmSpec } from './npm-spec.js';
import { lastMeaningfulLine, npmEnv, npmErrorCode, npmJsonError, runNpm } from './npm-run.js';
import type { NpmRun } from './npm-run.js';
import type { SandboxSpec } from '../ingest/containment.js';
import { noMatch, registryHint, registrySettings, resolveFromRegistry } from './registry-metadata.js';

export const DEFAULT_INSTALL_TIMEOUT_MS = 180_000;

export interface InstallOptions {
  /** Default: `defaultCacheDir()`; packages go under `<cacheDir>/npm/`. */
  cacheDir?: string;
  /** Run the package's install scripts; default false (`--ignore-scripts`). */
  allowScripts?: boolean;
  /** Passed to npm as `--registry`. */
  registry?: string;
  /** The whole resolve + install; default 180000. */
  timeoutMs?: number;
  /** The bin to start when the package has several. */
  bin?: string;
  /** Use only what is cached (our installs, then npm's download cache); never the network. */
  offline?: boolean;
  /**
   * Run npm in bubblewrap: empty home, private /tmp, read-only but for the staging folder and npm's cache.
   * npm keeps the network (it must reach the registry) unless offline; `network` is the server's.
   */
  sandbox?: SandboxSpec;
}

export interface InstalledPackage {
  name: string;
  /** The exact version installed and scanned. */
  version: string;
  /** The package root inside the cache. */
  dir: string;
  /** The whole install (the package and its dependencies): `<cache>/npm/<name>@<version>`. */
  installDir: string;
  bin: string;
  binPath: string;
  /** True when this version was already in the cache and nothing was installed. */
  cached: boolean;
}

interface Context {
  cacheDir: string;
  env: Record<string, string>;
  common: string[];
  deadline: number;
  timeoutMs: number;
  /** Ours (`--registry`), when given; else npm's settings decide. */
  registry?: string;
  /** npm's own sandbox: the network to reach the registry (none offline), its download cache writable. */
  sandbox?: SandboxSpec;
}

function contextFor(options: InstallOptions, cacheDir: string, timeoutMs: number): Context {
  const offline = options.offline === true;
  const context: Context = {
    cacheDir,
    env: npmEnv(cacheDir, options.registry),
    common: [...(options.registry !== undefined ? ['--registry', options.registry] : []), ...(offline ? ['--offline'] : [])],
    deadline: Date.now() + timeoutMs,
    timeoutMs,
    ...(options.registry !== undefined && { registry: options.registry }),
  };
  if (options.sandbox !== undefined) {
    mkdirSync(npmDownloadCacheDir(cacheDir), { recursive: true });
    context.sandbox = { network: !offline, writable: [npmDownloadCacheDir(cacheDir)] };
  }
  return context;
}

/** The sandbox for one npm run, with `writable` added to the download cache. */
function npmSandbox(context: Context, ...writable: string[]): { sandbox?: SandboxSpec } {
  if (context.sandbox === undefined) return {};
  return { sandbox: { ...context.sandbox, writable: [...(context.sandbox.writable ?? []), ...writable] } };
}

function remaining(context: Context): number {
  return Math.max(1, context.deadline - Date.now());
}

function timedOut(what: string, context: Context): McpRiskError {
  return new McpRiskError('SERVER_FAILED', `${what} timed out after ${Number((context.timeoutMs / 1000).toFixed(1))} s`, {
    hint: 'Check the network and registry, or allow more time.',
  });
}

/**
 * Which exact version a range or tag means now: one HTTP request for the registry's packument (a 304
 * when it is unchanged), or offline the copy cached by an earlier run. npm itself answers when a proxy
 * is configured (we do not tunnel) or offline when we cached nothing, from its own download cache.
 */
async function resolveVersion(spec: NpmSpec, context: Context, offline: boolean): Promise<string> {
  const settings = registrySettings(spec.name, context.registry, process.env);
  if (settings.proxy !== undefined) return viewVersion(spec, context, offline);
  const version = await resolveFromRegistry(spec, { cacheDir: context.cacheDir, timeoutMs: remaining(context), offline, settings });
  return version ?? viewVersion(spec, context, offline);
}

/** Asks npm which exact version a range or tag means; npm picks, we take the highest it lists. */
async function viewVersion(spec: NpmSpec, context: Context, offline: boolean): Promise<string> {
  const wanted = formatNpmSpec(spec);
  const run = await runNpm(['view', wanted, 'version', '--json', ...context.common], {
    cwd: npmPackagesDir(context.cacheDir),
    env: context.env,
    timeoutMs: remaining(context),
    ...npmSandbox(context),
  });
  if (run.timedOut) throw timedOut(`npm view ${wanted}`, context);
  if (run.code !== 0) throw viewFailure(spec, run, offline);
  let parsed: unknown;
  try {
    parsed = run.stdout.trim() === '' ? [] : JSON.parse(run.stdout);
  } catch {
    throw new McpRiskError('SERVER_FAILED', `npm view ${wanted} gave output that is not JSON`);
  }
  const listed = (Array.isArray(parsed) ? parsed : [parsed]).filter((v): v is string => typeof v === 'string');
  const version = highestVersion(listed);
  if (version === undefined) throw noMatch(spec, offline);
  return version;
}

function viewFailure(spec: NpmSpec, run: NpmRun, offline: boolean): McpRiskError {
  const code = npmErrorCode(run);
  const summary = npmJsonError(run)?.summary ?? lastMeaningfulLine(run.stderr) ?? `npm exited with code ${run.code ?? run.signal}`;
  if (code === 'E404' && /no match/i.test(summary)) return noMatch(spec, offline);
  if (code === 'E404') return new McpRiskError('SERVER_FAILED', `package ${spec.name} is not in the registry`, { hint: registryHint(offline) });
  if (code === 'ETARGET') return noMatch(spec, offline);
  if (code === 'ENOTCACHED') return new McpRiskError('SERVER_FAILED', `${formatNpmSpec(spec)} is not in the cache (offline)`, { hint: registryHint(true) });
  return new McpRiskError('SERVER_FAILED', `npm view failed for ${formatNpmSpec(spec)}: ${summary}`, { hint: registryHint(offline) });
}

function installFailure(name: string, version: string, run: NpmRun, offline: boolean): McpRiskError {
  const code = npmErrorCode(run);
  if (code === 'E404') return new McpRiskError('SERVER_FAILED', `package ${name}@${version} is not in the registry`, { hint: registryHint(offline) });
  if (code === 'ETARGET') return noMatch({ name, range: version }, offline);
  if (code === 'ENOTCACHED') return new McpRiskError('SERVER_FAILED', `${name}@${version} is not in the cache (offline)`, { hint: registryHint(true) });
  const line = lastMeaningfulLine(run.stderr) ?? `npm exited with code ${run.code ?? run.signal}`;
  return new McpRiskError('SERVER_FAILED', `npm install failed for ${name}@${version}: ${line}`, { hint: registryHint(offline) });
}

/** Installs into a private staging folder, marks it finished, then renames it into place. */
async function install(name: string, version: string, context: Context, allowScripts: boolean, offline: boolean): Promise<void> {
  const installDir = installDirFor(context.cacheDir, name, version);
  const staging = makeStagingDir(context.cacheDir, name, version);
  try {
    const args = [
      'install',
      '--prefix',
      staging,
      // Explicit both ways: a user's .npmrc must not turn scripts on, nor off when they were asked for.
      allowScripts ? '--ignore-scripts=false' : '--ignore-scripts',
      '--no-audit',
      '--no-fund',
      '--no-save',
      '--omit=dev',
      '--no-package-lock',
      ...context.common,
      `${name}@${version}`,
    ];
    const run = await runNpm(args, { cwd: staging, env: context.env, timeoutMs: remaining(context), ...npmSandbox(context, staging) });
    if (run.timedOut) throw timedOut(`npm install ${name}@${version}`, context);
    if (run.code !== 0) throw installFailure(name, version, run, offline);
    const installedVersion = readManifest(packageRootIn(staging, name), `${name}@${version}`).version;
    if (installedVersion !== version) {
      throw new McpRiskError('SERVER_FAILED', `npm installed ${name}@${String(installedVersion).slice(0, 40)} when ${version} was asked for`);
    }
    markInstalled(staging, name, version);
    placeInstall(staging, installDir, name, version);
  } finally {
    // Gone already after a successful placement; after a failure nothing half-done is kept.
    rmSync(staging, { recursive: true, force: true });
  }
}

function readManifest(packageRoot: string, label: string): { version?: unknown; bin?: unknown } {
  try {
    const manifest = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as unknown;
    if (manifest === null || typeof manifest !== 'object') throw new Error('not an object');
    return manifest as { version?: unknown; bin?: unknown };
  } catch (error) {
    throw new McpRiskError('SERVER_FAILED', `${label} has no readable package.json after install`, { cause: error });
  }
}

/**
 * The exact version a spec names now, without installing: an exact version as is, a range or tag from
 * the registry. A refresh compares it with the version it scanned last time to skip unchanged packages.
 */
export async function resolveNpmVersion(given: NpmSpec, options: ResolveOptions = {}): Promise<string> {
  return exactOrResolved(given, options, resolveVersion);
}

/** The same as resolveNpmVersion, always through `npm view` (one npm process): kept for comparison. */
export async function resolveWithNpmView(given: NpmSpec, options: ResolveOptions = {}): Promise<string> {
  return exactOrResolved(given, options, viewVersion);
}

type ResolveOptions = Pick<InstallOptions, 'cacheDir' | 'registry' | 'timeoutMs' | 'offline'>;

/** An exact version needs nothing; anything else goes to `resolve` with the cache folder made. */
async function exactOrResolved(
  given: NpmSpec,
  options: ResolveOptions,
  resolve: (spec: NpmSpec, context: Context, offline: boolean) => Promise<string>,
): Promise<string> {
  const spec = parseNpmSpec(given.range === '' ? given.name : `${given.name}@${given.range}`);
  const exact = exactVersion(spec.range);
  if (exact !== undefined) return exact;
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  mkdirSync(npmPackagesDir(cacheDir), { recursive: true });
  return resolve(spec, contextFor(options, cacheDir, options.timeoutMs ?? DEFAULT_INSTALL_TIMEOUT_MS), options.offline === true);
}

/**
 * Makes the package available in the cache and picks its server executable. An exact version already
 * in the cache needs no network; a range or tag is resolved by the registry first. Every npm call
 * runs with a scrubbed environment and shares one deadline; failures are one-line McpRiskErrors.
 */
export async function installNpmPackage(given: NpmSpec, options: InstallOptions = {}): Promise<InstalledPackage> {
  // Specs may come from a catalogue rather than parseNpmSpec; the same checks keep URLs and paths out.
  const spec = parseNpmSpec(given.range === '' ? given.name : `${given.name}@${given.range}`);
  const timeoutMs = options.timeoutMs ?? DEFAULT_INSTALL_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new McpRiskError('USAGE', `the install timeout must be a positive number, got ${timeoutMs}`);
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const offline = options.offline === true;
  let context: Context;
  try {
    mkdirSync(npmPackagesDir(cacheDir), { recursive: true });
    context = contextFor(options, cacheDir, timeoutMs);
  } catch (error) {
    throw new McpRiskError('SERVER_FAILED', `cannot create the package cache at ${cacheDir}: ${(error as Error).message}`, {
      hint: 'Set MCP_RISK_CACHE to a writable folder.',
      cause: error,
    });
  }
  const version = exactVersion(spec.range) ?? (await resolveVersion(spec, context, offline));
  // Guards the folder name: only a plain semver version may become a path component.
  if (!isExactVersion(version)) throw new McpRiskError('SERVER_FAILED', `the registry gave an invalid version for ${spec.name}`);
  const installDir = installDirFor(cacheDir, spec.name, version);
  const cached = isInstalled(installDir, spec.name, version);
  if (!cached) {
    sweepStaleStaging(cacheDir);
    await install(spec.name, version, context, options.allowScripts === true, offline);
  }
  const dir = packageRootIn(installDir, spec.name);
  const label = `${spec.name}@${version}`;
  const choice = chooseBin(readManifest(dir, label), spec.name, dir, label, options.bin);
  return { name: spec.name, version, dir, installDir, bin: choice.name, binPath: choice.path, cached };
}
