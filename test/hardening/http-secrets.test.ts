// Secrets we send an HTTP server (URL credentials, header values) are used, and never stored or printed,
// even when the server echoes them back. Real loopback servers; the CLI as a user runs it.
import { readdirSync, readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server as McpServer } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mcpRisk } from '../support/cli.js';

const PASSWORD = 'hunter2-PASSWORD-zq81';
const TOKEN = 'tok-BEARER-SECRET-7731';
const API_KEY = 'key-API-SECRET-4409';

/** Every file of the database (main, WAL, journal) as one text, so a secret in any page shows up. */
function dbBytes(dir: string): string {
  return readdirSync(dir)
    .filter((f) => f.startsWith('r.db'))
    .map((f) => readFileSync(join(dir, f)).toString('latin1'))
    .join('\n');
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

describe('URL credentials', () => {
  let server: Server;
  let port: number;
  const seen: IncomingHttpHeaders[] = [];
  beforeAll(async () => {
    // A stateless Streamable HTTP MCP server that serves only requests carrying the Basic credentials.
    server = createServer((req, res) => {
      seen.push(req.headers);
      if (req.headers.authorization !== `Basic ${Buffer.from(`alice:${PASSWORD}`).toString('base64')}`) {
        res.writeHead(401, { 'content-type': 'text/plain' }).end('who are you');
        return;
      }
      const mcp = new McpServer({ name: 'basic-auth', version: '1.0.0' }, { capabilities: { tools: {} } });
      mcp.setRequestHandler(ListToolsRequestSchema, async () => ({
        tools: [{ name: 'delete_all_files', description: 'Deletes every file in the workspace permanently.', inputSchema: { type: 'object' } }],
      }));
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      res.on('close', () => void transport.close().then(() => mcp.close()));
      void mcp.connect(transport).then(() => transport.handleRequest(req, res));
    });
    port = await listen(server);
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('scan URL sends them as Basic auth and stores or prints them nowhere', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-creds-'));
    const url = `http://alice:${PASSWORD}@127.0.0.1:${port}/mcp`;
    const table = await mcpRisk(['scan', url, '--db', join(dir, 'r.db')]);
    const json = await mcpRisk(['scan', url, '--db', join(dir, 'r.db'), '--json']);
    expect(table.stderr).toBe('');
    expect(table.code).toBe(0);
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as { scan: { status: string } }).scan.status).toBe('ok');
    expect(json.stdout).toContain('delete_all_files');
    expect(seen.some((h) => h.authorization?.startsWith('Basic ') === true)).toBe(true);
    const show = await mcpRisk(['show', `127.0.0.1:${port}/mcp`, '--db', join(dir, 'r.db')]);
    for (const text of [table.stdout, table.stderr, json.stdout, json.stderr, show.stdout, show.stderr, dbBytes(dir)]) expect(text).not.toContain(PASSWORD);
  }, 120_000);

  it('a catalogue url with credentials is scanned with Basic auth, and a missing ${VAR} does not store them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-creds-'));
    const catalogue = join(dir, 'catalogue.yaml');
    writeFileSync(
      catalogue,
      [
        'version: 1',
        'servers:',
        `  - {name: good, url: "http://alice:${PASSWORD}@127.0.0.1:${port}/mcp"}`,
        `  - {name: unset, url: "http://alice:${PASSWORD}@127.0.0.1:${port}/mcp", headers: {X-Extra: "\${NOT_SET_ANYWHERE_42}"}}`,
      ].join('\n'),
    );
    const result = await mcpRisk(['refresh', catalogue, '--db', join(dir, 'r.db'), '--no-progress', '--json']);
    expect(result.stderr).not.toContain('internal error');
    const show = await mcpRisk(['show', 'good', '--db', join(dir, 'r.db')]);
    expect(show.stdout).toContain('delete_all_files');
    for (const text of [result.stdout, result.stderr, show.stdout, dbBytes(dir)]) expect(text).not.toContain(PASSWORD);
  }, 120_000);
});

describe('a server that echoes our headers', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((req, res) => {
      // A 500 whose body is every header we sent, padded so a cut line would fall inside a secret.
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`${'x'.repeat(250)} ${JSON.stringify(req.headers)} ${req.headers['x-api-key'] ?? ''}`);
    });
    port = await listen(server);
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('keeps Authorization and X-Api-Key values out of the database, stdout, stderr and show', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-echo-'));
    const url = `http://u:${PASSWORD}@127.0.0.1:${port}/mcp`;
    const headers = ['--header', `Authorization: Bearer ${TOKEN}`, '--header', `X-Api-Key: ${API_KEY}`];
    const table = await mcpRisk(['scan', url, '--db', join(dir, 'r.db'), ...headers]);
    const json = await mcpRisk(['scan', url, '--db', join(dir, 'r.db'), '--json', ...headers]);
    expect(table.code).toBe(2);
    expect(table.stderr).toContain('failed');
    const show = await mcpRisk(['show', `127.0.0.1:${port}/mcp`, '--db', join(dir, 'r.db')]);
    for (const text of [table.stdout, table.stderr, json.stdout, json.stderr, show.stdout, show.stderr, dbBytes(dir)]) {
      for (const secret of [TOKEN, API_KEY, PASSWORD, TOKEN.slice(0, 10), API_KEY.slice(0, 10)]) expect(text).not.toContain(secret);
    }
    expect(json.stdout).toContain('***');
  }, 120_000);
});
