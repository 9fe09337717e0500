// What the poisoning analyser adds to classification: the same 60,000-tool corpus classified whole, and
// the analyser's own share timed apart on it (views prebuilt, as classifyTool builds one anyway).
// Target: the analyser within 15% of the rules' time. Run directly: node --import tsx bench/poisoning-overhead.ts
import { fileURLToPath } from 'node:url';
import { classifyTool } from '../src/classify/index.js';
import { buildView } from '../src/classify/view.js';
import { toolPoisoningFindings } from '../src/poisoning/index.js';
import { buildCorpus } from './classify-throughput.js';

export const MAX_OVERHEAD = 0.15;

export interface PoisoningOverheadResult {
  tools: number;
  /** classifyTool over the corpus: rules, combine, findings, poisoning. */
  fullSeconds: number;
  /** The analyser alone over the same tools. */
  poisoningSeconds: number;
  /** poisoning / (full - poisoning): its cost against everything else classification does. */
  overhead: number;
  pass: boolean;
}

function best(runs: number, fn: () => void): number {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    fn();
    min = Math.min(min, Number(process.hrtime.bigint() - start) / 1e9);
  }
  return min;
}

export function runPoisoningOverheadBenchmark(tools = 60_000): PoisoningOverheadResult {
  const corpus = buildCorpus(tools);
  const views = corpus.map((item) => buildView(item.record.definition, item.context));
  let sink = 0;
  // Warm-up for both paths, then the best of three of each (the machine may be busy).
  for (let i = 0; i < 5_000; i++) sink += classifyTool(corpus[i]!.record, corpus[i]!.context).findings.length;
  const fullSeconds = best(3, () => {
    for (const item of corpus) sink += classifyTool(item.record, item.context).findings.length;
  });
  const poisoningSeconds = best(3, () => {
    corpus.forEach((item, i) => {
      const view = views[i]!;
      sink += toolPoisoningFindings(item.record.definition, view, item.context.siblingNames ?? []).length;
    });
  });
  if (sink < 0) throw new Error('unreachable');
  const overhead = poisoningSeconds / Math.max(1e-9, fullSeconds - poisoningSeconds);
  return { tools: corpus.length, fullSeconds, poisoningSeconds, overhead, pass: overhead <= MAX_OVERHEAD };
}

export function formatPoisoningOverhead(r: PoisoningOverheadResult): string {
  const rate = (s: number): string => `${Math.round(r.tools / s).toLocaleString('en-US')} tools/s`;
  return (
    `poisoning analyser: ${r.tools} tools, classification with it ${r.fullSeconds.toFixed(3)} s (${rate(r.fullSeconds)}), ` +
    `the analyser's share ${r.poisoningSeconds.toFixed(3)} s = ${(r.overhead * 100).toFixed(1)}% on top of the rest (target ≤ ${MAX_OVERHEAD * 100}%)`
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = runPoisoningOverheadBenchmark();
  console.log(`${formatPoisoningOverhead(r)} ${r.pass ? 'PASS' : 'FAIL'}`);
  if (!r.pass) process.exitCode = 1;
}
