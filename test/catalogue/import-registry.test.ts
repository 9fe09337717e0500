// Registry import on loopback: cursor pages in both response shapes, version choice, skips, and hostile names.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareVersions, importRegistry, renderCatalogue, validateCatalogue } from '../../src/catalogue/index.js';
import type { CatalogueEntry, ImportRegistryResult } from '../../src/catalogue/index.js';
import { parse } from 'yaml';
import { FIXTURES, startLoopback } from './helpers.js';
import type { Loopback } from './helpers.js';

const page = (n: number): string => readFileSync(join(FIXTURES, 'registry', `page-${n}.json`), 'utf8');
/** The fixture registry: page 1 (no cursor), page 2, then page 3 in the older flat shape. */
const PAGES: Record<string, string> = { '': page(1), 'io.github.example/weather:1.0.0': page(2), page3: page(3) };

let server: Loopback;
beforeAll(async () => {
  server = await startLoopback((_request, response, url) => {
    const json = (status: number, body: unknown): void => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    const cursor = url.searchParams.get('cursor') ?? '';
    if (url.pathname === '/v0/servers') {
      const body = PAGES[cursor];
      return body === undefined ? json(400, { error: 'bad cursor' }) : json(200, body);
    }
    if (url.pathname === '/loop/v0/servers') {
      // Page "a" points at "b", which points back at "a".
      const next = cursor === 'a' ? 'b' : 'a';
      return json(200, {
        servers: [{ server: { name: `loop/${cursor || 'start'}`, remotes: [{ type: 'streamable-http', url: `https://loop.example/${cursor}` }] } }],
        metadata: { nextCursor: next },
      });
    }
    if (url.pathname === '/endless/v0/servers') return json(200, { servers: [], metadata: { nextCursor: `c${Number(cursor.slice(1) || 0) + 1}` } });
    if (url.pathname === '/fail/v0/servers')
      return cursor === '' ? json(200, { servers: [], metadata: { nextCursor: 'x' } }) : json(500, { error: 'internal' });
    if (url.pathname === '/slow/v0/servers') return; // never answers
    if (url.pathname === '/html/v0/servers') {
      response.writeHead(200, { 'content-type': 'text/html' });
      return response.end('<html>not an API</html>');
    }
    if (url.pathname === '/shape/v0/servers') return json(200, { items: [] });
    json(404, { error: 'not found' });
  });
});
afterAll(async () => server?.close());

describe('importRegistry over the fixture pages', () => {
  let result: ImportRegistryResult;
  const byName = (name: string): CatalogueEntry | undefined => result.entries.find((entry) => entry.name === name);
  const skipReason = (name: string): string | undefined => result.skipped.find((skip) => skip.name === name)?.reason;

  beforeAll(async () => {
    result = await importRegistry(server.base, { timeoutMs: 5000 });
  });

  it('follows nextCursor and next_cursor until there is none, asking for 100 per page', () => {
    expect(result.pages).toBe(3);
    expect(result.incomplete).toBeUndefined();
    const walked = server.requests.filter((request) => request.startsWith('/v0/servers'));
    expect(walked.slice(0, 3)).toEqual([
      '/v0/servers?limit=100',
      '/v0/servers?limit=100&cursor=io.github.example%2Fweather%3A1.0.0',
      '/v0/servers?limit=100&cursor=page3',
    ]);
  });

  it('turns an npm package over stdio into an npm entry with its version, required variables in needs', () => {
    expect(byName('io.github.example/weather')).toEqual({
      name: 'io.github.example/weather',
      source: { kind: 'npm', package: '@example/weather-mcp', version: '1.2.0' },
      args: [],
      env: {},
      headers: {},
      tags: ['registry', 'npm'],
      needs: ['WEATHER_API_KEY'],
    });
  });

  it('keeps the version marked latest, even when it came on a later page', () => {
    expect(result.entries.filter((entry) => entry.name === 'io.github.example/weather')).toHaveLength(1);
    expect(byName('io.github.legacy/files')?.source).toEqual({ kind: 'npm', package: '@legacy/files-mcp', version: '2.0.0' });
  });

  it('without latest marks, keeps the highest version (1.10.0 over 1.9.0 and its beta)', () => {
    expect(byName('io.github.legacy/versions')?.source).toEqual({ kind: 'npm', package: 'legacy-versions', version: '1.10.0' });
  });

  it('passes fixed package arguments and lists required ones without a value as needs', () => {
    const notes = byName('io.github.example/notes');
    expect(notes?.args).toEqual(['--db', 'notes.sqlite']);
    expect(notes?.needs).toEqual(['argument notes_dir']);
  });

  it('a remote-only server becomes a url entry, Streamable HTTP preferred over SSE, required headers in needs', () => {
    expect(byName('com.example/remote-search')).toMatchObject({
      source: { kind: 'http', url: 'https://search.example.com/mcp' },
      headers: {},
      tags: ['registry', 'remote'],
      needs: ['Authorization'],
    });
    expect(byName('io.github.legacy/sse')?.source).toEqual({ kind: 'http', url: 'https://legacy.example.com/sse' });
  });

  it('reads the older flat shape (registry_name, name, environment_variables, version_detail)', () => {
    expect(byName('io.github.legacy/files')?.needs).toEqual(['FILES_ROOT']);
  });

  it('skips what it cannot scan, saying why', () => {
    expect(skipReason('io.github.py/fetcher')).toBe('only pypi package; mcp-risk scans npm packages, commands and URLs');
    expect(skipReason('com.example/tenant-api')).toContain('template');
    expect(skipReason('io.github.example/retired')).toBe('deleted from the registry');
    expect(skipReason('io.github.example/http-npm')).toContain('streamable-http, not stdio');
    expect(skipReason('com.internal/private')).toContain('another registry (https://npm.internal.example)');
    expect(skipReason('io.github.evil/injector')).toContain('not a valid npm package name');
    expect(result.entries.some((entry) => JSON.stringify(entry).includes('rm -rf'))).toBe(false);
  });

  it('bounds hostile names and drops their control characters', () => {
    const evil = result.entries.find((entry) => entry.source.kind === 'npm' && entry.source.package === '@evil/pkg');
    expect(evil).toBeDefined();
    expect(evil?.name.length).toBeLessThanOrEqual(200);
    expect(evil?.name.startsWith('io.github.evil/[31mred]0;owned')).toBe(true);
    expect(evil?.name).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });

  it('gives a suffix to a name that collides once cleaned', () => {
    expect(byName('io.github.example/notes-2')?.source).toEqual({ kind: 'npm', package: '@example/notes-fork', version: '0.1.0' });
  });

  it('every entry and skip is accounted for, and the entries load back from a rendered catalogue', () => {
    // 18 listings, 14 distinct servers once versions are folded together.
    expect(result.entries.length + result.skipped.length).toBe(14);
    const rendered = renderCatalogue({ entries: result.entries, defaults: { tags: [] } });
    const { catalogue, problems } = validateCatalogue(parse(rendered));
    expect(problems).toEqual([]);
    expect(catalogue?.entries).toEqual(result.entries);
  });
});

describe('importRegistry stops safely', () => {
  it('on a repeating cursor, keeping what it read and saying so', async () => {
    const result = await importRegistry(`${server.base}/loop`);
    expect(result.pages).toBe(3);
    expect(result.incomplete).toContain('cursor "a" a second time');
    expect(result.entries.map((entry) => entry.name)).toEqual(['loop/start', 'loop/a', 'loop/b']);
  });

  it('at maxPages', async () => {
    const result = await importRegistry(`${server.base}/endless/`, { maxPages: 4, limit: 10 });
    expect(result.pages).toBe(4);
    expect(result.incomplete).toContain('stopped after 4 pages');
    expect(server.requests).toContain('/endless/v0/servers?limit=10&cursor=c3');
  });

  it('on a 500, with the URL and status', async () => {
    await expect(importRegistry(`${server.base}/fail`)).rejects.toMatchObject({
      code: 'INPUT_NOT_FOUND',
      message: expect.stringContaining('/fail/v0/servers?limit=100&cursor=x: HTTP 500'),
    });
  });

  it('on a registry that does not answer in time', async () => {
    await expect(importRegistry(`${server.base}/slow`, { timeoutMs: 300 })).rejects.toMatchObject({
      code: 'INPUT_NOT_FOUND',
      message: expect.stringContaining('no complete answer within 300 ms'),
    });
  });

  it('on an answer that is not a registry list', async () => {
    await expect(importRegistry(`${server.base}/html`)).rejects.toMatchObject({ code: 'INPUT_INVALID', message: expect.stringContaining('other than JSON') });
    await expect(importRegistry(`${server.base}/shape`)).rejects.toMatchObject({ code: 'INPUT_INVALID', message: expect.stringContaining('no servers array') });
  });

  it('accepts the base URL with /v0/servers already on it', async () => {
    const result = await importRegistry(`${server.base}/v0/servers`, { maxPages: 1 });
    expect(result.pages).toBe(1);
    expect(result.incomplete).toContain('stopped after 1 pages');
  });
});

describe('compareVersions', () => {
  it('orders by semver precedence; unparseable versions rank lowest', () => {
    const sorted = ['1.10.0', '1.9.0', '1.10.0-beta.2', '1.10.0-beta.10', '1.10.0-alpha', 'v2', 'nightly', '0.0.1'].sort(compareVersions);
    expect(sorted).toEqual(['nightly', '0.0.1', '1.9.0', '1.10.0-alpha', '1.10.0-beta.2', '1.10.0-beta.10', '1.10.0', 'v2']);
  });
});
