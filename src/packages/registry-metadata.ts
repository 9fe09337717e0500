// Resolves a range or tag from the registry's abbreviated packument over HTTP, with an ETag cache on disk.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { rootCertificates } from 'node:tls';
import semver from 'semver';
import { McpRiskError, isRecord } from '../model/index.js';
import { npmMetadataDir } from './cache.js';
import { isExactVersion } from './npm-spec.js';
import type { NpmSpec } from './npm-spec.js';
import { cleanLine } from './npm-run.js';

export const DEFAULT_REGISTRY = 'https://registry.npmjs.org/';

/** Abbreviated packuments of the largest packages are a few MB; past this the registry is not one. */
export const MAX_PACKUMENT_BYTES = 64 * 1024 * 1024;

/** npm's abbreviated metadata: dist-tags and versions, without readmes and per-version manifests' bulk. */
const ABBREVIATED = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8';

export function registryHint(offline: boolean): string {
  return offline ? 'Offline mode uses only cached packages; run once without it to fill the cache.' : 'Check the package name and version on the registry.';
}

export function noMatch(spec: NpmSpec, offline: boolean): McpRiskError {
  return new McpRiskError('SERVER_FAILED', `no version of ${spec.name} matches ${spec.range === '' ? 'latest' : spec.range}`, { hint: registryHint(offline) });
}

/** How npm would reach the registry for one package: read from the same options, variables and `.npmrc`. */
export interface RegistrySettings {
  /** Always ends with `/`. */
  registry: string;
  /** The `_authToken` configured for this registry; a secret, only ever put in a header. */
  token?: string;
  /** A proxy npm would use for this registry; the HTTP path does not tunnel, so callers fall back to npm. */
  proxy?: string;
  /** Extra CA certificates (PEM files) to trust beside Node's own. */
  caFiles: string[];
}

/**
 * The subset of `.npmrc` that decides where a request goes: `key=value` lines, `;`/`#` comments,
 * `${VAR}` expanded from the environment as npm does. npm reads the user's `.npmrc` (HOME reaches it).
 */
function readNpmrc(env: NodeJS.ProcessEnv): Map<string, string> {
  const path = env.npm_config_userconfig ?? env.NPM_CONFIG_USERCONFIG ?? join(env.HOME ?? homedir(), '.npmrc');
  const out = new Map<string, string>();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return out;
  }
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq === -1) continue;
    const value = line
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .replace(/\$\{([^}]+)\}/g, (_, name: string) => env[name] ?? '');
    out.set(line.slice(0, eq).trim(), value);
  }
  return out;
}

function envValue(env: NodeJS.ProcessEnv, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = env[name] ?? env[name.toUpperCase()] ?? env[name.toLowerCase()];
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/** `//host[:port]/path/` for each path prefix of the registry, longest first: npm's "nerf dart" keys. */
function nerfDarts(registry: string): string[] {
  const url = new URL(registry);
  const parts = url.pathname.split('/').filter((p) => p !== '');
  const darts: string[] = [];
  for (let n = parts.length; n >= 0; n -= 1)
    darts.push(
      `//${url.host}/${parts
        .slice(0, n)
        .map((p) => `${p}/`)
        .join('')}`,
    );
  return darts;
}

function bypassesProxy(host: string, noProxy: string | undefined): boolean {
  if (noProxy === undefined) return false;
  return noProxy
    .split(/[,\s]+/)
    .filter((entry) => entry !== '')
    .some((entry) => {
      if (entry === '*') return true;
      const bare = entry.replace(/^\*?\.?/, '').replace(/:\d+$/, '');
      return host === bare || host.endsWith(`.${bare}`);
    });
}

/**
 * The registry, token, proxy and CA npm would use for `name`: a scope's own registry first (npm lets
 * `@scope:registry` win), then ours (`--registry`), then `npm_config_registry`, then `.npmrc`, then npmjs.
 */
export function registrySettings(name: string, registry: string | undefined, env: NodeJS.ProcessEnv): RegistrySettings {
  const rc = readNpmrc(env);
  const scope = name.startsWith('@') ? name.slice(0, name.indexOf('/')) : undefined;
  const chosen = withSlash(
    (scope !== undefined ? rc.get(`${scope}:registry`) : undefined) ??
      registry ??
      envValue(env, 'npm_config_registry') ??
      rc.get('registry') ??
      DEFAULT_REGISTRY,
  );
  const url = new URL(chosen);
  const settings: RegistrySettings = { registry: chosen, caFiles: [] };
  for (const dart of nerfDarts(chosen)) {
    const token = rc.get(`${dart}:_authToken`);
    if (token !== undefined && token !== '') {
      settings.token = token;
      break;
    }
  }
  const proxy =
    url.protocol === 'https:'
      ? (envValue(env, 'npm_config_https_proxy', 'https_proxy') ?? rc.get('https-proxy') ?? envValue(env, 'npm_config_proxy', 'http_proxy') ?? rc.get('proxy'))
      : (envValue(env, 'npm_config_proxy', 'http_proxy') ?? rc.get('proxy'));
  const noProxy = envValue(env, 'npm_config_noproxy', 'no_proxy') ?? rc.get('noproxy');
  if (proxy !== undefined && proxy !== '' && !bypassesProxy(url.hostname, noProxy)) settings.proxy = proxy;
  for (const ca of [envValue(env, 'npm_config_cafile') ?? rc.get('cafile'), envValue(env, 'NODE_EXTRA_CA_CERTS')]) {
    if (ca !== undefined && ca !== '' && !settings.caFiles.includes(ca)) settings.caFiles.push(ca);
  }
  return settings;
}

/** What we keep of a packument: enough to resolve any range or tag. */
export interface PackageMetadata {
  distTags: Record<string, string>;
  versions: string[];
}

interface CacheFile extends PackageMetadata {
  registry: string;
  name: string;
  etag?: string;
}

/** One file per registry and package; hashed, so neither a scope nor a registry URL becomes a path. */
function cachePath(cacheDir: string, registry: string, name: string): string {
  const key = createHash('sha256').update(`${registry}\0${name}`).digest('hex').slice(0, 40);
  return join(npmMetadataDir(cacheDir), `${key}.json`);
}

function readCache(path: string, registry: string, name: string): CacheFile | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    if (!isRecord(parsed) || parsed.registry !== registry || parsed.name !== name) return undefined;
    const metadata = validMetadata({ 'dist-tags': parsed.distTags, versions: Object.fromEntries(asStrings(parsed.versions).map((v) => [v, {}])) });
    if (metadata === undefined) return undefined;
    return { registry, name, ...metadata, ...(typeof parsed.etag === 'string' && { etag: parsed.etag }) };
  } catch {
    return undefined;
  }
}

/** Temp file and rename, so a concurrent reader sees the old copy or the new one, never half. */
function writeCache(path: string, file: CacheFile): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    const temp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(temp, `${JSON.stringify(file)}\n`);
    renameSync(temp, path);
  } catch {
    // A cache we cannot write costs a full download next time, nothing more.
  }
}

function asStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** A registry can lie: only string tags and plain semver versions are taken, and a packument must have both maps. */
function validMetadata(body: unknown): PackageMetadata | undefined {
  if (!isRecord(body) || !isRecord(body.versions) || !isRecord(body['dist-tags'])) return undefined;
  const versions = Object.keys(body.versions).filter((v) => isExactVersion(v) && semver.valid(v) !== null);
  const distTags: Record<string, string> = {};
  for (const [tag, version] of Object.entries(body['dist-tags'])) if (typeof version === 'string' && isExactVersion(version)) distTags[tag] = version;
  return { distTags, versions };
}

/** The exact version a range or tag names in this metadata, or undefined when none does. */
export function pickVersion(metadata: PackageMetadata, range: string): string | undefined {
  const wanted = range.trim() === '' ? 'latest' : range.trim();
  if (semver.validRange(wanted) === null) return metadata.distTags[wanted];
  return semver.maxSatisfying(metadata.versions, wanted) ?? undefined;
}

interface Answer {
  status: number;
  etag?: string;
  body?: Buffer;
}

class TooLarge extends Error {}
class TimedOut extends Error {}

const agents = new Map<string, HttpsAgent>();

/** One agent per CA set: Node's roots plus the extra files, read once (a bundle can be large). */
function httpsAgent(caFiles: string[]): HttpsAgent {
  const key = caFiles.join('\0');
  let agent = agents.get(key);
  if (agent === undefined) {
    const extra = caFiles.flatMap((file) => {
      try {
        return [readFileSync(file, 'utf8')];
      } catch {
        return [];
      }
    });
    agent = new HttpsAgent({ keepAlive: true, ...(extra.length > 0 && { ca: [...rootCertificates, ...extra] }) });
    agents.set(key, agent);
  }
  return agent;
}

/** One GET with a deadline on the whole exchange and a bound on the body, counted as it arrives. */
function get(url: URL, headers: Record<string, string>, settings: RegistrySettings, timeoutMs: number, maxBytes: number): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    const secure = url.protocol === 'https:';
    const req = (secure ? httpsRequest : httpRequest)(url, { method: 'GET', headers, ...(secure && { agent: httpsAgent(settings.caFiles) }) });
    const timer = setTimeout(() => req.destroy(new TimedOut()), Math.max(1, timeoutMs));
    const fail = (error: Error): void => {
      clearTimeout(timer);
      reject(error);
    };
    req.once('error', fail);
    req.once('response', (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      const etag = typeof res.headers.etag === 'string' ? res.headers.etag : undefined;
      const chunks: Buffer[] = [];
      let seen = 0;
      res.on('data', (chunk: Buffer) => {
        seen += chunk.length;
        if (seen > maxBytes) req.destroy(new TooLarge());
        else chunks.push(chunk);
      });
      res.once('error', fail);
      res.once('end', () => {
        clearTimeout(timer);
        resolve({ status, ...(etag !== undefined && { etag }), body: Buffer.concat(chunks) });
      });
    });
    req.end();
  });
}

export interface MetadataOptions {
  cacheDir: string;
  timeoutMs: number;
  offline: boolean;
  settings: RegistrySettings;
  /** Default MAX_PACKUMENT_BYTES. */
  maxBytes?: number;
  /** Requests in flight, shared by concurrent callers; default one per process. */
  memo?: Map<string, Promise<PackageMetadata | undefined>>;
}

const inFlight = new Map<string, Promise<PackageMetadata | undefined>>();

/** A memo of one's own, e.g. to stand for a fresh process in a test. */
export function createMetadataMemo(): Map<string, Promise<PackageMetadata | undefined>> {
  return new Map();
}

/**
 * The package's dist-tags and versions: from the registry, sending the cached ETag so an unchanged
 * package costs a 304; offline, from the cache only (undefined when it has nothing). Concurrent calls
 * for one package share a request; a finished one is forgotten, so a later call revalidates.
 */
export function packageMetadata(name: string, options: MetadataOptions): Promise<PackageMetadata | undefined> {
  const memo = options.memo ?? inFlight;
  const key = `${options.settings.registry}\0${name}`;
  const pending = memo.get(key);
  if (pending !== undefined) return pending;
  const fresh = fetchMetadata(name, options).finally(() => memo.delete(key));
  memo.set(key, fresh);
  return fresh;
}

async function fetchMetadata(name: string, options: MetadataOptions): Promise<PackageMetadata | undefined> {
  const { settings } = options;
  const path = cachePath(options.cacheDir, settings.registry, name);
  const cached = readCache(path, settings.registry, name);
  if (options.offline) return cached;
  // `@scope/name` travels as `@scope%2fname`, as npm sends it.
  const url = new URL(name.replace('/', '%2f'), settings.registry);
  const headers: Record<string, string> = { accept: ABBREVIATED, 'user-agent': 'mcp-risk' };
  if (settings.token !== undefined) headers.authorization = `Bearer ${settings.token}`;
  if (cached?.etag !== undefined) headers['if-none-match'] = cached.etag;
  const maxBytes = options.maxBytes ?? MAX_PACKUMENT_BYTES;
  let answer: Answer;
  try {
    answer = await get(url, headers, settings, options.timeoutMs, maxBytes);
  } catch (error) {
    if (error instanceof TimedOut) {
      throw new McpRiskError('SERVER_FAILED', `registry lookup of ${name} timed out after ${Number((options.timeoutMs / 1000).toFixed(1))} s`, {
        hint: 'Check the network and registry, or allow more time.',
      });
    }
    if (error instanceof TooLarge) {
      throw new McpRiskError('SERVER_FAILED', `the registry sent more than ${maxBytes} bytes of metadata for ${name}; reading stopped`, {
        hint: registryHint(false),
      });
    }
    throw new McpRiskError('SERVER_FAILED', `cannot reach the registry ${url.host} for ${name}: ${cleanLine((error as Error).message)}`, {
      hint: 'Check the network and registry.',
      cause: error,
    });
  }
  if (answer.status === 304 && cached !== undefined) return cached;
  if (answer.status === 404) throw new McpRiskError('SERVER_FAILED', `package ${name} is not in the registry`, { hint: registryHint(false) });
  if (answer.status === 401 || answer.status === 403) {
    throw new McpRiskError('SERVER_FAILED', `the registry ${url.host} refused ${name} (HTTP ${answer.status})`, {
      hint: 'Check the auth token for this registry in your .npmrc.',
    });
  }
  if (answer.status !== 200)
    throw new McpRiskError('SERVER_FAILED', `the registry ${url.host} answered HTTP ${answer.status} for ${name}`, { hint: registryHint(false) });
  let body: unknown;
  try {
    body = JSON.parse((answer.body ?? Buffer.alloc(0)).toString('utf8'));
  } catch {
    throw new McpRiskError('SERVER_FAILED', `the registry gave metadata for ${name} that is not JSON`, { hint: registryHint(false) });
  }
  const metadata = validMetadata(body);
  if (metadata === undefined)
    throw new McpRiskError('SERVER_FAILED', `the registry gave metadata for ${name} without versions and dist-tags`, { hint: registryHint(false) });
  writeCache(path, { registry: settings.registry, name, ...(answer.etag !== undefined && { etag: answer.etag }), ...metadata });
  return metadata;
}

/**
 * The exact version a range or tag means, from the packument; undefined offline when nothing is cached,
 * so the caller can ask npm's own cache instead.
 */
export async function resolveFromRegistry(spec: NpmSpec, options: MetadataOptions): Promise<string | undefined> {
  const metadata = await packageMetadata(spec.name, options);
  if (metadata === undefined) return undefined;
  const version = pickVersion(metadata, spec.range);
  if (version === undefined) throw noMatch(spec, options.offline);
  return version;
}
