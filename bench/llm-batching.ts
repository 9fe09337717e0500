// LLM second opinion at catalogue scale against our fake OpenAI-compatible server with 200 ms latency:
// 500 tools across 20 servers, batched vs one request per tool, then a second run that must hit the cache.
// Run directly: node --import tsx bench/llm-batching.ts
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LlmEndpoint, loadPrompt } from '../src/llm/index.js';
import type { ToolDefinition, ServerSnapshot } from '../src/model/index.js';
import { toToolRecord } from '../src/model/index.js';
import { analyseAndStore } from '../src/pipeline/analyse.js';
import type { LlmContext } from '../src/pipeline/analyse.js';
import { openStore } from '../src/store/index.js';
import { startFakeLlm } from '../test/support/fake-llm.js';
import { fakeModel } from '../test/support/fake-model.js';

export const SERVERS = 20;
export const TOOLS_PER_SERVER = 25;
export const LATENCY_MS = 200;
export const CONCURRENCY = 4;
export const BATCH = 20;
/** Batching must cut prompt tokens per tool at least this much. */
export const TARGET_RATIO = 3;

export interface LlmRunFigures {
  wallMs: number;
  requests: number;
  promptTokens: number;
  promptTokensPerTool: number;
}

export interface LlmBenchmarkResult {
  tools: number;
  batched: LlmRunFigures;
  unbatched: LlmRunFigures;
  second: LlmRunFigures;
  ratio: number;
  pass: boolean;
}

/** 20 servers of 25 real tool definitions each, taken from the captured fixtures. */
function buildServers(): ServerSnapshot[] {
  const dir = new URL('../test/fixtures/servers/', import.meta.url);
  const pool: ToolDefinition[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    pool.push(...(JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as { tools: ToolDefinition[] }).tools);
  }
  return Array.from({ length: SERVERS }, (_, s) => {
    const tools = Array.from({ length: TOOLS_PER_SERVER }, (_, i) => {
      const t = pool[(s * TOOLS_PER_SERVER + i) % pool.length]!;
      return toToolRecord({ ...t, name: `${t.name}_${s}` });
    });
    return {
      name: `bench-server-${s}`,
      source: { kind: 'manifest', target: `bench-${s}.json` },
      status: 'ok',
      tools,
      findings: [],
      startedAt: new Date().toISOString(),
      durationMs: 0,
    } satisfies ServerSnapshot;
  });
}

export async function runLlmBenchmark(): Promise<LlmBenchmarkResult> {
  const fake = await startFakeLlm({ latencyMs: LATENCY_MS, respond: fakeModel() });
  const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-bench-llm-'));
  const servers = buildServers();
  const tools = servers.reduce((n, s) => n + s.tools.length, 0);
  const prompt = loadPrompt();

  const run = async (db: string, batchSize: number, model: string): Promise<LlmRunFigures> => {
    const store = openStore(db);
    const endpoint = new LlmEndpoint({
      model,
      apiKey: 'bench',
      baseURL: fake.baseURL,
      concurrency: CONCURRENCY,
      requestsPerMinute: 0,
      timeoutMs: 30_000,
      maxRetries: 2,
      maxRetryDelayMs: 1000,
      responseFormat: 'json_schema',
    });
    const llm: LlmContext = { enabled: true, endpoint, model, prompt, batchSize, where: fake.baseURL, close: () => endpoint.close() };
    const before = fake.requests.length;
    const started = performance.now();
    // All servers at once, as a refresh would: the endpoint's queue holds concurrency to CONCURRENCY.
    const runs = await Promise.all(servers.map((s) => analyseAndStore(s, llm, store)));
    const wallMs = performance.now() - started;
    endpoint.close();
    store.close();
    const promptTokens = runs.reduce((n, r) => n + r.llm.promptTokens, 0);
    const asked = runs.reduce((n, r) => n + r.llm.askedTools, 0);
    return { wallMs, requests: fake.requests.length - before, promptTokens, promptTokensPerTool: asked === 0 ? 0 : promptTokens / asked };
  };

  try {
    const batchedDb = join(dir, 'batched.db');
    const batched = await run(batchedDb, BATCH, 'bench-model');
    const second = await run(batchedDb, BATCH, 'bench-model');
    const unbatched = await run(join(dir, 'unbatched.db'), 1, 'bench-model');
    const ratio = unbatched.promptTokensPerTool / batched.promptTokensPerTool;
    return { tools, batched, unbatched, second, ratio, pass: ratio >= TARGET_RATIO && second.requests === 0 };
  } finally {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatLlmBenchmark(r: LlmBenchmarkResult): string {
  const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
  return [
    `llm batching: ${r.tools} tools across ${SERVERS} servers, ${LATENCY_MS} ms latency, concurrency ${CONCURRENCY}`,
    `  batched (${BATCH}/request): ${s(r.batched.wallMs)}, ${r.batched.requests} requests, ${Math.round(r.batched.promptTokensPerTool)} prompt tokens/tool`,
    `  one tool per request: ${s(r.unbatched.wallMs)}, ${r.unbatched.requests} requests, ${Math.round(r.unbatched.promptTokensPerTool)} prompt tokens/tool`,
    `  batching uses ${r.ratio.toFixed(1)}x fewer prompt tokens per tool (target ≥ ${TARGET_RATIO}x)`,
    `  second run: ${r.second.requests} requests (target 0), ${s(r.second.wallMs)} = ${((r.second.wallMs / r.batched.wallMs) * 100).toFixed(1)}% of the first run's wall time`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await runLlmBenchmark();
  console.log(`${formatLlmBenchmark(r)} ${r.pass ? 'PASS' : 'FAIL'}`);
  process.exitCode = r.pass ? 0 : 1;
}
