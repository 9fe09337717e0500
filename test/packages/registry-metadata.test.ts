// Resolving ranges and tags from a loopback registry's packuments over real HTTP: ETags, memo, limits, tokens.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { McpRiskError } from '../../src/model/index.js';
import { resolveNpmVersion } from '../../src/packages/index.js';
import { createMetadataMemo, registrySettings, resolveFromRegistry } from '../../src/packages/registry-metadata.js';
import type { MetadataOptions } from '../../src/packages/registry-metadata.js';

interface Seen {
  path: string;
  rawPath: string;
  headers: IncomingHttpHeaders;
}

type Handler = (req: Seen, res: ServerResponse) => void;

const VERSIONS = ['1.0.0', '1.2.0', '1.10.1', '2.0.0', '3.0.0-beta.1'];

function packument(name: string): string {
  return JSON.stringify({
    name,
    'dist-tags': { latest: '2.0.0', next: '3.0.0-beta.1' },
    versions: Object.fromEntries(VERSIONS.map((v) => [v, { name, version: v }])),
  });
}

/** Answers like a registry: the packument with an ETag, 304 when the client already has it. */
const normal: Handler = (req, res) => {
  const etag = `"${req.path}-v1"`;
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, { etag }).end();
    return;
  }
  res.writeHead(200, { 'content-type': 'application/vnd.npm.install-v1+json', etag }).end(packument(req.path.slice(1)));
};

let server: Server;
let url: string;
let seen: Seen[] = [];
let handler: Handler = normal;
let work: string;
let dirs = 0;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'mcp-risk-registry-metadata-'));
  server = createServer((req, res) => {
    const rawPath = new URL(req.url ?? '/', 'http://x').pathname;
    const entry = { path: decodeURIComponent(rawPath), rawPath, headers: req.headers };
    seen.push(entry);
    handler(entry, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterEach(() => {
  seen = [];
  handler = normal;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(work, { recursive: true, force: true });
});

function freshDir(): string {
  dirs += 1;
  return join(work, `cache-${dirs}`);
}

/** Options with no user `.npmrc`, no proxy and a fresh memo, as a new process would have. */
function options(cacheDir: string, extra: Partial<MetadataOptions> = {}, env: NodeJS.ProcessEnv = {}): MetadataOptions {
  return {
    cacheDir,
    timeoutMs: 20_000,
    offline: false,
    settings: registrySettings('x', url, { HOME: work, ...env }),
    memo: createMetadataMemo(),
    ...extra,
  };
}

async function rejection(promise: Promise<unknown>): Promise<McpRiskError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(McpRiskError);
  const known = error as McpRiskError;
  expect(known.code).toBe('SERVER_FAILED');
  expect(known.message).not.toMatch(/\n/);
  return known;
}

describe('resolving from the packument', () => {
  it('takes the highest version a range allows, and a dist-tag through dist-tags', async () => {
    const cacheDir = freshDir();
    expect(await resolveFromRegistry({ name: 'pkg', range: '^1' }, options(cacheDir))).toBe('1.10.1');
    expect(await resolveFromRegistry({ name: 'pkg', range: '' }, options(cacheDir))).toBe('2.0.0');
    expect(await resolveFromRegistry({ name: 'pkg', range: 'next' }, options(cacheDir))).toBe('3.0.0-beta.1');
    expect(seen[0]?.headers.accept).toMatch(/^application\/vnd\.npm\.install-v1\+json/);
    const none = await rejection(resolveFromRegistry({ name: 'pkg', range: '^9' }, options(cacheDir)));
    expect(none.message).toBe('no version of pkg matches ^9');
  });

  it('resolves through resolveNpmVersion with our registry, and an exact version asks nothing', async () => {
    const cacheDir = freshDir();
    expect(await resolveNpmVersion({ name: 'pkg', range: '~1.2' }, { cacheDir, registry: url })).toBe('1.2.0');
    expect(seen).toHaveLength(1);
    expect(await resolveNpmVersion({ name: 'pkg', range: '1.0.0' }, { cacheDir, registry: url })).toBe('1.0.0');
    expect(seen).toHaveLength(1);
  });

  it('revalidates with If-None-Match in a new process and reuses the cached copy on 304', async () => {
    const cacheDir = freshDir();
    expect(await resolveFromRegistry({ name: 'pkg', range: '^1' }, options(cacheDir))).toBe('1.10.1');
    expect(seen[0]?.headers['if-none-match']).toBeUndefined();
    expect(await resolveFromRegistry({ name: 'pkg', range: '^1' }, options(cacheDir))).toBe('1.10.1');
    expect(seen[1]?.headers['if-none-match']).toBe('"/pkg-v1"');
    // Offline, the cache answers and nothing is sent.
    expect(await resolveFromRegistry({ name: 'pkg', range: 'latest' }, options(cacheDir, { offline: true }))).toBe('2.0.0');
    expect(seen).toHaveLength(2);
    // Offline with nothing cached is undefined: the caller asks npm's own cache or fails.
    expect(await resolveFromRegistry({ name: 'pkg', range: '^1' }, options(freshDir(), { offline: true }))).toBeUndefined();
  });

  it('makes one request for ten concurrent resolutions of one package', async () => {
    const shared = options(freshDir());
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => resolveFromRegistry({ name: 'pkg', range: i % 2 === 0 ? '^1' : 'latest' }, shared)));
    expect(new Set(results)).toEqual(new Set(['1.10.1', '2.0.0']));
    expect(seen).toHaveLength(1);
  });

  it('encodes a scoped name as @scope%2fname', async () => {
    expect(await resolveFromRegistry({ name: '@acme/server', range: '^2' }, options(freshDir()))).toBe('2.0.0');
    expect(seen.map((s) => s.rawPath.toLowerCase())).toEqual(['/@acme%2fserver']);
  });
});

describe('a registry that misbehaves', () => {
  it('gives one line for a body that is not JSON or not a packument', async () => {
    handler = (_req, res) => void res.writeHead(200).end('{"versions": [oops');
    const bad = await rejection(resolveFromRegistry({ name: 'pkg', range: '^1' }, options(freshDir())));
    expect(bad.message).toBe('the registry gave metadata for pkg that is not JSON');
    handler = (_req, res) => void res.writeHead(200).end('{"versions": ["1.0.0"], "dist-tags": "latest"}');
    const shape = await rejection(resolveFromRegistry({ name: 'pkg', range: '^1' }, options(freshDir())));
    expect(shape.message).toBe('the registry gave metadata for pkg without versions and dist-tags');
  });

  it('stops reading a body past the size bound', async () => {
    handler = (_req, res) => {
      res.writeHead(200);
      res.end(`{"pad":"${'x'.repeat(64 * 1024)}"}`);
    };
    const big = await rejection(resolveFromRegistry({ name: 'pkg', range: '^1' }, options(freshDir(), { maxBytes: 4096 })));
    expect(big.message).toBe('the registry sent more than 4096 bytes of metadata for pkg; reading stopped');
  });

  it('says a missing package is not in the registry', async () => {
    handler = (_req, res) => void res.writeHead(404).end('{"error":"Not found"}');
    const missing = await rejection(resolveFromRegistry({ name: 'nope', range: '^1' }, options(freshDir())));
    expect(missing.message).toBe('package nope is not in the registry');
    expect(missing.hint).toBe('Check the package name and version on the registry.');
  });

  it('times out a registry that never answers', async () => {
    handler = () => undefined;
    const hang = await rejection(resolveFromRegistry({ name: 'pkg', range: '^1' }, options(freshDir(), { timeoutMs: 300 })));
    expect(hang.message).toBe('registry lookup of pkg timed out after 0.3 s');
    server.closeAllConnections();
  });
});

describe('credentials', () => {
  it('sends the .npmrc token for this registry as a Bearer header and never shows it', async () => {
    const token = 'npm_SECRETtoken1234567890';
    const npmrc = join(work, 'token.npmrc');
    const host = new URL(url).host;
    writeFileSync(npmrc, `; a comment\n//${host}/:_authToken=\${TEST_NPM_TOKEN}\n//other.example/:_authToken=wrong\n`);
    const env = { npm_config_userconfig: npmrc, TEST_NPM_TOKEN: token };
    expect(await resolveFromRegistry({ name: 'pkg', range: '^1' }, options(freshDir(), {}, env))).toBe('1.10.1');
    expect(seen[0]?.headers.authorization).toBe(`Bearer ${token}`);

    handler = (_req, res) => void res.writeHead(401).end(`{"error":"bad token ${token}"}`);
    const refused = await rejection(resolveFromRegistry({ name: 'pkg', range: '^1' }, options(freshDir(), {}, env)));
    expect(refused.message).toBe(`the registry ${host} refused pkg (HTTP 401)`);
    handler = (_req, res) => void res.writeHead(200).end(`not json ${token}`);
    const garbled = await rejection(resolveFromRegistry({ name: 'pkg', range: '^1' }, options(freshDir(), {}, env)));
    for (const error of [refused, garbled]) expect(`${error.message} ${error.hint ?? ''}`).not.toContain(token);
  });

  it('takes a scope registry from .npmrc, and defers to npm when a proxy is configured', () => {
    const npmrc = join(work, 'scope.npmrc');
    writeFileSync(npmrc, 'registry=http://rc.example/\n@acme:registry=http://acme.example/npm\n');
    const env = { npm_config_userconfig: npmrc };
    expect(registrySettings('@acme/x', url, env).registry).toBe('http://acme.example/npm/');
    expect(registrySettings('plain', url, env).registry).toBe(url);
    expect(registrySettings('plain', undefined, env).registry).toBe('http://rc.example/');
    expect(registrySettings('plain', undefined, { ...env, npm_config_registry: 'http://env.example' }).registry).toBe('http://env.example/');
    expect(registrySettings('plain', undefined, { HOME: work }).registry).toBe('https://registry.npmjs.org/');
    expect(registrySettings('plain', undefined, { HOME: work, HTTPS_PROXY: 'http://proxy:3128' }).proxy).toBe('http://proxy:3128');
    expect(registrySettings('plain', url, { HOME: work, HTTP_PROXY: 'http://proxy:3128', NO_PROXY: '127.0.0.1' }).proxy).toBeUndefined();
    expect(registrySettings('plain', undefined, { HOME: work, npm_config_cafile: '/ca.pem' }).caFiles).toEqual(['/ca.pem']);
  });
});
