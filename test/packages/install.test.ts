// Installing server packages from a loopback npm registry into the isolated cache, then scanning them for real.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanServer } from '../../src/ingest/index.js';
import { McpRiskError } from '../../src/model/index.js';
import { installNpmPackage, parseNpmSpec, targetForPackage } from '../../src/packages/index.js';
import type { InstalledPackage } from '../../src/packages/index.js';
import { installDirFor, isInstalled, markInstalled } from '../../src/packages/cache.js';
import { sandboxAvailable } from '../../src/ingest/containment.js';
import { mcpRisk } from '../support/cli.js';
import { packFixtures, startRegistry, startSilentRegistry } from './registry.js';
import type { Registry } from './registry.js';

const FAST = { connectTimeoutMs: 10_000, listTimeoutMs: 10_000 };
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DEAD_REGISTRY = 'http://127.0.0.1:9/';

let work: string;
let registry: Registry;
let caches = 0;

/** A fresh cache per test, so no test depends on another's installs. */
function freshCache(): string {
  caches += 1;
  return join(work, `cache-${caches}`);
}

async function rejection(promise: Promise<unknown>): Promise<McpRiskError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(McpRiskError);
  return error as McpRiskError;
}

/** Pids whose working directory lies inside `dir` (Linux; elsewhere nothing can be seen). */
function processesWorkingIn(dir: string): number[] {
  if (process.platform !== 'linux') return [];
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkSync(`/proc/${entry}/cwd`).startsWith(dir)) found.push(Number(entry));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return found;
}

const toolNames = (snapshot: { tools: { definition: { name: string } }[] }): string[] => snapshot.tools.map((t) => t.definition.name);

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'mcp-risk-packages-'));
  const packed = await packFixtures(work, [
    { name: 'tiny-mcp-server', version: '1.0.0' },
    { name: 'tiny-mcp-server', version: '1.1.0' },
    { name: '@fixture/tiny-mcp-server', version: '1.0.0' },
    { name: '@fixture/multi-tool', version: '1.0.0' },
    {
      name: 'tiny-mcp-broken',
      version: '1.0.0',
      patch: { scripts: { postinstall: 'node -e "console.error(\'gyp: cannot build the native addon\'); process.exit(3)"' } },
    },
  ]);
  registry = await startRegistry(packed);
});

afterAll(async () => {
  await registry?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('installNpmPackage from a registry', () => {
  it('resolves a range to the exact version, installs without scripts, and the bin serves MCP', async () => {
    const cacheDir = freshCache();
    const pkg = await installNpmPackage(parseNpmSpec('npm:tiny-mcp-server@^1.0.0'), { cacheDir, registry: registry.url });
    expect(pkg).toMatchObject({ name: 'tiny-mcp-server', version: '1.1.0', bin: 'tiny-mcp-server', cached: false });
    expect(pkg.dir).toBe(join(cacheDir, 'npm', 'tiny-mcp-server@1.1.0', 'node_modules', 'tiny-mcp-server'));
    expect(pkg.binPath).toBe(join(pkg.dir, 'bin', 'server.js'));
    // Scripts are off by default: the fixture's postinstall would have left this file.
    expect(existsSync(join(pkg.dir, 'postinstall-ran.json'))).toBe(false);
    // npm's downloads went to our cache, not the user's ~/.npm.
    expect(readdirSync(join(cacheDir, 'npm-cache')).length).toBeGreaterThan(0);
    // No staging folder is left behind.
    expect(readdirSync(join(cacheDir, 'npm', '.staging'))).toEqual([]);

    const target = targetForPackage(pkg, {});
    expect(target).toMatchObject({ kind: 'stdio', name: 'tiny-mcp-server', command: process.execPath, args: [pkg.binPath] });
    const snapshot = await scanServer(target, FAST);
    expect(snapshot.status).toBe('ok');
    expect(toolNames(snapshot)).toEqual(['read_note', 'write_note', 'delete_note']);
    expect(snapshot.serverInfo).toMatchObject({ name: 'tiny-mcp-server', version: '1.1.0' });
    expect(snapshot.name).toBe('tiny-mcp-server');
  });

  it('skips the install for a version already in the cache', async () => {
    const cacheDir = freshCache();
    const first = await installNpmPackage(parseNpmSpec('npm:tiny-mcp-server'), { cacheDir, registry: registry.url });
    expect(first).toMatchObject({ version: '1.1.0', cached: false });
    const tarballsBefore = registry.tarballRequests().length;
    const requestsBefore = registry.requests.length;

    // A range still asks the registry which version it means, but downloads nothing.
    const again = await installNpmPackage(parseNpmSpec('npm:tiny-mcp-server@^1'), { cacheDir, registry: registry.url });
    expect(again).toMatchObject({ version: '1.1.0', cached: true, dir: first.dir });
    expect(registry.tarballRequests().length).toBe(tarballsBefore);

    // An exact version needs no network at all, even with the registry unreachable.
    const exact = await installNpmPackage(parseNpmSpec('npm:tiny-mcp-server@1.1.0'), { cacheDir, registry: DEAD_REGISTRY });
    expect(exact).toMatchObject({ version: '1.1.0', cached: true });
    const offline = await installNpmPackage(parseNpmSpec('npm:tiny-mcp-server@1.1.0'), { cacheDir, registry: DEAD_REGISTRY, offline: true });
    expect(offline).toMatchObject({ version: '1.1.0', cached: true });
    // Offline, a range is resolved from the registry metadata cached on the first install, with no request.
    const requestsOnline = registry.requests.length;
    const offlineRange = await installNpmPackage(parseNpmSpec('npm:tiny-mcp-server@^1'), { cacheDir, registry: registry.url, offline: true });
    expect(offlineRange).toMatchObject({ version: '1.1.0', cached: true });
    expect(registry.requests.length).toBe(requestsOnline);
    expect(requestsOnline).toBeLessThanOrEqual(requestsBefore + 1);
    expect((await scanServer(targetForPackage(offline, {}), FAST)).status).toBe('ok');
  });

  it('runs install scripts only when allowed, and npm never sees our environment', async () => {
    const saved = process.env.OPENAI_API_KEY;
    process.env.OPENAI_API_KEY = 'sk-test-secret-for-npm';
    try {
      const cacheDir = freshCache();
      const pkg = await installNpmPackage(parseNpmSpec('npm:@fixture/tiny-mcp-server@1.0.0'), { cacheDir, registry: registry.url, allowScripts: true });
      // A scoped package: the bin named like the package without its scope is the one chosen.
      expect(pkg).toMatchObject({ name: '@fixture/tiny-mcp-server', version: '1.0.0', bin: 'tiny-mcp-server', cached: false });
      expect(pkg.dir).toBe(join(cacheDir, 'npm', '@fixture', 'tiny-mcp-server@1.0.0', 'node_modules', '@fixture', 'tiny-mcp-server'));
      const seen = JSON.parse(readFileSync(join(pkg.dir, 'postinstall-ran.json'), 'utf8')) as { env: Record<string, string> };
      expect(seen.env.OPENAI_API_KEY).toBeUndefined();
      expect(JSON.stringify(seen)).not.toContain('sk-test-secret-for-npm');
      expect(seen.env.npm_config_cache).toBe(join(cacheDir, 'npm-cache'));
    } finally {
      if (saved === undefined) delete process.env.OPENAI_API_KEY;
      else process.env.OPENAI_API_KEY = saved;
    }
  });

  it('asks for --bin when no bin is named like the package, and honours it', async () => {
    const cacheDir = freshCache();
    const spec = parseNpmSpec('npm:@fixture/multi-tool@1.0.0');
    const error = await rejection(installNpmPackage(spec, { cacheDir, registry: registry.url }));
    expect(error.code).toBe('USAGE');
    expect(error.message).toBe('@fixture/multi-tool@1.0.0 has several executables: tiny-mcp-server, tiny-mcp-other, tiny-mcp-crash');
    expect(error.hint).toContain('--bin NAME');

    // The install itself succeeded and was kept; only the choice was missing.
    const other = await installNpmPackage(spec, { cacheDir, registry: DEAD_REGISTRY, bin: 'tiny-mcp-other' });
    expect(other).toMatchObject({ bin: 'tiny-mcp-other', cached: true });
    expect(toolNames(await scanServer(targetForPackage(other, {}), FAST))).toEqual(['other_tool']);

    const missing = await rejection(installNpmPackage(spec, { cacheDir, registry: DEAD_REGISTRY, bin: 'nope' }));
    expect(missing.code).toBe('USAGE');
    expect(missing.message).toContain('no executable named "nope"; it has: tiny-mcp-server, tiny-mcp-other, tiny-mcp-crash');
  });

  it('reports a bin that crashes at start as a failed scan with its stderr, not a crash', async () => {
    const cacheDir = freshCache();
    const pkg = await installNpmPackage(parseNpmSpec('npm:tiny-mcp-server@1.0.0'), { cacheDir, registry: registry.url, bin: 'tiny-mcp-crash' });
    const snapshot = await scanServer(targetForPackage(pkg, {}), FAST);
    expect(snapshot.status).toBe('failed');
    expect(snapshot.error).toContain('exited with code 1');
    expect(snapshot.stderrTail).toContain('requires Node.js >= 99');
  });

  it('passes --env values and arguments to the server through the target', async () => {
    const cacheDir = freshCache();
    const pkg = await installNpmPackage(parseNpmSpec('npm:tiny-mcp-server@1.0.0'), { cacheDir, registry: registry.url });
    const target = targetForPackage(pkg, { args: ['--other'], env: { API_TOKEN: 'x' }, name: 'notes' });
    expect(target).toMatchObject({ name: 'notes', args: [pkg.binPath, '--other'], env: { API_TOKEN: 'x' } });
    expect(toolNames(await scanServer(target, FAST))).toEqual(['other_tool']);
  });

  it('gives one clear line for an unknown package, an unmatched range and a missing version', async () => {
    const cacheDir = freshCache();
    const unknown = await rejection(installNpmPackage(parseNpmSpec('npm:no-such-package'), { cacheDir, registry: registry.url }));
    expect(unknown.code).toBe('SERVER_FAILED');
    expect(unknown.message).toBe('package no-such-package is not in the registry');

    const range = await rejection(installNpmPackage(parseNpmSpec('npm:tiny-mcp-server@^9'), { cacheDir, registry: registry.url }));
    expect(range.message).toBe('no version of tiny-mcp-server matches ^9');

    const exact = await rejection(installNpmPackage(parseNpmSpec('npm:tiny-mcp-server@9.9.9'), { cacheDir, registry: registry.url }));
    expect(exact.code).toBe('SERVER_FAILED');
    expect(exact.message).toBe('no version of tiny-mcp-server matches 9.9.9');

    // Offline with an empty cache: npm is told not to fetch, so it says so.
    const offline = await rejection(installNpmPackage(parseNpmSpec('npm:tiny-mcp-server@1.0.0'), { cacheDir, registry: registry.url, offline: true }));
    expect(offline.message).toBe('tiny-mcp-server@1.0.0 is not in the cache (offline)');

    // A spec built by hand gets the same checks as a parsed one.
    const url = await rejection(installNpmPackage({ name: 'tiny-mcp-server', range: 'git+https://example.com/x.git' }, { cacheDir }));
    expect(url.code).toBe('USAGE');

    for (const error of [unknown, range, exact, offline]) expect(error.message).not.toMatch(/\n/);
    expect(readdirSync(join(cacheDir, 'npm')).filter((entry) => entry !== '.staging')).toEqual([]);
  });

  it('turns a failed install script into one line naming the package and what the script said', async () => {
    const cacheDir = freshCache();
    const spec = parseNpmSpec('npm:tiny-mcp-broken@1.0.0');
    const error = await rejection(installNpmPackage(spec, { cacheDir, registry: registry.url, allowScripts: true }));
    expect(error.code).toBe('SERVER_FAILED');
    expect(error.message).toBe('npm install failed for tiny-mcp-broken@1.0.0: gyp: cannot build the native addon');
    // Nothing half-done is kept; without scripts the same package installs fine.
    expect(isInstalled(installDirFor(cacheDir, 'tiny-mcp-broken', '1.0.0'), 'tiny-mcp-broken', '1.0.0')).toBe(false);
    expect(readdirSync(join(cacheDir, 'npm', '.staging'))).toEqual([]);
    expect((await installNpmPackage(spec, { cacheDir, registry: registry.url, bin: 'tiny-mcp-server' })).cached).toBe(false);
  });

  it('ends the lookup at the deadline when the registry hangs', async () => {
    const silent = await startSilentRegistry();
    try {
      const cacheDir = freshCache();
      const started = Date.now();
      const error = await rejection(installNpmPackage(parseNpmSpec('npm:tiny-mcp-server@^1'), { cacheDir, registry: silent.url, timeoutMs: 1500 }));
      expect(error.code).toBe('SERVER_FAILED');
      expect(error.message).toBe('registry lookup of tiny-mcp-server timed out after 1.5 s');
      expect(Date.now() - started).toBeLessThan(10_000);
      // npm's whole tree is gone: no process is left working in the cache.
      expect(processesWorkingIn(cacheDir)).toEqual([]);
    } finally {
      await silent.close();
    }
  });

  it('redoes an install whose folder has no marker, and two concurrent installs agree', async () => {
    const cacheDir = freshCache();
    const installDir = installDirFor(cacheDir, 'tiny-mcp-server', '1.0.0');
    // What a killed install would look like if it had ever been written in place: files, no marker.
    mkdirSync(join(installDir, 'node_modules', 'tiny-mcp-server'), { recursive: true });
    writeFileSync(join(installDir, 'node_modules', 'tiny-mcp-server', 'package.json'), '{"name":"tiny-mcp-server","version":"1.0.0"}');

    const spec = parseNpmSpec('npm:tiny-mcp-server@1.0.0');
    const results: InstalledPackage[] = await Promise.all([
      installNpmPackage(spec, { cacheDir, registry: registry.url }),
      installNpmPackage(spec, { cacheDir, registry: registry.url }),
    ]);
    expect(results.map((r) => r.cached)).toEqual([false, false]);
    expect(results[0]?.dir).toBe(results[1]?.dir);
    expect(isInstalled(installDir, 'tiny-mcp-server', '1.0.0')).toBe(true);
    expect(existsSync(results[0]?.binPath ?? '')).toBe(true);
    expect(readdirSync(join(cacheDir, 'npm', '.staging'))).toEqual([]);
    expect((await installNpmPackage(spec, { cacheDir, registry: DEAD_REGISTRY })).cached).toBe(true);
  });
});

describe('npm: in the sandbox', () => {
  it.skipIf(!sandboxAvailable())('installs and scans a package sandboxed by default, and records it', async () => {
    const cacheDir = freshCache();
    const db = join(work, 'sandboxed.db');
    const result = await mcpRisk(['scan', 'npm:tiny-mcp-server@^1.0.0', '--registry', registry.url, '--db', db, '--json'], { MCP_RISK_CACHE: cacheDir });
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as { scan: { isolation?: string }; tools: { name: string }[] };
    expect(json.scan.isolation).toBe('sandbox');
    expect(json.tools.map((t) => t.name).sort()).toEqual(['delete_note', 'read_note', 'write_note']);
    // npm ran in the sandbox too, and still filled our cache (its download cache is bound writable).
    expect(isInstalled(installDirFor(cacheDir, 'tiny-mcp-server', '1.1.0'), 'tiny-mcp-server', '1.1.0')).toBe(true);
  });
});

describe('a real server from the cache', () => {
  it('scans @modelcontextprotocol/server-memory from a prepared cache entry, offline', async () => {
    const name = '@modelcontextprotocol/server-memory';
    const version = (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    const cacheDir = freshCache();
    // The cache layout with the repo's node_modules standing in for what npm would have installed.
    const installDir = installDirFor(cacheDir, name, version);
    mkdirSync(installDir, { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(installDir, 'node_modules'), 'dir');
    markInstalled(installDir, name, version);

    const pkg = await installNpmPackage({ name, range: version }, { cacheDir, offline: true, registry: DEAD_REGISTRY });
    expect(pkg).toMatchObject({ name, version, bin: 'mcp-server-memory', cached: true });
    const snapshot = await scanServer(targetForPackage(pkg, {}), FAST);
    expect(snapshot.status).toBe('ok');
    expect(toolNames(snapshot)).toContain('create_entities');
  });
});
