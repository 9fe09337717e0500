// Sends chat requests to one OpenAI-compatible endpoint under shared limits, retrying transient failures until it is judged down.
import { setMaxListeners } from 'node:events';
import { STATUS_CODES } from 'node:http';
import { APIConnectionError, APIConnectionTimeoutError, APIError, AzureOpenAI, OpenAI } from 'openai';
import type { ClientOptions } from 'openai';
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import PQueue from 'p-queue';
import { oneLine } from '../output/safe-text.js';
import { plural } from '../output/plural.js';
import { isTransientStatus, retryDelayMs, sleep } from './retry.js';

export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

export interface ChatRequest {
  messages: ChatMessage[];
  /** JSON schema the reply must follow; sent as response_format json_schema (strict) when the endpoint supports it. */
  schema: Record<string, unknown>;
  /** Sent as json_schema.name; OpenAI requires ^[a-zA-Z0-9_-]{1,64}$. */
  schemaName: string;
}

export interface ChatReply {
  /** The assistant content; '' when the reply had no choices, no content, or a body that was not JSON. */
  text: string;
  promptTokens: number;
  completionTokens: number;
  /** HTTP attempts this request took, including retries and response_format fallbacks. */
  attempts: number;
}

export type ResponseFormatMode = 'json_schema' | 'json_object' | 'none';

export interface EndpointOptions {
  model: string;
  /** May be a dummy for local servers (an empty key is sent as a placeholder); never logged, never in an error message. */
  apiKey: string;
  /** OpenAI-compatible base URL, e.g. http://127.0.0.1:8080/v1; defaults to https://api.openai.com/v1. */
  baseURL?: string;
  /** Use AzureOpenAI instead; `endpoint` is the resource URL, e.g. https://example.openai.azure.com. */
  azure?: { endpoint: string; apiVersion: string; deployment: string };
  concurrency: number;
  /** Requests started in any rolling 60 s window; 0 = unlimited. */
  requestsPerMinute: number;
  /** Per attempt, from leaving the queue to the whole body read. */
  timeoutMs: number;
  /** Extra attempts after the first on 429 / 408 / 409 / 5xx / timeout / connection error. */
  maxRetries: number;
  /** Cap for one backoff or Retry-After wait. */
  maxRetryDelayMs: number;
  responseFormat: ResponseFormatMode;
  /** Largest reply body read, in bytes; default 4 MiB. A larger reply fails that request. */
  maxReplyBytes?: number;
}

export interface EndpointStats {
  /** HTTP attempts made. */
  requests: number;
  /** Attempts that were retries after a transient failure. */
  retries: number;
  /** complete() calls that rejected. */
  failures: number;
}

export const DEFAULT_MAX_REPLY_BYTES = 4 * 1024 * 1024;

/** The only error complete() rejects with; `message` is one line a user can read. */
export class LlmUnavailableError extends Error {
  /** HTTP status of the last answer, when there was one. */
  readonly status: number | undefined;
  /** True when the endpoint as a whole is judged down (later requests fail the same way), false for one failed request. */
  readonly down: boolean;

  constructor(reason: string, options: { status?: number; down?: boolean } = {}) {
    super(reason);
    this.name = 'LlmUnavailableError';
    this.status = options.status;
    this.down = options.down ?? false;
  }

  get reason(): string {
    return this.message;
  }
}

/** What one attempt came to; only an abort of the whole endpoint is thrown instead. */
type Outcome =
  | { kind: 'reply'; reply: Omit<ChatReply, 'attempts'> }
  | { kind: 'format' }
  | { kind: 'transient'; what: string; status?: number; headers?: Headers }
  | { kind: 'refused'; reason: string; status: number }
  | { kind: 'failed'; reason: string; status?: number };

class ReplyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`reply larger than ${limit} bytes`);
  }
}

const NEXT_FORMAT: Record<ResponseFormatMode, ResponseFormatMode> = {
  json_schema: 'json_object',
  json_object: 'none',
  none: 'none',
};

const DETAIL_MAX = 200;

/** One signal that every queued, waiting and in-flight call listens to; a refresh has hundreds at once. */
function lifeController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}

export class LlmEndpoint {
  private readonly options: EndpointOptions;
  private readonly client: OpenAI;
  private readonly queue: PQueue;
  /** Aborted with the down or closed error; every queued task, sleep and attempt listens to it. */
  private readonly life = lifeController();
  private readonly counters: EndpointStats = { requests: 0, retries: 0, failures: 0 };
  private readonly pending = new Set<Promise<unknown>>();
  private format: ResponseFormatMode;
  private downError: LlmUnavailableError | undefined;

  constructor(options: EndpointOptions) {
    this.options = options;
    this.format = options.responseFormat;
    this.client = makeClient(options);
    const rpm = options.requestsPerMinute;
    this.queue = new PQueue({
      concurrency: Math.max(1, Math.floor(options.concurrency)),
      // Strict (sliding window) so a burst at a window boundary cannot double the rate a provider sees.
      ...(rpm > 0 ? { intervalCap: Math.floor(rpm), interval: 60_000, strict: true } : {}),
    });
  }

  get stats(): EndpointStats {
    return { ...this.counters };
  }

  get downReason(): string | undefined {
    return this.downError?.message;
  }

  /** The response_format currently sent (it only ever steps down after a 400 that names it). */
  get responseFormat(): ResponseFormatMode {
    return this.format;
  }

  complete(request: ChatRequest): Promise<ChatReply> {
    const call = this.settle(request);
    const settled = call.then(
      () => undefined,
      () => undefined,
    );
    this.pending.add(settled);
    void settled.then(() => this.pending.delete(settled));
    return call;
  }

  private async settle(request: ChatRequest): Promise<ChatReply> {
    try {
      return await this.run(request);
    } catch (error) {
      this.counters.failures += 1;
      if (error instanceof LlmUnavailableError) throw error;
      throw new LlmUnavailableError(`LLM request failed: ${describeUnexpected(error, this.options.apiKey)}`);
    }
  }

  /** Resolves once every complete() call made so far has settled (including any waiting out a backoff). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** Stops at once: queued, sleeping and in-flight calls reject with "LLM endpoint closed", later calls too. */
  close(): void {
    if (!this.life.signal.aborted) this.life.abort(new LlmUnavailableError('LLM endpoint closed'));
    this.queue.clear();
  }

  private async run(request: ChatRequest): Promise<ChatReply> {
    let attempts = 0;
    let retries = 0;
    for (;;) {
      this.throwIfStopped();
      const format = this.format;
      attempts += 1;
      // Retries and fallbacks jump the line: their caller has waited longest.
      const outcome = await this.queue.add(() => this.attempt(request, format), {
        signal: this.life.signal,
        priority: attempts > 1 ? 1 : 0,
      });
      switch (outcome.kind) {
        case 'reply':
          return { ...outcome.reply, attempts };
        case 'format':
          // Only step down if no concurrent request already did, so one 400 costs one step.
          if (this.format === format) this.format = NEXT_FORMAT[format];
          continue;
        case 'refused':
          throw this.markDown(outcome.reason, outcome.status);
        case 'failed':
          throw new LlmUnavailableError(outcome.reason, outcomeStatus(outcome.status));
        case 'transient': {
          if (retries >= this.options.maxRetries) {
            throw this.markDown(`LLM endpoint unavailable: ${outcome.what} after ${plural(attempts, 'attempt')}`, outcome.status);
          }
          const wait = retryDelayMs(retries, this.options.maxRetryDelayMs, outcome.headers);
          retries += 1;
          this.counters.retries += 1;
          // Outside the queue, so a sleeping retry holds no concurrency slot.
          await sleep(wait, this.life.signal);
          continue;
        }
      }
    }
  }

  private async attempt(request: ChatRequest, format: ResponseFormatMode): Promise<Outcome> {
    this.throwIfStopped();
    this.counters.requests += 1;
    const timeoutMs = Math.max(1, Math.round(this.options.timeoutMs));
    // Our own timer covers the body read too; the client's `timeout` stops at the headers.
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onStop = (): void => controller.abort();
    this.life.signal.addEventListener('abort', onStop, { once: true });
    try {
      const completion = await this.client.chat.completions.create(requestBody(this.options.model, request, format), {
        timeout: timeoutMs,
        signal: controller.signal,
        maxRetries: 0,
      });
      return { kind: 'reply', reply: readCompletion(completion) };
    } catch (error) {
      this.throwIfStopped();
      if (timedOut || error instanceof APIConnectionTimeoutError) {
        return { kind: 'transient', what: `no reply within ${timeoutMs} ms` };
      }
      return this.classify(error, format);
    } finally {
      clearTimeout(timer);
      this.life.signal.removeEventListener('abort', onStop);
    }
  }

  private classify(error: unknown, format: ResponseFormatMode): Outcome {
    const tooLarge = findCause(error, (e): e is ReplyTooLargeError => e instanceof ReplyTooLargeError);
    if (tooLarge) return { kind: 'failed', reason: `LLM endpoint reply exceeded ${tooLarge.limit} bytes` };
    if (error instanceof APIError && typeof error.status === 'number') {
      const status = error.status;
      const line = statusLine(status);
      if (isTransientStatus(status)) return { kind: 'transient', what: line, status, headers: error.headers };
      if (status === 401 || status === 403) {
        // No server text here: an auth failure is where a server is most likely to echo the key back.
        return { kind: 'refused', reason: `LLM endpoint refused the request: ${line}`, status };
      }
      const detail = serverDetail(error, this.options.apiKey);
      if (status === 404) {
        return { kind: 'refused', reason: `LLM endpoint refused the request: ${line}${detail ? ` (${detail})` : ''}`, status };
      }
      if (status === 400 && format !== 'none' && mentionsResponseFormat(error)) return { kind: 'format' };
      return { kind: 'failed', reason: `LLM endpoint rejected the request: ${line}${detail ? ` (${detail})` : ''}`, status };
    }
    if (error instanceof APIConnectionError) {
      const code = errorCode(error);
      return { kind: 'transient', what: `connection failed${code ? ` (${code})` : ''}` };
    }
    // A 200 whose body is not JSON: an invalid reply for the caller's parser, not an outage.
    if (error instanceof SyntaxError) {
      return { kind: 'reply', reply: { text: '', promptTokens: 0, completionTokens: 0 } };
    }
    return { kind: 'failed', reason: `LLM request failed: ${describeUnexpected(error, this.options.apiKey)}` };
  }

  /** Judges the endpoint down (first reason wins) and stops everything waiting on it. */
  private markDown(reason: string, status?: number): LlmUnavailableError {
    const error = new LlmUnavailableError(reason, { ...outcomeStatus(status), down: true });
    if (this.downError === undefined && !this.life.signal.aborted) {
      this.downError = error;
      this.life.abort(error);
      this.queue.clear();
    }
    return error;
  }

  private throwIfStopped(): void {
    if (this.life.signal.aborted) throw this.life.signal.reason;
  }
}

function makeClient(options: EndpointOptions): OpenAI {
  // The client must not pick anything up from our environment: every value it would read is given here.
  const apiKey = options.apiKey === '' ? 'no-key' : options.apiKey;
  const common: Omit<ClientOptions, 'provider' | 'apiKey'> = {
    adminAPIKey: null,
    organization: null,
    project: null,
    webhookSecret: null,
    maxRetries: 0,
    timeout: Math.max(1, Math.round(options.timeoutMs)),
    logLevel: 'off',
    defaultHeaders: cancelEnvHeaders(),
    fetch: cappedFetch(options.maxReplyBytes ?? DEFAULT_MAX_REPLY_BYTES),
  };
  if (options.azure) {
    const { endpoint, apiVersion, deployment } = options.azure;
    return new AzureOpenAI({
      ...common,
      apiKey,
      // baseURL rather than `endpoint`, so OPENAI_BASE_URL in the environment can neither win nor conflict.
      baseURL: `${endpoint.replace(/\/+$/, '')}/openai`,
      apiVersion,
      deployment,
    });
  }
  return new OpenAI({ ...common, apiKey, baseURL: options.baseURL ?? 'https://api.openai.com/v1' });
}

/** The openai package adds headers from OPENAI_CUSTOM_HEADERS on its own; a null default header removes each. */
function cancelEnvHeaders(): Record<string, null> {
  const cancelled: Record<string, null> = {};
  for (const line of (process.env['OPENAI_CUSTOM_HEADERS'] ?? '').split('\n')) {
    const colon = line.indexOf(':');
    const name = colon >= 0 ? line.slice(0, colon).trim() : '';
    if (name !== '') cancelled[name] = null;
  }
  return cancelled;
}

/** fetch that refuses to read more than `limit` bytes of a body: a reply is hostile text. */
function cappedFetch(limit: number): (input: string | URL | Request, init?: RequestInit) => Promise<Response> {
  return async (input, init) => {
    const response = await fetch(input, init);
    if (response.body === null || [101, 204, 205, 304].includes(response.status)) return response;
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > limit) {
      await response.body.cancel().catch(() => undefined);
      throw new ReplyTooLargeError(limit);
    }
    let seen = 0;
    const counter = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, stream) {
        seen += chunk.byteLength;
        if (seen > limit) stream.error(new ReplyTooLargeError(limit));
        else stream.enqueue(chunk);
      },
    });
    return new Response(response.body.pipeThrough(counter), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

function requestBody(model: string, request: ChatRequest, format: ResponseFormatMode): ChatCompletionCreateParamsNonStreaming {
  const body: ChatCompletionCreateParamsNonStreaming = {
    model,
    messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
    temperature: 0,
  };
  if (format === 'json_schema') {
    body.response_format = {
      type: 'json_schema',
      json_schema: { name: request.schemaName, schema: request.schema, strict: true },
    };
  } else if (format === 'json_object') {
    body.response_format = { type: 'json_object' };
  }
  return body;
}

/** Tolerates servers that leave fields out: no choices or no content is an empty reply, missing usage is 0. */
function readCompletion(completion: ChatCompletion | unknown): Omit<ChatReply, 'attempts'> {
  const value = (typeof completion === 'object' && completion !== null ? completion : {}) as Partial<ChatCompletion>;
  const choice = Array.isArray(value.choices) ? value.choices[0] : undefined;
  const content: unknown = choice?.message?.content;
  const usage = (typeof value.usage === 'object' && value.usage !== null ? value.usage : {}) as {
    prompt_tokens?: unknown;
    completion_tokens?: unknown;
  };
  return {
    text: typeof content === 'string' ? content : '',
    promptTokens: count(usage.prompt_tokens),
    completionTokens: count(usage.completion_tokens),
  };
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.floor(value) : 0;
}

function statusLine(status: number): string {
  const text = STATUS_CODES[status];
  return text ? `${status} ${text}` : String(status);
}

function mentionsResponseFormat(error: APIError): boolean {
  let text = error.message;
  try {
    text += JSON.stringify(error.error ?? '').slice(0, 4000);
  } catch {
    // An unserialisable body adds nothing to look at.
  }
  return /response[_ ]format|json[_ ]schema/i.test(text);
}

/** The server's own message for a failed request: bounded, one line, with the key cut out. */
function serverDetail(error: APIError, apiKey: string): string {
  const body = error.error as { message?: unknown } | undefined;
  const raw = typeof body?.message === 'string' ? body.message : error.message.replace(/^\d{3}\s*/, '');
  if (/^(status code )?\(no body\)$/i.test(raw.trim())) return '';
  return clean(raw, apiKey);
}

function describeUnexpected(error: unknown, apiKey: string): string {
  if (error instanceof Error) return clean(`${error.name}: ${error.message}`, apiKey);
  return clean(String(error), apiKey);
}

function clean(text: string, apiKey: string): string {
  let out = text;
  if (apiKey.length >= 4) out = out.split(apiKey).join('[redacted]');
  return oneLine(out, DETAIL_MAX);
}

/** The system error code (ECONNREFUSED, UND_ERR_SOCKET, ...) somewhere down a connection error's causes. */
function errorCode(error: unknown): string | undefined {
  const found = findCause(
    error,
    (e): e is { code: string } =>
      typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test((e as { code: string }).code),
  );
  return found?.code;
}

function findCause<T>(error: unknown, match: (e: unknown) => e is T): T | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current !== undefined && current !== null; depth += 1) {
    if (match(current)) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function outcomeStatus(status: number | undefined): { status?: number } {
  return status === undefined ? {} : { status };
}
