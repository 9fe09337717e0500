// An HTTP server's response is bounded in bytes, like stdio's stdout: a huge body ends the scan, not the process.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanServer } from '../../src/ingest/index.js';
import { boundedFetch } from '../../src/ingest/bounded-fetch.js';

/** Answers every request with `size` bytes of a JSON string, written in chunks, never held whole. */
function hugeBodyServer(size: number): Server {
  return createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = 'x'.repeat(64 * 1024);
    let sent = 0;
    res.write('{"jsonrpc":"2.0","id":0,"result":"');
    const more = (): void => {
      while (sent < size) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', more);
      }
      res.end('"}');
    };
    res.on('error', () => undefined);
    more();
  });
}

describe('HTTP response size', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = hugeBodyServer(8 * 1024 * 1024);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it('boundedFetch stops reading a body past its limit', async () => {
    const response = await boundedFetch(1024 * 1024)(url, { method: 'POST', body: '{}' });
    await expect(response.text()).rejects.toThrow(/more than 1048576 bytes/);
  });

  it('a scan of a server that answers with more than the limit fails with one line, and lists nothing', async () => {
    const snapshot = await scanServer(
      { kind: 'http', url, transport: 'streamable-http' },
      { connectTimeoutMs: 60_000, listTimeoutMs: 60_000, maxResponseBytes: 1024 * 1024 },
    );
    expect(snapshot.status).toBe('failed');
    expect(snapshot.tools).toEqual([]);
    expect(snapshot.error).toMatch(/more than 1048576 bytes/);
    expect(snapshot.error!.split('\n')).toHaveLength(1);
  });
});
