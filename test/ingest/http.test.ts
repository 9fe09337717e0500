// Live HTTP scans on loopback: Streamable HTTP, the SSE fallback, auth errors and refused connections.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanServer } from '../../src/ingest/index.js';
import { EVERYTHING, freePort, startUntil } from './helpers.js';
import type { Started } from './helpers.js';

const FAST = { connectTimeoutMs: 5000, listTimeoutMs: 5000 };

describe('scanServer over Streamable HTTP', () => {
  let server: Started;
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    server = await startUntil(process.execPath, [EVERYTHING, 'streamableHttp'], { PORT: String(port) }, /listening on port/);
  });
  afterAll(async () => server?.stop());

  it('lists server-everything', async () => {
    const url = `http://127.0.0.1:${port}/mcp`;
    const snapshot = await scanServer({ kind: 'http', url, headers: { authorization: 'Bearer very-secret' } }, FAST);
    expect(snapshot.status).toBe('ok');
    expect(snapshot.tools.length).toBeGreaterThanOrEqual(10);
    expect(snapshot.serverInfo?.name).toBe('mcp-servers/everything');
    expect(snapshot.protocolVersion).toBeTruthy();
    expect(snapshot.source).toEqual({ kind: 'http', target: url });
    expect(JSON.stringify(snapshot)).not.toContain('very-secret');
  });
});

describe('SSE fallback', () => {
  let everything: Started;
  let everythingPort: number;
  let own: Started;
  let ownPort: number;
  beforeAll(async () => {
    everythingPort = await freePort();
    everything = await startUntil(process.execPath, [EVERYTHING, 'sse'], { PORT: String(everythingPort) }, /running on port/);
    own = await startUntil(process.execPath, [fileURLToPath(new URL('../servers/sse-server.mjs', import.meta.url)), '0'], {}, /listening \d+/);
    ownPort = Number(/listening (\d+)/.exec(own.output)?.[1]);
  });
  afterAll(async () => {
    await everything?.stop();
    await own?.stop();
  });

  it('falls back to SSE when the endpoint does not speak Streamable HTTP', async () => {
    const snapshot = await scanServer({ kind: 'http', url: `http://127.0.0.1:${everythingPort}/sse` }, FAST);
    expect(snapshot.status).toBe('ok');
    expect(snapshot.tools.length).toBeGreaterThanOrEqual(10);
  });

  it('sends the user headers on the SSE GET and POST', async () => {
    const url = `http://127.0.0.1:${ownPort}/sse`;
    const withKey = await scanServer({ kind: 'http', url, headers: { 'x-test-key': 'ok' } }, FAST);
    expect(withKey.status).toBe('ok');
    expect(withKey.tools.map((t) => t.definition.name)).toEqual(['over_sse']);
    expect(withKey.name).toBe(`127.0.0.1:${ownPort}/sse`); // named by the URL; serverInfo is kept as data
    expect(withKey.serverInfo?.name).toBe('sse-only');
    const without = await scanServer({ kind: 'http', url }, FAST);
    expect(without.status).toBe('auth-required');
    expect(without.error).toContain('403');
  });

  it('uses SSE directly when the target asks for it', async () => {
    const url = `http://127.0.0.1:${ownPort}/sse`;
    const snapshot = await scanServer({ kind: 'http', url, headers: { 'x-test-key': 'ok' }, transport: 'sse' }, FAST);
    expect(snapshot.status).toBe('ok');
  });
});

describe('HTTP failures', () => {
  let auth: Server;
  let authPort: number;
  beforeAll(async () => {
    auth = createServer((_req, res) => {
      res.writeHead(401, { 'www-authenticate': 'Bearer realm="test"' }).end('unauthorized');
    });
    await new Promise<void>((resolve) => auth.listen(0, '127.0.0.1', resolve));
    const address = auth.address();
    authPort = typeof address === 'object' && address !== null ? address.port : 0;
  });
  afterAll(async () => new Promise<void>((resolve) => auth.close(() => resolve())));

  it('reports 401 as auth-required', async () => {
    const snapshot = await scanServer({ kind: 'http', url: `http://127.0.0.1:${authPort}/mcp` }, FAST);
    expect(snapshot.status).toBe('auth-required');
    expect(snapshot.error).toContain('401');
    expect(snapshot.name).toBe(`127.0.0.1:${authPort}/mcp`);
  });

  it('reports a refused connection as failed', async () => {
    const port = await freePort();
    const snapshot = await scanServer({ kind: 'http', url: `http://127.0.0.1:${port}/mcp` }, FAST);
    expect(snapshot.status).toBe('failed');
    expect(snapshot.error).toContain('ECONNREFUSED');
  });

  it('never records credentials from the URL', async () => {
    const port = await freePort();
    const snapshot = await scanServer({ kind: 'http', url: `http://user:pw@127.0.0.1:${port}/mcp?api_key=s3cret&x=1` }, FAST);
    expect(snapshot.source.target).not.toContain('s3cret');
    expect(snapshot.source.target).not.toContain('pw');
    expect(snapshot.source.target).toContain('x=1');
  });
});
