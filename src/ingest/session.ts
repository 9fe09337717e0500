// One MCP session: initialize within a deadline, then list tools (and count prompts/resources) leniently.
import type { Isolation } from './containment.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { toToolRecord } from '../model/index.js';
import type { Finding, ScanStatus, ServerInfo, ToolRecord } from '../model/index.js';
import { DeadlineError, describeFailure, errorLine, withDeadline } from './failure.js';
import { validateTools } from './lenient.js';
import { boundServerName } from './server-name.js';

const CLIENT_INFO = { name: 'mcp-risk', version: '0.1.0' };
const MAX_INSTRUCTIONS_CHARS = 16 * 1024;
const MAX_CURSOR_CHARS = 200;
/** How long a server that does not declare `tools` gets to answer tools/list anyway. */
const UNDECLARED_LIST_TIMEOUT_MS = 5000;

export interface SessionLimits {
  connectTimeoutMs: number;
  listTimeoutMs: number;
  maxPages: number;
  maxTools: number;
  /** HTTP: bytes one response (a JSON body or an SSE stream) may carry. */
  maxResponseBytes: number;
  /** Masks what we sent the server (header values, URL credentials) in its text before any of it is kept. */
  redact?: (text: string) => string;
}

/** What a session found; ServerSnapshot minus the fields the caller owns (name, source, timing). */
export interface SessionOutcome {
  status: ScanStatus;
  error?: string;
  serverInfo?: ServerInfo;
  protocolVersion?: string;
  instructions?: string;
  promptCount?: number;
  resourceCount?: number;
  prompts?: DescribedItem[];
  resources?: DescribedItem[];
  stderrTail?: string;
  /** How a stdio server was contained (see containment.ts). */
  isolation?: Isolation;
  tools: ToolRecord[];
  findings: Finding[];
}

/** A prompt or resource as the poisoning analyser reads it: its name, description and URI, bounded. */
export interface DescribedItem {
  name: string;
  description?: string;
  uri?: string;
}

const ITEM_TEXT_CHARS = 4096;
const MAX_DESCRIBED_ITEMS = 1000;

function describedItems(items: readonly unknown[]): DescribedItem[] {
  const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v.slice(0, ITEM_TEXT_CHARS) : undefined);
  const out: DescribedItem[] = [];
  for (const item of items.slice(0, MAX_DESCRIBED_ITEMS)) {
    if (item === null || typeof item !== 'object') continue;
    const { name, description, uri } = item as Record<string, unknown>;
    const named = text(name) ?? text(uri);
    if (named === undefined) continue;
    const d: DescribedItem = { name: named };
    const desc = text(description);
    if (desc !== undefined) d.description = desc;
    const u = text(uri);
    if (u !== undefined) d.uri = u;
    out.push(d);
  }
  return out;
}

export interface ConnectedSession {
  client: Client;
  protocolVersion: string | undefined;
}

// Deliberately loose: the strict SDK schemas reject a whole page when one entry is malformed.
const LoosePage = z.looseObject({});

/** The SDK's own request timeout and our deadline race; whichever wins, report it in our words. */
function asDeadline(error: unknown, message: string): unknown {
  return error instanceof McpError && error.code === ErrorCode.RequestTimeout ? new DeadlineError(message) : error;
}

/** Initializes a client over `transport`; rejects with a DeadlineError after `timeoutMs`. */
export async function connectSession(transport: Transport, timeoutMs: number): Promise<ConnectedSession> {
  const session: ConnectedSession = { client: new Client(CLIENT_INFO, { capabilities: {} }), protocolVersion: undefined };
  // The negotiated version reaches the transport only; listen in on that call to record it.
  const forward = transport.setProtocolVersion?.bind(transport);
  transport.setProtocolVersion = (version: string) => {
    session.protocolVersion = version;
    forward?.(version);
  };
  const message = `no answer to initialize within ${timeoutMs} ms`;
  await withDeadline(session.client.connect(transport, { timeout: timeoutMs }), timeoutMs, message).catch((error: unknown) => {
    throw asDeadline(error, message);
  });
  return session;
}

interface PageWalk {
  items: unknown[];
  findings: Finding[];
}

/**
 * Follows `nextCursor` for one list method, stopping at a repeated cursor, at `maxPages`, or once
 * `maxItems` entries are in. Throws on a transport or protocol error; the caller decides what it means.
 */
async function walkPages(
  client: Client,
  method: 'tools/list' | 'prompts/list' | 'resources/list',
  key: 'tools' | 'prompts' | 'resources',
  limits: { maxPages: number; maxItems: number; signal: AbortSignal; timeoutMs: number },
): Promise<PageWalk> {
  const items: unknown[] = [];
  const findings: Finding[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let page = 1; ; page += 1) {
    if (page > limits.maxPages) {
      findings.push({ code: 'ingest.too-many-pages', severity: 'warning', path: method, args: { method, limit: limits.maxPages } });
      break;
    }
    const request = cursor === undefined ? { method } : { method, params: { cursor } };
    const result = await client.request(request, LoosePage, { signal: limits.signal, timeout: limits.timeoutMs });
    const entries = result[key];
    if (!Array.isArray(entries)) {
      findings.push({
        code: 'ingest.malformed-page',
        severity: 'error',
        path: method,
        args: { method, page, reason: `${key} is ${entries === undefined ? 'missing' : 'not an array'}` },
      });
      break;
    }
    const room = limits.maxItems - items.length;
    items.push(...entries.slice(0, Math.max(0, room)));
    if (entries.length > room) {
      findings.push({ code: `ingest.too-many-${key}`, severity: 'warning', path: method, args: { method, limit: limits.maxItems } });
      break;
    }
    const next = result.nextCursor;
    if (typeof next !== 'string' || next === '') break;
    if (seen.has(next)) {
      findings.push({
        code: 'ingest.cursor-loop',
        severity: 'warning',
        path: method,
        args: { method, cursor: next.slice(0, MAX_CURSOR_CHARS), page },
      });
      break;
    }
    seen.add(next);
    cursor = next;
  }
  return { items, findings };
}

/** Runs `walkPages` under one deadline for the whole listing, cancelling the request in flight at the end. */
async function walkWithDeadline(
  client: Client,
  method: 'tools/list' | 'prompts/list' | 'resources/list',
  key: 'tools' | 'prompts' | 'resources',
  limits: SessionLimits,
  maxItems: number,
): Promise<PageWalk> {
  const controller = new AbortController();
  const message = `${method} did not complete within ${limits.listTimeoutMs} ms`;
  try {
    return await withDeadline(
      walkPages(client, method, key, { maxPages: limits.maxPages, maxItems, signal: controller.signal, timeoutMs: limits.listTimeoutMs }),
      limits.listTimeoutMs,
      message,
    );
  } catch (error) {
    throw asDeadline(error, message);
  } finally {
    controller.abort(new DeadlineError(message));
  }
}

/** Lists what the connected server offers. Never throws: failures become a status or findings. */
export async function listSession(session: ConnectedSession, limits: SessionLimits): Promise<SessionOutcome> {
  const { client } = session;
  const outcome: SessionOutcome = { status: 'ok', tools: [], findings: [] };
  const info = client.getServerVersion();
  if (info !== undefined) {
    // The server's word about itself, kept as data: bounded like every name taken from a server.
    outcome.serverInfo = { name: boundServerName(String(info.name), outcome.findings, 'serverInfo.name') };
    if (typeof info.version === 'string') outcome.serverInfo.version = boundServerName(info.version, outcome.findings, 'serverInfo.version');
    if (typeof info.title === 'string') outcome.serverInfo.title = boundServerName(info.title, outcome.findings, 'serverInfo.title');
  }
  if (session.protocolVersion !== undefined) outcome.protocolVersion = session.protocolVersion;
  const instructions = client.getInstructions();
  if (typeof instructions === 'string') {
    outcome.instructions = instructions.slice(0, MAX_INSTRUCTIONS_CHARS);
    if (instructions.length > MAX_INSTRUCTIONS_CHARS) {
      outcome.findings.push({
        code: 'ingest.truncated',
        severity: 'warning',
        path: 'instructions',
        args: { field: 'instructions', originalLength: instructions.length, keptLength: MAX_INSTRUCTIONS_CHARS },
      });
    }
  }
  const capabilities = client.getServerCapabilities() ?? {};

  // SDK clients list tools whether or not the capability is declared, so a server that leaves it out
  // must not slip past the gate as "no tools": list anyway, within a short wait, and say it was undeclared.
  const declared = capabilities.tools !== undefined;
  try {
    const listLimits = declared ? limits : { ...limits, listTimeoutMs: Math.min(limits.listTimeoutMs, UNDECLARED_LIST_TIMEOUT_MS) };
    const walk = await walkWithDeadline(client, 'tools/list', 'tools', listLimits, limits.maxTools);
    if (!declared) outcome.findings.push({ code: 'ingest.undeclared-tools', severity: 'warning', path: 'capabilities.tools', args: { method: 'tools/list' } });
    outcome.findings.push(...walk.findings);
    const validated = validateTools(walk.items);
    outcome.findings.push(...validated.findings);
    outcome.tools = validated.tools.map(toToolRecord);
    if (outcome.tools.length === 0) {
      outcome.status = 'no-tools';
      outcome.error = walk.items.length === 0 ? 'server listed no tools' : 'server listed no valid tools';
    }
  } catch (error) {
    if (!declared) {
      // Not offered and not answered (method not found, or no answer): what the capability said.
      outcome.status = 'no-tools';
      outcome.error = 'server does not offer tools';
    } else {
      const failure = describeFailure(error, limits.redact);
      outcome.status = failure.status;
      outcome.error = failure.status === 'timeout' ? failure.error : `tools/list failed: ${failure.error}`;
      // Prompts and resources from a server that cannot list its tools are not worth the wait.
      return outcome;
    }
  }

  for (const [capability, method, key] of [
    ['prompts', 'prompts/list', 'prompts'],
    ['resources', 'resources/list', 'resources'],
  ] as const) {
    if (capabilities[capability] === undefined) continue;
    try {
      const walk = await walkWithDeadline(client, method, key, limits, Number.MAX_SAFE_INTEGER);
      outcome.findings.push(...walk.findings);
      if (key === 'prompts') {
        outcome.promptCount = walk.items.length;
        outcome.prompts = describedItems(walk.items);
      } else {
        outcome.resourceCount = walk.items.length;
        outcome.resources = describedItems(walk.items);
      }
    } catch (error) {
      outcome.findings.push({
        code: 'ingest.list-failed',
        severity: 'warning',
        path: method,
        args: { method, reason: errorLine(describeFailure(error, limits.redact).error) },
      });
    }
  }
  return outcome;
}
