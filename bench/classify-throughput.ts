// Throughput of the rules classifier over a ≥50,000-tool corpus built from the captured fixtures.
// Run directly: node --import tsx bench/classify-throughput.ts   (exits 1 below target)
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { classifyTool } from '../src/classify/index.js';
import type { ClassifyContext } from '../src/classify/index.js';
import type { ToolDefinition, ToolRecord } from '../src/model/index.js';
import { toToolRecord } from '../src/model/index.js';

export const TARGET_TOOLS_PER_SECOND = 50_000;

export interface ClassifyBenchmarkResult {
  tools: number;
  seconds: number;
  toolsPerSecond: number;
  microsPerTool: number;
  target: number;
  pass: boolean;
}

interface Item {
  record: ToolRecord;
  context: ClassifyContext;
}

export function buildCorpus(size: number): Item[] {
  const dir = new URL('../test/fixtures/servers/', import.meta.url);
  const servers: { name: string; tools: ToolDefinition[] }[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const j = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as { serverInfo?: { name?: string }; tools: ToolDefinition[] };
    servers.push({ name: j.serverInfo?.name ?? file, tools: j.tools });
  }
  const items: Item[] = [];
  for (let round = 0; items.length < size; round++) {
    for (const s of servers) {
      // Vary names (and so hashes) per round, so no layer can serve a cached answer.
      const tools = s.tools.map((t) => ({ ...t, name: `${t.name}_${round}` }));
      const context = { serverName: s.name, siblingNames: tools.map((t) => t.name) };
      for (const t of tools) items.push({ record: toToolRecord(t), context });
    }
  }
  return items.slice(0, size);
}

export function runClassifyBenchmark(options: { tools?: number; target?: number } = {}): ClassifyBenchmarkResult {
  const size = Math.max(options.tools ?? 60_000, 1);
  const target = options.target ?? TARGET_TOOLS_PER_SECOND;
  const corpus = buildCorpus(size);
  // Warm-up: load data files, compile rules, let the JIT settle.
  for (let i = 0; i < Math.min(5_000, corpus.length); i++) classifyTool(corpus[i]!.record, corpus[i]!.context);
  let sink = 0;
  const start = process.hrtime.bigint();
  for (const item of corpus) sink += classifyTool(item.record, item.context).evidence.length;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (sink < 0) throw new Error('unreachable'); // keeps the loop from being optimised away
  const toolsPerSecond = corpus.length / seconds;
  return { tools: corpus.length, seconds, toolsPerSecond, microsPerTool: (seconds * 1e6) / corpus.length, target, pass: toolsPerSecond >= target };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = runClassifyBenchmark();
  process.stdout.write(
    `classify: ${r.tools} tools in ${r.seconds.toFixed(3)} s = ${Math.round(r.toolsPerSecond).toLocaleString('en')} tools/s, ${r.microsPerTool.toFixed(1)} µs/tool (target ≥ ${r.target.toLocaleString('en')}/s) ${r.pass ? 'OK' : 'BELOW TARGET'}\n`,
  );
  if (!r.pass) process.exitCode = 1;
}
