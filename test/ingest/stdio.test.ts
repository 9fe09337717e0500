// Live stdio scans: a real reference server and small misbehaving servers from test/servers/.
import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scanServer } from '../../src/ingest/index.js';
import { defaultIsolation } from '../../src/ingest/containment.js';
import { scrubbedEnv } from '../../src/ingest/env.js';
import { StdioProcessTransport } from '../../src/ingest/stdio-transport.js';
import { EVERYTHING, testServer, waitNoneRunningWith } from './helpers.js';

const FAST = { connectTimeoutMs: 5000, listTimeoutMs: 5000 };
const codes = (findings: { code: string }[]): string[] => findings.map((f) => f.code);

describe('scanServer over stdio', () => {
  it('lists the reference server-everything', async () => {
    const snapshot = await scanServer({ kind: 'stdio', command: 'node', args: [EVERYTHING, 'stdio'] }, FAST);
    expect(snapshot.status).toBe('ok');
    expect(snapshot.tools.length).toBeGreaterThanOrEqual(10);
    expect(snapshot.tools.map((t) => t.definition.name)).toContain('echo');
    expect(snapshot.tools[0]?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(snapshot.serverInfo).toMatchObject({ name: 'mcp-servers/everything', version: expect.any(String) });
    expect(snapshot.name).toBe('@modelcontextprotocol/server-everything'); // the package it runs, not its serverInfo
    expect(snapshot.protocolVersion).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(snapshot.instructions).toBeTruthy();
    expect(snapshot.promptCount).toBeGreaterThan(0);
    expect(snapshot.resourceCount).toBeGreaterThan(0);
    expect(snapshot.source).toEqual({ kind: 'stdio', target: `node ${EVERYTHING} stdio` });
    expect(snapshot.findings).toEqual([]);
  });

  describe('scrubbed environment', () => {
    const saved = process.env.OPENAI_API_KEY;
    afterEach(() => {
      if (saved === undefined) delete process.env.OPENAI_API_KEY;
      else process.env.OPENAI_API_KEY = saved;
    });

    it('passes the safe base and the user variables, never ours', async () => {
      process.env.OPENAI_API_KEY = 'sk-test-secret';
      const target = { ...testServer('env-reporter.mjs'), env: { USER_TOKEN: 'given-by-user', LEVEL: 'info', STAGE: 'production' } };
      const snapshot = await scanServer(target, FAST);
      expect(snapshot.status).toBe('ok');
      const env = JSON.parse(snapshot.tools[0]?.definition.description ?? '{}') as Record<string, string>;
      // It got the value (masked whole in what we keep: a value we sent is never stored).
      expect(env.USER_TOKEN).toBe('***');
      // A value neither named nor shaped like a secret is not worth garbling every description for.
      expect(env.LEVEL).toBe('info');
      expect(env.STAGE).toBe('production');
      expect(env.PATH).toBe(process.env.PATH);
      expect(env.OPENAI_API_KEY).toBeUndefined();
      expect(JSON.stringify(env)).not.toContain('sk-test-secret');
      // The source records the command line only, never env values.
      expect(JSON.stringify(snapshot.source)).not.toContain('given-by-user');
    });
  });

  it('times out a server that never answers initialize', async () => {
    const started = Date.now();
    const snapshot = await scanServer(testServer('hang.mjs'), { connectTimeoutMs: 1000 });
    expect(snapshot.status).toBe('timeout');
    expect(snapshot.error).toContain('initialize');
    expect(Date.now() - started).toBeLessThan(1000 + 1500);
  });

  it('reports a server that exits at once, with its stderr tail', async () => {
    const snapshot = await scanServer(testServer('exit-at-once.mjs'), FAST);
    expect(snapshot.status).toBe('failed');
    expect(snapshot.error).toBe('server exited with code 1 before initialize');
    expect(snapshot.stderrTail).toContain('fatal: MY_API_TOKEN is not set');
  });

  it('fails a write to a server that is going only once its exit is known, so the scan can say why', async () => {
    const server = testServer('exit-after-message.mjs');
    const transport = new StdioProcessTransport({ command: server.command, args: server.args, env: scrubbedEnv({}) });
    const leaving = new Promise<void>((resolve) => (transport.onmessage = () => resolve()));
    try {
      await transport.start();
      await leaving;
      // Write until a write fails (each awaits its own outcome); when it does, the exit is known.
      let failed = false;
      for (let i = 0; i < 1000 && !failed; i++)
        failed = await transport.send({ jsonrpc: '2.0', id: i, method: 'ping' }).then(
          () => false,
          () => true,
        );
      expect(failed).toBe(true);
      expect(transport.exit).toEqual({ code: 3, signal: null });
    } finally {
      await transport.close();
    }
  });

  it('reports a command that does not exist', async () => {
    const snapshot = await scanServer({ kind: 'stdio', command: 'mcp-risk-no-such-command', args: [] }, FAST);
    expect(snapshot.status).toBe('failed');
    expect(snapshot.error).toContain('command not found');
  });

  it('skips junk stdout lines and reports them as one finding', async () => {
    const snapshot = await scanServer(testServer('noisy.mjs'), FAST);
    expect(snapshot.status).toBe('ok');
    expect(snapshot.tools.map((t) => t.definition.name)).toEqual(['ping']);
    const noise = snapshot.findings.filter((f) => f.code === 'ingest.stdout-noise');
    expect(noise).toHaveLength(1);
    expect(noise[0]?.args.count).toBeGreaterThanOrEqual(3);
    expect(noise[0]?.args.sample).toContain('Starting noisy server');
  });

  it('gives up on a server that writes only garbage', async () => {
    const started = Date.now();
    const snapshot = await scanServer(testServer('garbage.mjs'), { connectTimeoutMs: 1000 });
    expect(['timeout', 'failed']).toContain(snapshot.status);
    expect(codes(snapshot.findings)).toContain('ingest.stdout-noise');
    expect(Date.now() - started).toBeLessThan(1000 + 1500);
  });

  it('ends the whole tree of a server that ignores SIGTERM and forks, a double-forked daemon in its own session too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-pids-'));
    const pidFile = join(dir, 'pids.json');
    const snapshot = await scanServer(testServer('stubborn.mjs', pidFile), FAST);
    expect(snapshot.status).toBe('ok');
    expect(existsSync(pidFile)).toBe(true);
    // Where util-linux may create PID namespaces (Linux, as root or with user namespaces) that is how it ran.
    // Every descendant carries the pid file's path on its command line. The daemon has no parent link
    // to follow, so only a PID namespace ends it (the reaping kernel gets a moment); without one (not
    // Linux, namespaces forbidden) it is the documented gap, and the others must still be gone.
    const left = await waitNoneRunningWith(pidFile);
    if (defaultIsolation() === 'pid-namespace') {
      expect(snapshot.isolation).toBe('pid-namespace');
      expect(left).toEqual([]);
    } else expect(left.length).toBeLessThanOrEqual(1);
  });

  it('keeps good tools and records each malformed one', async () => {
    const snapshot = await scanServer(testServer('tools-server.mjs', 'malformed'), FAST);
    expect(snapshot.status).toBe('ok');
    // A name listed twice keeps both definitions; the strictest decides the policy.
    expect(snapshot.tools.map((t) => t.definition.name)).toEqual(['read_file', 'write_file', 'long_description', 'read_file']);
    const malformed = snapshot.findings.filter((f) => f.code === 'ingest.malformed-tool');
    expect(malformed.map((f) => f.args.index)).toEqual([1, 2, 6]);
    expect(malformed[1]?.args.name).toBe('bad_schema');
    expect(codes(snapshot.findings)).toContain('ingest.duplicate-tool');
    expect(codes(snapshot.findings)).toContain('ingest.truncated');
    expect(snapshot.tools[2]?.definition.description).toHaveLength(16 * 1024);
  });

  it('cuts off a repeating cursor', async () => {
    const snapshot = await scanServer(testServer('tools-server.mjs', 'cursor-loop'), FAST);
    expect(snapshot.status).toBe('ok');
    expect(snapshot.tools.map((t) => t.definition.name)).toEqual(['a1', 'a2', 'b1']);
    expect(snapshot.findings.find((f) => f.code === 'ingest.cursor-loop')?.args).toMatchObject({ method: 'tools/list', cursor: 'A' });
  });

  it('stops after maxPages', async () => {
    const snapshot = await scanServer(testServer('tools-server.mjs', 'endless'), { ...FAST, maxPages: 5 });
    expect(snapshot.tools).toHaveLength(5);
    expect(snapshot.findings.find((f) => f.code === 'ingest.too-many-pages')?.args).toMatchObject({ limit: 5 });
  });

  it('stops after maxTools', async () => {
    const snapshot = await scanServer(testServer('tools-server.mjs', 'many'), { ...FAST, maxTools: 20 });
    expect(snapshot.tools).toHaveLength(20);
    expect(codes(snapshot.findings)).toContain('ingest.too-many-tools');
  });

  it('reports no-tools for a server without the tools capability, and for an empty list', async () => {
    const none = await scanServer(testServer('tools-server.mjs', 'no-tools'), FAST);
    expect(none.status).toBe('no-tools');
    expect(none.promptCount).toBe(2);
    const empty = await scanServer(testServer('tools-server.mjs', 'empty'), FAST);
    expect(empty.status).toBe('no-tools');
    expect(empty.tools).toEqual([]);
  });

  it('times out a listing that never finishes', async () => {
    const snapshot = await scanServer(testServer('tools-server.mjs', 'slow-list'), { connectTimeoutMs: 5000, listTimeoutMs: 1000 });
    expect(snapshot.status).toBe('timeout');
    expect(snapshot.error).toContain('tools/list');
  });

  it('turns a failing prompts/list into a finding, not a failure', async () => {
    const snapshot = await scanServer(testServer('tools-server.mjs', 'prompts-fail'), FAST);
    expect(snapshot.status).toBe('ok');
    expect(snapshot.promptCount).toBeUndefined();
    expect(snapshot.findings.find((f) => f.code === 'ingest.list-failed')?.args).toMatchObject({ method: 'prompts/list' });
  });

  it('prefers the name the user gave', async () => {
    const snapshot = await scanServer({ ...testServer('tools-server.mjs', 'ok'), name: 'mine' }, FAST);
    expect(snapshot.name).toBe('mine');
  });
});
