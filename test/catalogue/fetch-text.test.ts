// Bounded fetches on loopback: statuses, timeouts (before and during the body), the size cap, refused connections.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchText, readTextSource } from '../../src/catalogue/index.js';
import { startLoopback, tempDir } from './helpers.js';
import type { Loopback } from './helpers.js';

let server: Loopback;
let endless = 0;

beforeAll(async () => {
  server = await startLoopback((request, response, url) => {
    switch (url.pathname) {
      case '/ok':
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end('<p>héllo</p>');
        return;
      case '/missing':
        response.writeHead(404, 'Not Found');
        response.end('nope');
        return;
      case '/broken':
        response.writeHead(500, 'Internal Server Error');
        response.end('boom');
        return;
      case '/silent':
        return; // never answers
      case '/trickle':
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.write('first part, then nothing');
        return;
      case '/declared-big':
        response.writeHead(200, { 'content-length': String(50_000) });
        response.end('x'.repeat(50_000));
        return;
      case '/endless': {
        // No content-length: only counting bytes as they arrive can stop this.
        response.writeHead(200, { 'content-type': 'text/plain' });
        const timer = setInterval(() => {
          endless += 1;
          if (!response.write('y'.repeat(16_384))) return;
        }, 1);
        const stop = (): void => clearInterval(timer);
        response.on('close', stop);
        request.on('close', stop);
        return;
      }
      default:
        response.writeHead(404);
        response.end();
    }
  });
});
afterAll(async () => server?.close());

describe('fetchText', () => {
  it('returns the body as text', async () => {
    expect(await fetchText(`${server.base}/ok`)).toBe('<p>héllo</p>');
  });

  it('a 404 is INPUT_NOT_FOUND naming the URL and the status', async () => {
    await expect(fetchText(`${server.base}/missing`)).rejects.toMatchObject({ code: 'INPUT_NOT_FOUND', message: `${server.base}/missing: HTTP 404 Not Found` });
  });

  it('a 500 says the status too, in one line', async () => {
    const error = await fetchText(`${server.base}/broken`).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'INPUT_NOT_FOUND', message: `${server.base}/broken: HTTP 500 Internal Server Error` });
  });

  it('gives up on a server that never answers', async () => {
    await expect(fetchText(`${server.base}/silent`, { timeoutMs: 300 })).rejects.toMatchObject({
      code: 'INPUT_NOT_FOUND',
      message: expect.stringContaining('no complete answer within 300 ms'),
    });
  });

  it('the timeout covers the body, not just the headers', async () => {
    await expect(fetchText(`${server.base}/trickle`, { timeoutMs: 300 })).rejects.toMatchObject({
      message: expect.stringContaining('no complete answer within 300 ms'),
    });
  });

  it('refuses a declared body over the cap without reading it', async () => {
    await expect(fetchText(`${server.base}/declared-big`, { maxBytes: 1000 })).rejects.toMatchObject({
      code: 'INPUT_INVALID',
      message: expect.stringContaining('larger than 1000 bytes'),
    });
  });

  it('stops reading an endless body past the cap', async () => {
    await expect(fetchText(`${server.base}/endless`, { maxBytes: 100_000, timeoutMs: 20_000 })).rejects.toMatchObject({
      message: expect.stringContaining('larger than 100000 bytes'),
    });
    // It stopped near the cap rather than buffering everything the server kept sending.
    expect(endless).toBeLessThan(1000);
  });

  it('only fetches http and https', async () => {
    await expect(fetchText('file:///etc/passwd')).rejects.toMatchObject({ code: 'USAGE', message: expect.stringContaining('only http and https') });
    await expect(fetchText('not a url')).rejects.toMatchObject({ code: 'USAGE' });
  });

  it('a refused connection is INPUT_NOT_FOUND, without secret query values', async () => {
    const closed = await startLoopback(() => undefined);
    const base = closed.base;
    await closed.close();
    const error = await fetchText(`${base}/x?token=abc&page=2`).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'INPUT_NOT_FOUND', message: expect.stringContaining('cannot be fetched (ECONNREFUSED)') });
    expect((error as Error).message).not.toContain('abc');
    expect((error as Error).message).toContain('page=2');
  });

  it('refuses credentials in the URL without repeating them', async () => {
    const error = await fetchText(`${server.base.replace('http://', 'http://user:secret@')}/ok`).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'USAGE', message: expect.stringContaining('user name or password') });
    expect((error as Error).message).not.toContain('secret');
  });
});

describe('readTextSource', () => {
  it('reads a URL and reports it as the page URL', async () => {
    expect(await readTextSource(`${server.base}/ok`)).toEqual({ text: '<p>héllo</p>', pageUrl: `${server.base}/ok` });
  });

  it('reads a file, bounded by the same cap', async () => {
    const dir = tempDir();
    try {
      const path = join(dir.path, 'page.html');
      writeFileSync(path, 'z'.repeat(2000));
      expect(await readTextSource(path)).toEqual({ text: 'z'.repeat(2000) });
      await expect(readTextSource(path, { maxBytes: 100 })).rejects.toMatchObject({ code: 'INPUT_INVALID' });
      await expect(readTextSource(join(dir.path, 'none.html'))).rejects.toMatchObject({
        code: 'INPUT_NOT_FOUND',
        message: expect.stringContaining('no such file'),
      });
    } finally {
      dir.remove();
    }
  });
});
