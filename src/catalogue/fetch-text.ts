// Fetches a page or an API response as text, bounded in time and size, with one clear error line on failure.
import { readFileSync, statSync } from 'node:fs';
import { McpRiskError } from '../model/index.js';
import { displayName } from './clean-text.js';

export interface FetchTextOptions {
  /** The whole request, body included; default 30000. */
  timeoutMs?: number;
  /** Reading stops with an error past this many bytes; default 10 MB. */
  maxBytes?: number;
  /** Sent as `accept`; default any. */
  accept?: string;
}

export type FetchTextFn = (url: string, options?: FetchTextOptions) => Promise<string>;

export const DEFAULT_FETCH_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_BYTES = 10_000_000;

const SECRET_PARAM = /key|token|secret|auth|pass|sig|session|cred/i;

/** The URL as it may appear in a message: no credentials or secret-looking query values, bounded. */
function shownUrl(url: URL): string {
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  for (const key of [...copy.searchParams.keys()]) if (SECRET_PARAM.test(key)) copy.searchParams.set(key, '***');
  return displayName(copy.href, 200);
}

function parseUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new McpRiskError('USAGE', `${displayName(url, 200)} is not a valid URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new McpRiskError('USAGE', `${shownUrl(parsed)}: only http and https URLs can be fetched`);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new McpRiskError('USAGE', `${shownUrl(parsed)}: a user name or password in the URL is not supported`);
  }
  return parsed;
}

function tooLarge(shown: string, maxBytes: number): McpRiskError {
  return new McpRiskError('INPUT_INVALID', `${shown}: the response is larger than ${maxBytes} bytes`, {
    hint: 'Raise the size limit if the page is genuine.',
  });
}

async function readBounded(response: Response, shown: string, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(shown, maxBytes);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body?.getReader();
  if (reader === undefined) return new Uint8Array();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    // Stop reading here rather than buffer a hostile endless body.
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(shown, maxBytes);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

function isTimeout(error: unknown, signal: AbortSignal): boolean {
  return signal.aborted || (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'));
}

/** Why a network failure happened, in a few words (undici hides the reason in `cause`). */
function networkReason(error: unknown, url: URL): string {
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const reason =
    typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : error instanceof Error ? error.message : String(error);
  // Some messages quote the whole URL, query secrets included; the message names it already.
  return displayName(reason.split(url.href).join('the URL'), 120);
}

/**
 * GETs `url` and returns the body as UTF-8 text. Only http and https; the timeout covers the body too.
 * A 404, any other non-2xx status, a network failure or a timeout is an `INPUT_NOT_FOUND` naming the URL.
 */
export async function fetchText(url: string, options: FetchTextOptions = {}): Promise<string> {
  const parsed = parseUrl(url);
  const shown = shownUrl(parsed);
  const timeoutMs = options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(parsed, { signal, redirect: 'follow', headers: { accept: options.accept ?? '*/*' } });
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      const status = `${response.status}${response.statusText === '' ? '' : ` ${displayName(response.statusText, 40)}`}`;
      throw new McpRiskError('INPUT_NOT_FOUND', `${shown}: HTTP ${status}`, {
        hint: response.status === 404 ? 'Check the URL.' : 'Try again later, or check the URL.',
      });
    }
    const body = await readBounded(response, shown, maxBytes);
    return new TextDecoder('utf-8').decode(body);
  } catch (error) {
    if (error instanceof McpRiskError) throw error;
    if (isTimeout(error, signal)) {
      throw new McpRiskError('INPUT_NOT_FOUND', `${shown}: no complete answer within ${timeoutMs} ms`, {
        cause: error,
        hint: 'Try again, or raise the timeout.',
      });
    }
    throw new McpRiskError('INPUT_NOT_FOUND', `${shown}: cannot be fetched (${networkReason(error, parsed)})`, {
      cause: error,
      hint: 'Check the URL and the network.',
    });
  }
}

/**
 * Reads a page from a file or an http(s) URL, with the same size bound. `pageUrl` is the URL when it
 * was fetched, so relative links in it can be resolved.
 */
export async function readTextSource(
  fileOrUrl: string,
  options: FetchTextOptions & { fetchText?: FetchTextFn } = {},
): Promise<{ text: string; pageUrl?: string }> {
  if (/^https?:\/\//i.test(fileOrUrl)) return { text: await (options.fetchText ?? fetchText)(fileOrUrl, options), pageUrl: fileOrUrl };
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  try {
    const size = statSync(fileOrUrl).size;
    if (size > maxBytes) throw tooLarge(fileOrUrl, maxBytes);
    return { text: readFileSync(fileOrUrl, 'utf8') };
  } catch (error) {
    if (error instanceof McpRiskError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new McpRiskError('INPUT_NOT_FOUND', `${fileOrUrl}: ${code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? 'unknown error'})`}`, {
      cause: error,
    });
  }
}
