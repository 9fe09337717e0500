// Poisoning evaluation: detection per kind over test/eval/poisoning/malicious.yaml (written from the
// attack patterns, not copied from any scanner), false alarms over the hand-written hard negatives
// (benign.yaml) and over every real tool captured in test/eval/servers and test/fixtures/servers.
// heldout.yaml (malicious and benign mixed) was written apart, by another hand, and is never tuned on:
// it is reported on its own, as the honest figure (`--set heldout`).
// A tool counts as detected when the classifier gives it any poisoning.* finding; an overt one must
// also not be Read or Low. Run: npm run eval:poisoning   (--json for figures, --verbose for each miss
// and false alarm)
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { classifyTool } from '../../src/classify/index.js';
import type { Classification, ToolDefinition } from '../../src/model/index.js';
import { toToolRecord } from '../../src/model/index.js';

interface CorpusEntry {
  id: string;
  kind: string;
  tool: ToolDefinition;
  where?: string;
  note?: string;
}

export interface PoisoningEval {
  perKind: Record<string, { total: number; detected: number; rate: number }>;
  /** Everything but hidden and overt: the text-borne kinds. */
  textBorne: { total: number; detected: number; rate: number };
  overtReadLow: number;
  hardNegatives: { total: number; flagged: number; rate: number };
  realTools: { total: number; flagged: number; rate: number };
  misses: { id: string; kind: string; note: string }[];
  falseAlarms: { where: string; tool: string; codes: string[]; match: string }[];
}

const ROOT = new URL('../../', import.meta.url);
const corpus = (file: string): CorpusEntry[] => (parse(readFileSync(new URL(`test/eval/poisoning/${file}`, ROOT), 'utf8')) as CorpusEntry[] | null) ?? [];
const poisoningOf = (c: Classification): Classification['findings'] => c.findings.filter((f) => f.code.startsWith('poisoning.'));
const matchOf = (f: Classification['findings'][number]): string => {
  const args = f.args as { match?: string; decoded?: string };
  return args.match ?? args.decoded ?? '';
};

function realServers(): { where: string; tools: ToolDefinition[] }[] {
  const out: { where: string; tools: ToolDefinition[] }[] = [];
  for (const folder of ['test/eval/servers/', 'test/fixtures/servers/']) {
    for (const file of readdirSync(new URL(folder, ROOT))
      .filter((f) => f.endsWith('.json'))
      .sort()) {
      const fixture = JSON.parse(readFileSync(new URL(`${folder}${file}`, ROOT), 'utf8')) as { tools: ToolDefinition[] };
      out.push({ where: `${folder}${file}`, tools: fixture.tools });
    }
  }
  return out;
}

export const HELD_OUT_SETS = ['heldout', 'heldout2', 'heldout3', 'heldout4', 'heldout5', 'heldout6', 'heldout7', 'heldout8', 'heldout9', 'heldout10'] as const;
export type PoisoningSet = 'dev' | (typeof HELD_OUT_SETS)[number];

export function runPoisoningEval(set: PoisoningSet = 'dev'): PoisoningEval {
  const perKind: PoisoningEval['perKind'] = {};
  const misses: PoisoningEval['misses'] = [];
  let overtReadLow = 0;
  const all = set === 'dev' ? [...corpus('malicious.yaml'), ...corpus('benign.yaml')] : corpus(`${set}.yaml`);
  for (const entry of all.filter((e) => e.kind !== 'benign')) {
    const c = classifyTool(toToolRecord(entry.tool));
    const kind = (perKind[entry.kind] ??= { total: 0, detected: 0, rate: 0 });
    kind.total += 1;
    const found = poisoningOf(c).length > 0;
    const overtOk = entry.kind !== 'overt' || (c.category !== 'Read' && c.risk !== 'Low');
    if (entry.kind === 'overt' && !overtOk) overtReadLow += 1;
    if (found && overtOk) kind.detected += 1;
    else misses.push({ id: entry.id, kind: entry.kind, note: entry.note ?? '' });
  }
  for (const k of Object.values(perKind)) k.rate = k.total === 0 ? 0 : k.detected / k.total;
  const text = Object.entries(perKind).filter(([k]) => k !== 'hidden' && k !== 'overt');
  const textTotal = text.reduce((n, [, k]) => n + k.total, 0);
  const textDetected = text.reduce((n, [, k]) => n + k.detected, 0);

  const falseAlarms: PoisoningEval['falseAlarms'] = [];
  const benign = all.filter((e) => e.kind === 'benign');
  let benignFlagged = 0;
  for (const entry of benign) {
    const found = poisoningOf(classifyTool(toToolRecord(entry.tool)));
    if (found.length === 0) continue;
    benignFlagged += 1;
    falseAlarms.push({
      where: `${set === 'dev' ? 'benign' : set}.yaml#${entry.id}`,
      tool: entry.tool.name,
      codes: found.map((f) => f.code),
      match: matchOf(found[0]!),
    });
  }
  let realTotal = 0;
  let realFlagged = 0;
  for (const server of set === 'dev' ? realServers() : []) {
    const context = { siblingNames: server.tools.map((t) => t.name) };
    for (const tool of server.tools) {
      realTotal += 1;
      const found = poisoningOf(classifyTool(toToolRecord(tool), context));
      if (found.length === 0) continue;
      realFlagged += 1;
      falseAlarms.push({ where: server.where, tool: tool.name, codes: found.map((f) => f.code), match: matchOf(found[0]!) });
    }
  }
  return {
    perKind,
    textBorne: { total: textTotal, detected: textDetected, rate: textTotal === 0 ? 0 : textDetected / textTotal },
    overtReadLow,
    hardNegatives: { total: benign.length, flagged: benignFlagged, rate: benign.length === 0 ? 0 : benignFlagged / benign.length },
    realTools: { total: realTotal, flagged: realFlagged, rate: realTotal === 0 ? 0 : realFlagged / realTotal },
    misses,
    falseAlarms,
  };
}

const pct = (r: number): string => `${(r * 100).toFixed(1)}%`;

if (import.meta.url === `file://${process.argv[1]}`) {
  const asked = process.argv.includes('--set') ? process.argv[process.argv.indexOf('--set') + 1] : 'dev';
  const set: PoisoningSet = HELD_OUT_SETS.find((h) => h === asked) ?? 'dev';
  const r = runPoisoningEval(set);
  if (set !== 'dev') console.log(`== ${set} (test/eval/poisoning/${set}.yaml)`);
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(r, null, 2));
  } else {
    console.log('kind             detected');
    for (const [kind, k] of Object.entries(r.perKind).sort()) console.log(`${kind.padEnd(16)} ${`${k.detected}/${k.total}`.padStart(7)}  ${pct(k.rate)}`);
    console.log(`text-borne       ${`${r.textBorne.detected}/${r.textBorne.total}`.padStart(7)}  ${pct(r.textBorne.rate)}`);
    console.log(`overt called Read or Low: ${r.overtReadLow}`);
    console.log(
      `false alarms: hard negatives ${r.hardNegatives.flagged}/${r.hardNegatives.total} (${pct(r.hardNegatives.rate)}), real tools ${r.realTools.flagged}/${r.realTools.total} (${pct(r.realTools.rate)})`,
    );
    if (process.argv.includes('--verbose')) {
      for (const m of r.misses) console.log(`miss  ${m.kind.padEnd(15)} ${m.id}: ${m.note}`);
      for (const f of r.falseAlarms) console.log(`alarm ${f.where} ${f.tool}: ${f.codes.join(',')} "${f.match}"`);
    }
  }
}
