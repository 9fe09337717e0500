// Evaluation: classifies every fixture tool with annotations stripped and scores it against its label set:
// labels.yaml (the development set the rules were tuned on) and heldout.yaml (servers the rules never saw).
// Run: node --import tsx test/eval/run.ts   (add --json for machine-readable figures)
import { readFileSync, readdirSync } from 'node:fs';
import { parse } from 'yaml';
import { classifyTool } from '../../src/classify/index.js';
import type { Category, Classification, ToolDefinition } from '../../src/model/index.js';
import { toToolRecord } from '../../src/model/index.js';

interface Label {
  category: Category;
  why: string;
  known_miss?: boolean;
  note?: string;
}

interface Fixture {
  serverInfo?: { name?: string };
  tools: ToolDefinition[];
}

const ROOT = new URL('../../', import.meta.url);
const CATEGORIES: Category[] = ['Read', 'Write', 'Execute', 'Destructive', 'Financial', 'Unknown'];

export interface EvalResult {
  total: number;
  correct: number;
  accuracy: number;
  perCategory: Record<string, { precision: number; recall: number; support: number; predicted: number }>;
  confusion: Record<string, Record<string, number>>;
  misses: { server: string; tool: string; expected: Category; got: Category; knownMiss: boolean; why: string }[];
  unlabelled: string[];
}

export const LABEL_SETS = { development: 'labels.yaml', heldout: 'heldout.yaml' } as const;
export type LabelSet = keyof typeof LABEL_SETS;

function readLabels(set: LabelSet): Record<string, Record<string, Label>> {
  return (parse(readFileSync(new URL(`test/eval/${LABEL_SETS[set]}`, ROOT), 'utf8')) as { servers: Record<string, Record<string, Label>> }).servers;
}

/** Every fixture server must be labelled in exactly one set, so nothing escapes evaluation. */
export function unassignedServers(): string[] {
  const assigned = new Set(Object.keys(LABEL_SETS).flatMap((set) => Object.keys(readLabels(set as LabelSet))));
  const dir = new URL('test/fixtures/servers/', ROOT);
  return readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '')).filter((s) => !assigned.has(s));
}

export function runEval(set: LabelSet = 'development'): EvalResult {
  const labels = readLabels(set);
  const dir = new URL('test/fixtures/servers/', ROOT);
  const confusion: Record<string, Record<string, number>> = {};
  for (const a of CATEGORIES) confusion[a] = Object.fromEntries(CATEGORIES.map((b) => [b, 0]));
  const misses: EvalResult['misses'] = [];
  const unlabelled: string[] = [];
  let total = 0;
  let correct = 0;
  for (const server of Object.keys(labels).sort()) {
    const file = `${server}.json`;
    const fixture = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as Fixture;
    const siblingNames = fixture.tools.map((t) => t.name);
    for (const tool of fixture.tools) {
      const label = labels[server]?.[tool.name];
      if (!label) {
        unlabelled.push(`${server}/${tool.name}`);
        continue;
      }
      // Annotations are stripped: the rules must earn the verdict from name, description and parameters.
      const { annotations: _dropped, ...bare } = tool;
      const c: Classification = classifyTool(toToolRecord(bare), { serverName: fixture.serverInfo?.name ?? server, siblingNames });
      total++;
      confusion[label.category]![c.category]!++;
      if (c.category === label.category) correct++;
      else misses.push({ server, tool: tool.name, expected: label.category, got: c.category, knownMiss: label.known_miss === true, why: label.note ?? label.why });
    }
  }
  const perCategory: EvalResult['perCategory'] = {};
  for (const cat of CATEGORIES) {
    const tp = confusion[cat]![cat]!;
    const support = CATEGORIES.reduce((n, p) => n + confusion[cat]![p]!, 0);
    const predicted = CATEGORIES.reduce((n, a) => n + confusion[a]![cat]!, 0);
    perCategory[cat] = { precision: predicted ? tp / predicted : NaN, recall: support ? tp / support : NaN, support, predicted };
  }
  return { total, correct, accuracy: total ? correct / total : 0, perCategory, confusion, misses, unlabelled };
}

function fmt(n: number): string {
  return Number.isNaN(n) ? '  -  ' : n.toFixed(2).padStart(5);
}

function report(set: LabelSet, r: EvalResult): string[] {
  const out: string[] = [];
  out.push(`== ${set} set (test/eval/${LABEL_SETS[set]}), annotations stripped`);
  out.push(`tools: ${r.total}  correct: ${r.correct}  accuracy: ${(r.accuracy * 100).toFixed(1)}%`, '');
  out.push('category      precision recall support predicted');
  for (const [cat, m] of Object.entries(r.perCategory)) out.push(`${cat.padEnd(13)} ${fmt(m.precision)}     ${fmt(m.recall)}  ${String(m.support).padStart(5)}  ${String(m.predicted).padStart(5)}`);
  out.push('', `confusion (rows = label, columns = predicted)`);
  out.push(`${''.padEnd(12)}${CATEGORIES.map((c) => c.slice(0, 6).padStart(7)).join('')}`);
  for (const a of CATEGORIES) out.push(`${a.padEnd(12)}${CATEGORIES.map((b) => String(r.confusion[a]![b]).padStart(7)).join('')}`);
  out.push('', `misses (${r.misses.length}):`);
  for (const m of r.misses) out.push(`  ${m.knownMiss ? '[known] ' : '[NEW]   '}${m.server}/${m.tool}: expected ${m.expected}, got ${m.got} — ${m.why}`);
  if (r.unlabelled.length > 0) out.push('', `unlabelled (${r.unlabelled.length}): ${r.unlabelled.join(', ')}`);
  return out;
}

function main(): void {
  const results = { development: runEval('development'), heldout: runEval('heldout') };
  const unassigned = unassignedServers();
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify({ ...results, unassigned }, null, 2)}\n`);
    return;
  }
  const out = [...report('development', results.development), '', ...report('heldout', results.heldout)];
  if (unassigned.length > 0) out.push('', `fixture servers in no label set: ${unassigned.join(', ')}`);
  process.stdout.write(`${out.join('\n')}\n`);
  // Misses on the held-out set are figures to report, not failures; the development set must stay clean.
  const dev = results.development;
  if (unassigned.length > 0 || dev.unlabelled.length > 0 || results.heldout.unlabelled.length > 0 || dev.misses.some((m) => !m.knownMiss)) process.exitCode = 1;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('test/eval/run.ts')) main();
