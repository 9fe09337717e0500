// The LLM endpoint client against a real scripted HTTP server: replies, retries, limits, fallbacks and the down state.
import { createServer as httpServer } from 'node:http';
import type { Server } from 'node:http';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LlmEndpoint, LlmUnavailableError } from '../../src/llm/endpoint.js';
import type { ChatRequest, EndpointOptions } from '../../src/llm/endpoint.js';
import { backoffMs, retryAfterMs, retryDelayMs } from '../../src/llm/retry.js';
import { raw, reply, slow, startFakeLlm, status } from '../support/fake-llm.js';
import type { FakeLlm, FakeLlmOptions } from '../support/fake-llm.js';

const KEY = 'sk-test-9f8e7d6c5b4a-never-print-me';

const REQUEST: ChatRequest = {
  messages: [
    { role: 'system', content: 'Classify each tool.' },
    { role: 'user', content: 'Tools: delete_file, read_file' },
  ],
  schema: { type: 'object', properties: { tools: { type: 'array' } }, required: ['tools'], additionalProperties: false },
  schemaName: 'tool_verdicts',
};

const open: { fakes: FakeLlm[]; endpoints: LlmEndpoint[] } = { fakes: [], endpoints: [] };

afterEach(async () => {
  for (const endpoint of open.endpoints.splice(0)) endpoint.close();
  await Promise.all(open.fakes.splice(0).map((fake) => fake.close()));
});

async function fake(options?: FakeLlmOptions): Promise<FakeLlm> {
  const started = await startFakeLlm(options);
  open.fakes.push(started);
  return started;
}

function endpoint(baseURL: string, overrides: Partial<EndpointOptions> = {}): LlmEndpoint {
  const made = new LlmEndpoint({
    model: 'test-model',
    apiKey: KEY,
    baseURL,
    concurrency: 4,
    requestsPerMinute: 0,
    timeoutMs: 2000,
    maxRetries: 3,
    maxRetryDelayMs: 200,
    responseFormat: 'json_schema',
    ...overrides,
  });
  open.endpoints.push(made);
  return made;
}

async function rejection(promise: Promise<unknown>): Promise<LlmUnavailableError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LlmUnavailableError);
  return error as LlmUnavailableError;
}

describe('LlmEndpoint', () => {
  it('returns the assistant text and token usage of a good reply', async () => {
    const server = await fake({ respond: (content) => JSON.stringify({ echoed: content }) });
    const llm = endpoint(server.baseURL);
    const result = await llm.complete(REQUEST);
    expect(JSON.parse(result.text)).toEqual({ echoed: 'Tools: delete_file, read_file' });
    expect(result.promptTokens).toBe(Math.ceil(('Classify each tool.'.length + 'Tools: delete_file, read_file'.length) / 4));
    expect(result.completionTokens).toBe(Math.ceil(result.text.length / 4));
    expect(result.attempts).toBe(1);
    expect(llm.stats).toEqual({ requests: 1, retries: 0, failures: 0 });
  });

  it('sends the model, temperature 0, the messages and a strict json_schema response format', async () => {
    const server = await fake();
    await endpoint(server.baseURL).complete(REQUEST);
    expect(server.requests).toHaveLength(1);
    const sent = server.requests[0]!;
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.headers['authorization']).toBe(`Bearer ${KEY}`);
    expect(sent.body).toEqual({
      model: 'test-model',
      temperature: 0,
      messages: REQUEST.messages,
      response_format: { type: 'json_schema', json_schema: { name: 'tool_verdicts', schema: REQUEST.schema, strict: true } },
    });
  });

  it('sends json_object or no response_format when configured so', async () => {
    const server = await fake();
    await endpoint(server.baseURL, { responseFormat: 'json_object' }).complete(REQUEST);
    await endpoint(server.baseURL, { responseFormat: 'none' }).complete(REQUEST);
    expect(server.requests[0]!.body.response_format).toEqual({ type: 'json_object' });
    expect(server.requests[1]!.body).not.toHaveProperty('response_format');
  });

  it('waits out a 429 with Retry-After: 1 and then succeeds', async () => {
    const server = await fake();
    server.script(status(429, { 'retry-after': '1' }), reply('{"tools":["ok"]}'));
    const llm = endpoint(server.baseURL, { maxRetryDelayMs: 5000 });
    const started = Date.now();
    const result = await llm.complete(REQUEST);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(result.text).toBe('{"tools":["ok"]}');
    expect(result.attempts).toBe(2);
    expect(server.requests).toHaveLength(2);
    expect(llm.stats).toEqual({ requests: 2, retries: 1, failures: 0 });
  });

  it('caps a Retry-After longer than maxRetryDelayMs', async () => {
    const server = await fake();
    server.script(status(503, { 'retry-after': '30' }));
    const started = Date.now();
    const result = await endpoint(server.baseURL, { maxRetryDelayMs: 100 }).complete(REQUEST);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.attempts).toBe(2);
  });

  it('retries a 500 and returns the following success', async () => {
    const server = await fake();
    server.script(status(500), reply('{"tools":[1]}'));
    const llm = endpoint(server.baseURL);
    const result = await llm.complete(REQUEST);
    expect(result.text).toBe('{"tools":[1]}');
    expect(result.attempts).toBe(2);
    expect(server.requests).toHaveLength(2);
    expect(llm.stats.retries).toBe(1);
  });

  it('gives up on replies slower than the timeout, marks the endpoint down and then fails later calls at once', async () => {
    const server = await fake();
    server.script(slow(2000), slow(2000), slow(2000));
    const llm = endpoint(server.baseURL, { timeoutMs: 300, maxRetries: 2 });
    const error = await rejection(llm.complete(REQUEST));
    expect(error.message).toBe('LLM endpoint unavailable: no reply within 300 ms after 3 attempts');
    expect(error.down).toBe(true);
    expect(server.requests).toHaveLength(3);
    expect(llm.downReason).toBe(error.message);

    const started = Date.now();
    const later = await rejection(llm.complete(REQUEST));
    expect(Date.now() - started).toBeLessThan(250);
    expect(later.message).toBe(error.message);
    expect(server.requests).toHaveLength(3);
    expect(llm.stats).toEqual({ requests: 3, retries: 2, failures: 2 });
  });

  it('ends an attempt whose body stalls after the headers', async () => {
    const stalled = httpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"choices": [');
    });
    const port = await listen(stalled);
    try {
      const llm = endpoint(`http://127.0.0.1:${port}/v1`, { timeoutMs: 300, maxRetries: 0 });
      const error = await rejection(llm.complete(REQUEST));
      expect(error.message).toBe('LLM endpoint unavailable: no reply within 300 ms after 1 attempt');
    } finally {
      stalled.closeAllConnections();
      stalled.close();
    }
  });

  it('aborts requests in flight when another request finds the endpoint down', async () => {
    const server = await fake();
    server.script(slow(5000), status(403));
    const llm = endpoint(server.baseURL, { concurrency: 2 });
    const slowCall = llm.complete(REQUEST);
    await until(() => server.requests.length === 1);
    const started = Date.now();
    const refused = await rejection(llm.complete(REQUEST));
    const aborted = await rejection(slowCall);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(refused.message).toBe('LLM endpoint refused the request: 403 Forbidden');
    expect(aborted.message).toBe(refused.message);
    expect(llm.stats).toEqual({ requests: 2, retries: 0, failures: 2 });
  });

  it('fails requests still waiting in the queue once the endpoint is judged down', async () => {
    const server = await fake();
    server.script(status(503));
    // One request a minute: the queued calls could only end promptly by being failed.
    const llm = endpoint(server.baseURL, { requestsPerMinute: 1, maxRetries: 0 });
    const started = Date.now();
    const calls = [llm.complete(REQUEST), llm.complete(REQUEST), llm.complete(REQUEST)];
    const errors = await Promise.all(calls.map(rejection));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(llm.downReason).toBe('LLM endpoint unavailable: 503 Service Unavailable after 1 attempt');
    for (const error of errors) {
      expect(error.message).toBe(llm.downReason);
      expect(error.down).toBe(true);
    }
    expect(server.requests).toHaveLength(1);
    expect(llm.stats).toEqual({ requests: 1, retries: 0, failures: 3 });
  });

  it('fails at once on 401 without retrying and judges the endpoint down', async () => {
    const server = await fake();
    server.script(status(401, {}, { error: { message: `Incorrect API key provided: ${KEY}`, type: 'invalid_request_error' } }));
    const llm = endpoint(server.baseURL);
    const error = await rejection(llm.complete(REQUEST));
    expect(error.message).toBe('LLM endpoint refused the request: 401 Unauthorized');
    expect(error.status).toBe(401);
    expect(server.requests).toHaveLength(1);
    expect(llm.stats.retries).toBe(0);
    expect(llm.downReason).toBe(error.message);
    await rejection(llm.complete(REQUEST));
    expect(server.requests).toHaveLength(1);
  });

  it('fails one request on another 4xx without judging the endpoint down, and never shows the key', async () => {
    const server = await fake();
    server.script(status(422, {}, { error: { message: `context too long for key ${KEY}\n\u001b[31mred` } }));
    const llm = endpoint(server.baseURL);
    const error = await rejection(llm.complete(REQUEST));
    expect(error.message).toMatch(/^LLM endpoint rejected the request: 422 Unprocessable Entity \(context too long/);
    expect(error.message).not.toContain(KEY);
    expect(error.message).not.toMatch(/[\n\u001b]/);
    expect(error.down).toBe(false);
    expect(llm.downReason).toBeUndefined();
    expect((await llm.complete(REQUEST)).attempts).toBe(1);
    expect(JSON.stringify(llm.stats)).not.toContain(KEY);
  });

  it('idle() waits for calls that are backing off before a retry', async () => {
    const server = await fake();
    server.script(status(502));
    const llm = endpoint(server.baseURL, { maxRetryDelayMs: 150 });
    let settled = false;
    void llm.complete(REQUEST).then(() => (settled = true));
    await llm.idle();
    expect(settled).toBe(true);
    expect(server.requests).toHaveLength(2);
  });

  it('never holds more than `concurrency` requests at the server at once', async () => {
    const server = await fake({ latencyMs: 300 });
    const llm = endpoint(server.baseURL, { concurrency: 2 });
    const results = await Promise.all(Array.from({ length: 6 }, () => llm.complete(REQUEST)));
    expect(results).toHaveLength(6);
    expect(server.requests).toHaveLength(6);
    expect(server.maxInFlight).toBe(2);
  });

  it('does not start more than requestsPerMinute requests in a minute', async () => {
    const server = await fake();
    const llm = endpoint(server.baseURL, { requestsPerMinute: 2 });
    const first = llm.complete(REQUEST);
    const second = llm.complete(REQUEST);
    const third = llm.complete(REQUEST);
    await Promise.all([first, second]);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(server.requests).toHaveLength(2);
    llm.close();
    const error = await rejection(third);
    expect(error.message).toBe('LLM endpoint closed');
    expect(server.requests).toHaveLength(2);
  });

  it('falls back from json_schema to json_object on a 400 naming response_format, and remembers it', async () => {
    const server = await fake();
    server.script(status(400, {}, { error: { message: "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model." } }));
    const llm = endpoint(server.baseURL);
    const result = await llm.complete(REQUEST);
    expect(result.attempts).toBe(2);
    expect(server.requests[0]!.body.response_format.type).toBe('json_schema');
    expect(server.requests[1]!.body.response_format).toEqual({ type: 'json_object' });
    await llm.complete(REQUEST);
    expect(server.requests[2]!.body.response_format).toEqual({ type: 'json_object' });
    expect(llm.responseFormat).toBe('json_object');
    expect(llm.stats.retries).toBe(0);
  });

  it('falls back to no response_format when json_object is refused too', async () => {
    const server = await fake();
    const unsupported = status(400, {}, { error: { message: 'response_format is not supported' } });
    server.script(unsupported, unsupported);
    const llm = endpoint(server.baseURL);
    expect((await llm.complete(REQUEST)).attempts).toBe(3);
    expect(server.requests[2]!.body).not.toHaveProperty('response_format');
    expect(llm.responseFormat).toBe('none');
  });

  it('returns empty text for a reply with no choices, no content or a body that is not JSON', async () => {
    const server = await fake();
    server.script(
      status(200, {}, { id: 'x', object: 'chat.completion', choices: [] }),
      status(200, {}, { choices: [{ index: 0, message: { role: 'assistant', content: null } }] }),
      raw('{"choices": [ broken'),
    );
    const llm = endpoint(server.baseURL);
    for (let i = 0; i < 3; i += 1) {
      expect(await llm.complete(REQUEST)).toEqual({ text: '', promptTokens: 0, completionTokens: 0, attempts: 1 });
    }
    expect(llm.stats).toEqual({ requests: 3, retries: 0, failures: 0 });
  });

  it('fails a request whose reply is larger than maxReplyBytes', async () => {
    const server = await fake();
    server.script(reply('x'.repeat(5000)));
    const llm = endpoint(server.baseURL, { maxReplyBytes: 1000 });
    const error = await rejection(llm.complete(REQUEST));
    expect(error.message).toBe('LLM endpoint reply exceeded 1000 bytes');
    expect(error.down).toBe(false);
  });

  it('retries a refused connection and reports it when the endpoint stays unreachable', async () => {
    const port = await closedPort();
    const llm = endpoint(`http://127.0.0.1:${port}/v1`, { maxRetries: 2, maxRetryDelayMs: 20 });
    const error = await rejection(llm.complete(REQUEST));
    expect(error.message).toBe('LLM endpoint unavailable: connection failed (ECONNREFUSED) after 3 attempts');
    expect(llm.stats).toEqual({ requests: 3, retries: 2, failures: 1 });
  });

  it('reaches an Azure deployment path with the api-version and an api-key header', async () => {
    const server = await fake();
    const llm = endpoint(server.baseURL, {
      baseURL: undefined,
      azure: { endpoint: `${server.origin}/`, apiVersion: '2024-10-21', deployment: 'risk-dep' },
    });
    const result = await llm.complete(REQUEST);
    expect(result.text).toBe('{"tools":[]}');
    const sent = server.requests[0]!;
    expect(sent.path).toBe('/openai/deployments/risk-dep/chat/completions');
    expect(sent.url).toContain('api-version=2024-10-21');
    expect(sent.headers['api-key']).toBe(KEY);
  });

  it('ignores the OPENAI_* environment variables the openai package would read', async () => {
    const server = await fake();
    const saved = { ...process.env };
    Object.assign(process.env, {
      OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
      OPENAI_ORG_ID: 'org-from-env',
      OPENAI_PROJECT_ID: 'proj-from-env',
      OPENAI_CUSTOM_HEADERS: 'x-from-env: 1',
    });
    let llm: LlmEndpoint;
    try {
      llm = endpoint(server.baseURL);
    } finally {
      for (const name of ['OPENAI_BASE_URL', 'OPENAI_ORG_ID', 'OPENAI_PROJECT_ID', 'OPENAI_CUSTOM_HEADERS']) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    }
    await llm.complete(REQUEST);
    const headers = server.requests[0]!.headers;
    expect(headers['openai-organization']).toBeUndefined();
    expect(headers['openai-project']).toBeUndefined();
    expect(headers['x-from-env']).toBeUndefined();
  });
});

describe('retry timing', () => {
  it('reads retry-after-ms, Retry-After seconds and Retry-After dates', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '250' }), now)).toBe(250);
    expect(retryAfterMs(new Headers({ 'retry-after': '2' }), now)).toBe(2000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:03 GMT' }), now)).toBe(3000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'Tue, 31 Dec 2024 23:00:00 GMT' }), now)).toBe(0);
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(retryAfterMs(new Headers(), now)).toBeUndefined();
  });

  it('backs off exponentially with full jitter under the cap', () => {
    expect(backoffMs(0, 10_000, () => 0.999)).toBe(499);
    expect(backoffMs(3, 10_000, () => 0.5)).toBe(2000);
    expect(backoffMs(10, 1500, () => 0.999)).toBeLessThan(1500);
    expect(backoffMs(2, 10_000, () => 0)).toBe(0);
    expect(retryDelayMs(0, 700, new Headers({ 'retry-after': '60' }))).toBe(700);
  });
});

/** A port nothing listens on: bound once, then released. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
