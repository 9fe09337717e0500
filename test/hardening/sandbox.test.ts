// --sandbox: a server in bubblewrap cannot read the user's home, write it, or reach a loopback port,
// while real servers still list their tools there; npm: packages and refresh are sandboxed by default.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxAvailable } from '../../src/ingest/containment.js';
import { scanServer } from '../../src/ingest/index.js';
import { EVERYTHING, runningWith, testServer, waitNoneRunningWith } from '../ingest/helpers.js';
import { cliArgs, hermeticEnv, mcpRisk, mcpRiskProcess } from '../support/cli.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FILESYSTEM = join(ROOT, 'node_modules/@modelcontextprotocol/server-filesystem/dist/index.js');
const MEMORY = join(ROOT, 'node_modules/@modelcontextprotocol/server-memory/dist/index.js');
const SLOW = join(ROOT, 'test/servers/slow-tools.mjs');
const FAST = { connectTimeoutMs: 20_000, listTimeoutMs: 20_000 };
const SANDBOX = { sandbox: { network: false } };

// CI installs bubblewrap (.ci/run); elsewhere these tests say why they did not run.
const describeSandbox = sandboxAvailable() ? describe : describe.skip;

describeSandbox('a sandboxed server', () => {
  const canary = `.mcp-risk-canary-${randomBytes(6).toString('hex')}`;
  const secret = `canary-${randomBytes(12).toString('hex')}`;
  let listener: Server;
  let port: number;
  let connections = 0;

  beforeAll(async () => {
    // In the real home: that is what the sandbox must hide (a temp home would be hidden with /tmp anyway).
    writeFileSync(join(homedir(), canary), secret);
    listener = createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    port = (listener.address() as { port: number }).port;
  });

  afterAll(async () => {
    rmSync(join(homedir(), canary), { force: true });
    rmSync(join(homedir(), `${canary}.written`), { force: true });
    await new Promise((resolve) => listener.close(resolve));
  });

  const report = async (options: object): Promise<string> => {
    const snapshot = await scanServer(testServer('snoop.mjs', canary, String(port)), { ...FAST, ...options });
    expect(snapshot.status, snapshot.error).toBe('ok');
    return snapshot.tools[0]?.definition.description ?? '';
  };

  it('can read the home, write it and reach a loopback port without the sandbox (the control)', async () => {
    const before = connections;
    const text = await report({});
    expect(text).toContain(`secret: ${secret}`);
    expect(text).toContain('write: wrote');
    expect(text).toContain('network: connected');
    expect(connections).toBe(before + 1);
    rmSync(join(homedir(), `${canary}.written`), { force: true });
  });

  it('cannot read a canary file in the home, write the home, or reach a loopback port', async () => {
    const before = connections;
    const snapshot = await scanServer(testServer('snoop.mjs', canary, String(port)), { ...FAST, ...SANDBOX });
    expect(snapshot.status, snapshot.error).toBe('ok');
    expect(snapshot.isolation).toBe('sandbox');
    const text = snapshot.tools[0]?.definition.description ?? '';
    expect(text).not.toContain(secret);
    // No capabilities left: unmounting the empty home to see the real one is refused (as root too).
    expect(text).toContain('umount: refused');
    expect(text).toMatch(/secret: error ENOENT/);
    // The home it sees is an empty tmpfs: the write lands there and vanishes with the sandbox.
    expect(existsSync(join(homedir(), `${canary}.written`))).toBe(false);
    expect(text).toMatch(/network: error (ENETUNREACH|ECONNREFUSED|EACCES|timeout)/);
    expect(connections).toBe(before);
  });

  it('reaches the network with --sandbox-network, and still not the home', async () => {
    const before = connections;
    const text = await report({ sandbox: { network: true } });
    expect(text).not.toContain(secret);
    expect(text).toContain('network: connected');
    expect(connections).toBe(before + 1);
  });

  it('still lists the real servers: server-everything, server-filesystem and server-memory', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'mcp-risk-sandbox-fs-'));
    const everything = await scanServer({ kind: 'stdio', command: process.execPath, args: [EVERYTHING, 'stdio'] }, { ...FAST, ...SANDBOX });
    expect(everything.status, everything.error ?? everything.stderrTail).toBe('ok');
    expect(everything.tools.map((t) => t.definition.name)).toContain('echo');
    // The folder it serves is named on its command line, so it is bound back (read-only) from the hidden /tmp.
    const filesystem = await scanServer({ kind: 'stdio', command: process.execPath, args: [FILESYSTEM, folder] }, { ...FAST, ...SANDBOX });
    expect(filesystem.status, filesystem.error ?? filesystem.stderrTail).toBe('ok');
    expect(filesystem.tools.map((t) => t.definition.name)).toContain('read_text_file');
    const memory = await scanServer({ kind: 'stdio', command: process.execPath, args: [MEMORY] }, { ...FAST, ...SANDBOX });
    expect(memory.status, memory.error ?? memory.stderrTail).toBe('ok');
    expect(memory.tools.map((t) => t.definition.name)).toContain('create_entities');
    for (const s of [everything, filesystem, memory]) expect(s.isolation).toBe('sandbox');
  });

  it('records that the scan ran sandboxed, and shows it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-sandbox-cli-'));
    const db = join(dir, 'r.db');
    const scanned = await mcpRisk(['scan', '--sandbox', '--db', db, '--name', 'everything', '--', process.execPath, EVERYTHING, 'stdio']);
    expect(scanned.code, scanned.stderr).toBe(0);
    expect(scanned.stdout).toContain('· sandboxed');
    const shown = await mcpRisk(['show', 'everything', '--json', '--db', db]);
    expect(JSON.parse(shown.stdout).scan.isolation).toBe('sandbox');
    const plain = await mcpRisk(['scan', '--no-sandbox', '--db', db, '--name', 'everything', '--', process.execPath, EVERYTHING, 'stdio']);
    expect(plain.stdout).toContain('· unsandboxed');
  });
});

describeSandbox('a sandboxed refresh killed outright', () => {
  it('leaves no server running: each sandbox dies with the refresh', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-sandbox-kill-'));
    // The token on each server's command line finds its processes from outside the sandbox; the gate
    // never opens, so both servers wait before initialize until they are ended.
    const token = join(dir, 'token');
    const servers = [0, 1].map((i) => ({ name: `slow-${i}`, command: process.execPath, args: [SLOW, `s${i}`, token], env: { GATE: join(dir, 'never') } }));
    const catalogue = join(dir, 'catalogue.yaml');
    writeFileSync(catalogue, stringify({ version: 1, servers }));
    const child = spawn(process.execPath, cliArgs(['refresh', catalogue, '--db', join(dir, 'r.db'), '--concurrency', '2', '--no-progress']), {
      cwd: ROOT,
      env: hermeticEnv(),
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // Two servers, each bubblewrap (outside, and its init inside) and its node: the three carry the
    // server's command line (/proc separates arguments with NULs). Wait until both nodes run.
    const deadline = Date.now() + 120_000;
    while (runningWith(`${SLOW}\0s0\0${token}`).length < 3 || runningWith(`${SLOW}\0s1\0${token}`).length < 3) {
      if (Date.now() > deadline) throw new Error('the servers did not start');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    child.kill('SIGKILL');
    await exited;
    expect(await waitNoneRunningWith(token, 30_000)).toEqual([]);
  }, 180_000);
});

describe('when the sandbox cannot run', () => {
  it('refuses --sandbox with one line and exit 2, and starts nothing', async () => {
    // A PATH without bubblewrap on it (only node), as on a machine without the package.
    const bin = mkdtempSync(join(tmpdir(), 'mcp-risk-nobwrap-'));
    symlinkSync(process.execPath, join(bin, 'node'));
    const marker = join(bin, 'started');
    const result = await mcpRiskProcess(
      ['scan', '--sandbox', '--db', join(bin, 'r.db'), '--', 'node', '-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, '')`],
      {
        PATH: bin,
      },
    );
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^mcp-risk: --sandbox was asked for, but bubblewrap \(bwrap\) is not installed/)]);
    expect(existsSync(marker)).toBe(false);
  });

  it('says once that a refresh runs unsandboxed by default, and refuses --sandbox-network with --no-sandbox', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-nobwrap-'));
    symlinkSync(process.execPath, join(dir, 'node'));
    const manifest = join(dir, 'tools.json');
    writeFileSync(manifest, JSON.stringify({ tools: [{ name: 'read_note', description: 'Read a note.', inputSchema: { type: 'object' } }] }));
    const catalogue = join(dir, 'catalogue.yaml');
    const notes = `  - { name: notes, manifest: ${JSON.stringify(manifest)} }`;
    writeFileSync(catalogue, `version: 1\nservers:\n${notes}\n  - { name: memory, command: node, args: [${JSON.stringify(MEMORY)}] }\n`);
    const result = await mcpRiskProcess(['refresh', catalogue, '--db', join(dir, 'r.db'), '--no-progress'], { PATH: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr.match(/bubblewrap \(bwrap\) is not available, so servers run unsandboxed/g)).toHaveLength(1);

    // A catalogue of manifests starts no server: nothing runs unsandboxed, so nothing is said.
    const manifests = join(dir, 'manifests.yaml');
    writeFileSync(manifests, `version: 1\nservers:\n${notes}\n`);
    const quiet = await mcpRiskProcess(['refresh', manifests, '--db', join(dir, 'm.db'), '--no-progress'], { PATH: dir });
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stderr).not.toContain('bubblewrap');

    const bad = await mcpRisk(['refresh', catalogue, '--no-sandbox', '--sandbox-network']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--sandbox-network and --no-sandbox contradict each other');
  });
});
