// scanServer: connect to one server, list what it offers, and always return a snapshot.
import { McpRiskError } from '../model/index.js';
import type { ServerSnapshot } from '../model/index.js';
import { describeFailure } from './failure.js';
import { scanHttp } from './http.js';
import { boundServerName, cutNameLength, deriveServerName, nameTruncated, sourceOf } from './server-name.js';
import type { SessionLimits, SessionOutcome } from './session.js';
import { envSecretsOf, makeRedactor, redactOutcome, secretsOf, splitUrlCredentials, withBasicAuth } from './secrets.js';
import type { Redact } from './secrets.js';
import { scanStdio } from './stdio.js';
import { sandboxAvailable, sandboxUnavailable } from './containment.js';
import { DEFAULT_SCAN_OPTIONS } from './targets.js';
import type { HttpTarget, ScanOptions, ServerTarget, StdioTarget } from './targets.js';

function positive(value: number | undefined, fallback: number, option: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new McpRiskError('USAGE', `${option} must be a positive number, got ${value}`);
  return value;
}

function resolveLimits(options: ScanOptions): SessionLimits {
  return {
    connectTimeoutMs: positive(options.connectTimeoutMs, DEFAULT_SCAN_OPTIONS.connectTimeoutMs, 'connectTimeoutMs'),
    listTimeoutMs: positive(options.listTimeoutMs, DEFAULT_SCAN_OPTIONS.listTimeoutMs, 'listTimeoutMs'),
    maxPages: positive(options.maxPages, DEFAULT_SCAN_OPTIONS.maxPages, 'maxPages'),
    maxTools: positive(options.maxTools, DEFAULT_SCAN_OPTIONS.maxTools, 'maxTools'),
    maxResponseBytes: positive(options.maxResponseBytes, DEFAULT_SCAN_OPTIONS.maxResponseBytes, 'maxResponseBytes'),
  };
}

const nonEmpty = (value: string | undefined): string | undefined => (value === undefined || value.trim() === '' ? undefined : value);

/** An http(s) URL, or a USAGE error: a bad URL is the user's mistake, not a failed scan. */
export function parseHttpUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new McpRiskError('USAGE', `not a valid URL: ${raw}`, { hint: 'Give the full endpoint, e.g. http://localhost:3001/mcp.' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new McpRiskError('USAGE', `unsupported URL scheme ${url.protocol} in ${raw}`, { hint: 'Use an http:// or https:// endpoint.' });
  }
  return url;
}

/**
 * Initializes and lists one server. Server misbehaviour (exit, hang, junk, HTTP errors) is reported
 * in the snapshot's status and findings; only invalid input from the user throws McpRiskError.
 */
export async function scanServer(target: ServerTarget, options: ScanOptions = {}): Promise<ServerSnapshot> {
  const limits = resolveLimits(options);
  if (target.kind === 'stdio' && target.command.trim() === '') throw new McpRiskError('USAGE', 'the server command is empty');
  if (target.kind === 'stdio' && options.sandbox !== undefined && !sandboxAvailable()) throw sandboxUnavailable();
  // Parsed before anything starts, so a bad URL is the user's error and not a failed scan.
  const url = target.kind === 'http' ? parseHttpUrl(target.url) : undefined;
  // fetch refuses a URL with credentials: they go in an Authorization header, and the URL is fetched bare.
  // Whatever we send is masked in everything the server says back.
  let http: { target: HttpTarget; url: URL } | undefined;
  let redact: Redact = (text) => text;
  if (target.kind === 'http' && url !== undefined) {
    const split = splitUrlCredentials(url);
    const headers = withBasicAuth(target.headers ?? {}, split.username, split.password);
    http = { target: { ...target, url: split.url.href, headers }, url: split.url };
    redact = makeRedactor(secretsOf(headers, url));
    limits.redact = redact;
  } else if (target.kind === 'stdio') {
    redact = makeRedactor(envSecretsOf(target.env));
  }
  const startedAt = new Date();
  let outcome: SessionOutcome;
  try {
    outcome =
      http === undefined
        ? await scanStdio(target as StdioTarget, { ...limits, ...(options.sandbox !== undefined && { sandbox: options.sandbox }) })
        : await scanHttp(http.target, http.url, limits);
  } catch (error) {
    // The scanners turn server trouble into a status; landing here means a bug, still not the caller's problem.
    outcome = { status: 'failed', error: `internal error: ${describeFailure(error, redact).error}`, tools: [], findings: [] };
  }
  redactOutcome(outcome, redact);
  const snapshot: ServerSnapshot = {
    // Named by the source (see serverNameFor), not by serverInfo; empty strings count as absent.
    name: boundServerName(nonEmpty(target.name) ?? deriveServerName(target), outcome.findings),
    source: sourceOf(target),
    status: outcome.status,
    tools: outcome.tools,
    findings: outcome.findings,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
  };
  // A name cut earlier (a client config's key) is reported here, on the scan it names.
  const cutFrom = cutNameLength(snapshot.name);
  if (cutFrom !== undefined && !snapshot.findings.some((f) => f.code === 'ingest.truncated' && f.args.field === 'name'))
    snapshot.findings.push(nameTruncated('name', cutFrom));
  if (outcome.error !== undefined) snapshot.error = outcome.error;
  if (outcome.stderrTail !== undefined) snapshot.stderrTail = outcome.stderrTail;
  if (outcome.serverInfo !== undefined) snapshot.serverInfo = outcome.serverInfo;
  if (outcome.protocolVersion !== undefined) snapshot.protocolVersion = outcome.protocolVersion;
  if (outcome.instructions !== undefined) snapshot.instructions = outcome.instructions;
  if (outcome.promptCount !== undefined) snapshot.promptCount = outcome.promptCount;
  if (outcome.resourceCount !== undefined) snapshot.resourceCount = outcome.resourceCount;
  if (outcome.prompts !== undefined) snapshot.prompts = outcome.prompts;
  if (outcome.resources !== undefined) snapshot.resources = outcome.resources;
  if (outcome.isolation !== undefined) snapshot.isolation = outcome.isolation;
  return snapshot;
}
