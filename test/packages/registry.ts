// Test helpers: pack the fixture package under several names and versions, and serve them from a loopback npm registry.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const FIXTURE = fileURLToPath(new URL('../fixtures/packages/tiny-mcp-server/', import.meta.url));

export interface Packed {
  name: string;
  version: string;
  manifest: Record<string, unknown>;
  tarball: Buffer;
  integrity: string;
  shasum: string;
}

export interface Variant {
  name: string;
  version: string;
  /** Fields replaced in the fixture's package.json. */
  patch?: Record<string, unknown>;
}

/** Copies the fixture once per variant, rewrites its package.json, and packs all with one `npm pack`. */
export async function packFixtures(workDir: string, variants: Variant[]): Promise<Packed[]> {
  const dirs = variants.map((variant, index) => {
    const dir = join(workDir, `src-${index}`);
    cpSync(FIXTURE, dir, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...manifest, ...variant.patch, name: variant.name, version: variant.version }, null, 2));
    return dir;
  });
  const out = join(workDir, 'tarballs');
  mkdirSync(out, { recursive: true });
  const { stdout } = await promisify(execFile)('npm', ['pack', ...dirs, '--pack-destination', out, '--json'], {
    env: { PATH: process.env.PATH ?? '', HOME: workDir, npm_config_cache: join(workDir, 'npm-cache'), npm_config_update_notifier: 'false' },
  });
  const packed = JSON.parse(stdout) as { name: string; version: string; filename: string; integrity: string; shasum: string }[];
  return packed.map((entry, index) => ({
    name: entry.name,
    version: entry.version,
    manifest: JSON.parse(readFileSync(join(dirs[index] as string, 'package.json'), 'utf8')) as Record<string, unknown>,
    tarball: readFileSync(join(out, entry.filename)),
    integrity: entry.integrity,
    shasum: entry.shasum,
  }));
}

export interface Registry {
  url: string;
  /** Paths requested so far, decoded (`/@scope/name`, `/name/-/name-1.0.0.tgz`). */
  requests: string[];
  tarballRequests(): string[];
  close(): Promise<void>;
}

/** A registry on 127.0.0.1 serving packuments (`GET /<name>`, scoped names URL-encoded) and tarballs. */
export async function startRegistry(packages: Packed[]): Promise<Registry> {
  const requests: string[] = [];
  const tarballs = new Map<string, Buffer>();
  let base = '';
  const packument = (name: string): unknown => {
    const versions = packages.filter((p) => p.name === name);
    if (versions.length === 0) return undefined;
    const unscoped = name.slice(name.indexOf('/') + 1);
    const entries = versions.map((p) => {
      const path = `/${name}/-/${unscoped}-${p.version}.tgz`;
      tarballs.set(path, p.tarball);
      return [p.version, { ...p.manifest, dist: { tarball: `${base}${path}`, integrity: p.integrity, shasum: p.shasum } }] as const;
    });
    const latest = versions
      .map((p) => p.version)
      .sort()
      .at(-1);
    return { name, 'dist-tags': { latest }, versions: Object.fromEntries(entries) };
  };
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    const tarball = tarballs.get(path);
    if (tarball !== undefined) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(tarball);
      return;
    }
    const body = packument(path.slice(1));
    if (body === undefined) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Not found"}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}/`,
    requests,
    tarballRequests: () => requests.filter((path) => path.endsWith('.tgz')),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A registry that accepts connections and never answers, for timeouts. */
export async function startSilentRegistry(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(() => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
