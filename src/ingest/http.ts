// Scans a server over HTTP: Streamable HTTP first, SSE when the endpoint answers with a non-auth HTTP error.
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { boundedFetch } from './bounded-fetch.js';
import { describeFailure, httpStatusOf } from './failure.js';
import { connectSession, listSession } from './session.js';
import type { ConnectedSession, SessionLimits, SessionOutcome } from './session.js';
import type { HttpTarget } from './targets.js';

type Attempt = { session: ConnectedSession; transport: Transport } | { error: unknown; transport: Transport };

async function attempt(transport: Transport, timeoutMs: number): Promise<Attempt> {
  try {
    return { session: await connectSession(transport, timeoutMs), transport };
  } catch (error) {
    await transport.close().catch(() => undefined);
    return { error, transport };
  }
}

/** Worth retrying over SSE: the endpoint answered, but not as a Streamable HTTP server (404, 405, 400, ...). */
function suggestsSse(error: unknown): boolean {
  const status = httpStatusOf(error);
  return status !== undefined && status !== 401 && status !== 403;
}

function makeStreamable(url: URL, headers: Record<string, string>, maxBytes: number): Transport {
  return new StreamableHTTPClientTransport(url, { requestInit: { headers }, fetch: boundedFetch(maxBytes) });
}

function makeSse(url: URL, headers: Record<string, string>, maxBytes: number): Transport {
  // SDK 1.32 adds requestInit headers to the EventSource GET too, so one place covers both requests,
  // and uses the transport's fetch for the stream as well: the byte bound holds for SSE too.
  return new SSEClientTransport(url, { requestInit: { headers }, fetch: boundedFetch(maxBytes) });
}

export async function scanHttp(target: HttpTarget, url: URL, limits: SessionLimits): Promise<SessionOutcome> {
  const headers = target.headers ?? {};
  const mode = target.transport ?? 'auto';
  // One connect budget across both attempts, so a fallback never doubles the wait.
  const deadline = Date.now() + limits.connectTimeoutMs;
  const remaining = (): number => Math.max(1, deadline - Date.now());

  const max = limits.maxResponseBytes;
  let result = await attempt(mode === 'sse' ? makeSse(url, headers, max) : makeStreamable(url, headers, max), remaining());
  if ('error' in result && mode === 'auto' && suggestsSse(result.error)) {
    const sse = await attempt(makeSse(url, headers, max), remaining());
    // When SSE fails too, the Streamable HTTP error is the more telling one unless SSE got further.
    if ('session' in sse || describeFailure(sse.error, limits.redact).status !== 'failed') result = sse;
  }
  if ('error' in result) {
    const failure = describeFailure(result.error, limits.redact);
    return {
      status: failure.status,
      error: failure.status === 'failed' ? `initialize failed: ${failure.error}` : failure.error,
      tools: [],
      findings: [],
    };
  }
  try {
    return await listSession(result.session, limits);
  } finally {
    await result.session.client.close().catch(() => undefined);
    await result.transport.close().catch(() => undefined);
  }
}
