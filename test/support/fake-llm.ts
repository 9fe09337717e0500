// A scripted OpenAI-compatible chat completions server on 127.0.0.1, for tests and the benchmark.
import { createServer, STATUS_CODES } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  /** Path without the query, e.g. /v1/chat/completions. */
  path: string;
  /** Path with the query, e.g. /openai/deployments/d/chat/completions?api-version=2024-10-21. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  // The parsed JSON the client sent: tests reach into it freely, and a shape here would only restate it.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface FakeReply {
  status?: number;
  headers?: Record<string, string>;
  /** object → JSON; string → sent raw; undefined → the default responder (2xx) or an OpenAI-style error body. */
  body?: unknown;
  delayMs?: number;
}

export type Step = (request: RecordedRequest, index: number) => FakeReply | Promise<FakeReply>;

export interface FakeLlm {
  /** e.g. http://127.0.0.1:PORT/v1 */
  baseURL: string;
  /** e.g. http://127.0.0.1:PORT (an Azure `endpoint`) */
  origin: string;
  /** Every POST received, in order. */
  requests: RecordedRequest[];
  /** Chat requests being answered right now, and the most there ever were at once. */
  readonly inFlight: number;
  readonly maxInFlight: number;
  /** Queue scripted steps; each chat request consumes one; when the queue is empty the default responder answers. */
  script(...steps: Step[]): void;
  close(): Promise<void>;
}

export interface FakeLlmOptions {
  /** Delay before every answer (the benchmark uses 200 ms). */
  latencyMs?: number;
  /** Assistant content for a request; `content` is the text of its user messages joined by newlines. */
  respond?: (content: string, request: RecordedRequest) => string;
}

const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

/** Builds a chat.completion body with the given assistant content and an approximate usage block. */
export function completion(request: RecordedRequest, content: string): object {
  const messages: unknown[] = Array.isArray(request.body?.messages) ? request.body.messages : [];
  const promptChars = messages.reduce<number>((sum, m) => sum + messageText(m).length, 0);
  const promptTokens = Math.ceil(promptChars / 4);
  const completionTokens = Math.ceil(content.length / 4);
  return {
    id: `chatcmpl-fake-${Math.random().toString(36).slice(2, 10)}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: typeof request.body?.model === 'string' ? request.body.model : 'fake-model',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content, refusal: null },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
  };
}

/** A 200 with this assistant content. */
export function reply(content: string): Step {
  return (request) => ({ body: completion(request, content) });
}

/** An HTTP status with optional headers and body (default: an OpenAI-style error object). */
export function status(code: number, headers: Record<string, string> = {}, body?: unknown): Step {
  return () => ({ status: code, headers, body: body ?? errorBody(code) });
}

/** The default responder's answer, after `ms`. */
export function slow(ms: number): Step {
  return () => ({ delayMs: ms });
}

/** A 200 whose body is this text as is (e.g. broken JSON). */
export function raw(text: string, contentType = 'application/json'): Step {
  return () => ({ status: 200, headers: { 'content-type': contentType }, body: text });
}

export function startFakeLlm(options: FakeLlmOptions = {}): Promise<FakeLlm> {
  const requests: RecordedRequest[] = [];
  const steps: Step[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const respond = options.respond ?? (() => '{"tools":[]}');

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = req.url ?? '/';
    const path = url.split('?')[0] ?? '/';
    if (req.method !== 'POST') {
      send(res, { status: 404, body: errorBody(404) });
      return;
    }
    const text = await readBody(req);
    if (text === undefined) {
      send(res, { status: 413, body: errorBody(413) });
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    const recorded: RecordedRequest = { path, url, headers: { ...req.headers }, body };
    const index = requests.length;
    requests.push(recorded);
    if (!path.endsWith('/chat/completions')) {
      send(res, { status: 404, body: errorBody(404) });
      return;
    }
    if (typeof body !== 'object' || body === null) {
      send(res, { status: 400, body: errorBody(400, 'request body is not JSON') });
      return;
    }
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      const step = steps.shift();
      const answer: FakeReply = step ? await step(recorded, index) : {};
      const delay = (options.latencyMs ?? 0) + (answer.delayMs ?? 0);
      if (delay > 0) await wait(delay, res);
      const code = answer.status ?? 200;
      const finalBody = answer.body !== undefined ? answer.body : code < 300 ? completion(recorded, respond(userText(recorded), recorded)) : errorBody(code);
      send(res, { status: code, headers: answer.headers ?? {}, body: finalBody });
    } finally {
      inFlight -= 1;
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      send(res, { status: 500, body: errorBody(500, error instanceof Error ? error.message : String(error)) });
    });
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      const origin = `http://127.0.0.1:${port}`;
      resolve({
        baseURL: `${origin}/v1`,
        origin,
        requests,
        get inFlight() {
          return inFlight;
        },
        get maxInFlight() {
          return maxInFlight;
        },
        script: (...more: Step[]) => {
          steps.push(...more);
        },
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // Keep-alive sockets from the client would otherwise hold close() open.
            server.closeAllConnections();
          }),
      });
    });
  });
}

function errorBody(code: number, message?: string): object {
  return {
    error: {
      message: message ?? STATUS_CODES[code] ?? `HTTP ${code}`,
      type: code === 429 ? 'rate_limit_error' : code >= 500 ? 'server_error' : 'invalid_request_error',
      param: null,
      code: null,
    },
  };
}

function send(res: ServerResponse, reply: FakeReply): void {
  if (res.destroyed || res.headersSent) return;
  const isText = typeof reply.body === 'string';
  const payload = isText ? (reply.body as string) : JSON.stringify(reply.body ?? {});
  const headers: Record<string, string> = { 'content-type': isText ? 'text/plain' : 'application/json', ...(reply.headers ?? {}) };
  res.writeHead(reply.status ?? 200, headers);
  res.end(payload);
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_REQUEST_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_REQUEST_BYTES ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Waits `ms`, or less if the client hung up meanwhile (nothing left to answer). */
function wait(ms: number, res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    }
    res.on('close', done);
  });
}

function messageText(message: unknown): string {
  const content = (message as { content?: unknown } | null)?.content;
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((part) => (typeof (part as { text?: unknown })?.text === 'string' ? (part as { text: string }).text : '')).join('');
  }
  return '';
}

function userText(request: RecordedRequest): string {
  const messages: unknown[] = Array.isArray(request.body?.messages) ? request.body.messages : [];
  return messages
    .filter((m) => (m as { role?: unknown } | null)?.role === 'user')
    .map(messageText)
    .join('\n');
}
