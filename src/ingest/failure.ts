// Turns whatever went wrong while talking to a server into a snapshot status and one line.
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SseError } from '@modelcontextprotocol/sdk/client/sse.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { ScanStatus } from '../model/index.js';
import { oneLine } from '../output/safe-text.js';

const MAX_ERROR_CHARS = 300;

/** Raised by our own deadlines, so a timeout is told apart from every other failure. */
export class DeadlineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeadlineError';
  }
}

export interface FailureDescription {
  status: ScanStatus;
  error: string;
}

/** A failure as one bounded line: server text ends up in terminals and databases. */
export function errorLine(text: string): string {
  return oneLine(text, MAX_ERROR_CHARS);
}

/** Rejects with a DeadlineError when `promise` has not settled within `ms`. */
export async function withDeadline<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(message)), Math.max(0, ms));
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** The HTTP status behind an SDK transport error, when there is one. */
export function httpStatusOf(error: unknown): number | undefined {
  if (error instanceof StreamableHTTPError || error instanceof SseError) {
    return typeof error.code === 'number' && error.code >= 100 ? error.code : undefined;
  }
  if (error instanceof Error) {
    // The SSE transport reports POST failures as plain errors with the status in the text.
    const match = /\(HTTP (\d{3})\)/.exec(error.message);
    if (match?.[1] !== undefined) return Number(match[1]);
  }
  return undefined;
}

function networkCode(error: unknown): string | undefined {
  let current: unknown = error;
  // fetch wraps the socket error (ECONNREFUSED, ENOTFOUND) in `cause`, sometimes twice.
  for (let depth = 0; depth < 4 && current instanceof Error; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = current.cause;
  }
  return undefined;
}

/**
 * `redact` masks what we sent (header values, URL credentials) in the server's text before it is cut to
 * one line, so a cut can never leave part of a secret behind.
 */
export function describeFailure(error: unknown, redact: (text: string) => string = (text) => text): FailureDescription {
  if (error instanceof DeadlineError) return { status: 'timeout', error: error.message };
  if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) return { status: 'timeout', error: errorLine(redact(error.message)) };
  if (error instanceof UnauthorizedError) return { status: 'auth-required', error: errorLine(redact(`authorization required: ${error.message}`)) };
  const status = httpStatusOf(error);
  if (status === 401 || status === 403) {
    return { status: 'auth-required', error: `server answered HTTP ${status} ${status === 401 ? 'Unauthorized' : 'Forbidden'}` };
  }
  const code = networkCode(error);
  if (code === 'ECONNREFUSED') return { status: 'failed', error: 'connection refused (ECONNREFUSED)' };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { status: 'failed', error: `host not found (${code})` };
  if (code === 'ECONNRESET') return { status: 'failed', error: 'connection reset by the server (ECONNRESET)' };
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') return { status: 'timeout', error: `connection timed out (${code})` };
  const message = error instanceof Error ? error.message : String(error);
  return { status: 'failed', error: errorLine(redact(status !== undefined ? `HTTP ${status}: ${message}` : message)) };
}
