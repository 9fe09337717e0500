// What the poisoning analyser adds to classification: the same 60,000-tool corpus classified with it and
// without it (classifyTool's `poisoning: false`), in turn, in one process. Both sides run the word scan
// that the untrusted-text patterns need (src/poisoning/tool-scan.ts): without the analyser it looks for
// their trigger words only, with it for the rules' too, so the difference is what the analyser adds.
// Target: within 15% of the rules classifier alone. Run directly: node --import tsx bench/poisoning-overhead.ts
import { fileURLToPath } from 'node:url';
import { classifyTool } from '../src/classify/index.js';
import { buildCorpus } from './classify-throughput.js';

export const MAX_OVERHEAD = 0.15;

export interface PoisoningOverheadResult {
  tools: number;
  /** classifyTool over the corpus: rules, combine, findings, poisoning. */
  fullSeconds: number;
  /** The same calls with the analyser switched off: the rules classifier alone. */
  rulesSeconds: number;
  /** full / rules - 1: what the analyser costs classification, in place. */
  overhead: number;
  pass: boolean;
}

/** Seconds one call of `fn` takes. */
function timed(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

export function runPoisoningOverheadBenchmark(tools = 60_000): PoisoningOverheadResult {
  const corpus = buildCorpus(tools);
  let sink = 0;
  const full = (): void => {
    for (const item of corpus) sink += classifyTool(item.record, item.context).findings.length;
  };
  const rules = (): void => {
    for (const item of corpus) sink += classifyTool(item.record, item.context, undefined, { poisoning: false }).findings.length;
  };
  // Warm-up for both, then seven rounds that time each in turn, in one process, the best of each kept:
  // the machine may be busy, and alternating keeps a slow spell from landing on one side only.
  for (let i = 0; i < 2; i++) {
    full();
    rules();
  }
  let fullSeconds = Infinity;
  let rulesSeconds = Infinity;
  for (let round = 0; round < 7; round++) {
    fullSeconds = Math.min(fullSeconds, timed(full));
    rulesSeconds = Math.min(rulesSeconds, timed(rules));
  }
  if (sink < 0) throw new Error('unreachable');
  const overhead = fullSeconds / rulesSeconds - 1;
  return { tools: corpus.length, fullSeconds, rulesSeconds, overhead, pass: overhead <= MAX_OVERHEAD };
}

export function formatPoisoningOverhead(r: PoisoningOverheadResult): string {
  const rate = (s: number): string => `${Math.round(r.tools / s).toLocaleString('en-US')} tools/s`;
  return (
    `poisoning analyser: ${r.tools} tools, classification with it ${r.fullSeconds.toFixed(3)} s (${rate(r.fullSeconds)}), ` +
    `the rules alone ${r.rulesSeconds.toFixed(3)} s (${rate(r.rulesSeconds)}): ${(r.overhead * 100).toFixed(1)}% on top (target ≤ ${MAX_OVERHEAD * 100}%)`
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = runPoisoningOverheadBenchmark();
  console.log(`${formatPoisoningOverhead(r)} ${r.pass ? 'PASS' : 'FAIL'}`);
  if (!r.pass) process.exitCode = 1;
}
