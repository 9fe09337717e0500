// The --fail-on gate: does any tool reach the given risk level?
import { McpRiskError, RISKS, riskRank } from '../model/index.js';
import type { Classification, Finding, KnownRisk } from '../model/index.js';
import { isPoisoning } from '../poisoning/analyse.js';
import { safeText } from '../output/safe-text.js';
import type { ScanView } from '../output/view.js';
import { EXIT } from './io.js';

export function parseRiskLevel(value: string): KnownRisk {
  const level = RISKS.find((r) => r.toLowerCase() === value.toLowerCase());
  if (level === undefined) throw new McpRiskError('USAGE', `--fail-on takes one of ${RISKS.join(', ')}, got '${value}'`);
  return level;
}

/** `--fail-on-score N`: a tool scoring N or more, or one without a score (Unknown), trips the gate. */
export function exceedsScore(classifications: ReadonlyArray<Pick<Classification, 'score'> | undefined>, min: number): boolean {
  return classifications.some((c) => typeof c?.score !== 'number' || c.score >= min);
}

/** A poisoning finding weighs like a tool's risk: error as High, warning as Medium, info as Low. */
const POISONING_LEVEL: Record<Finding['severity'], KnownRisk> = { error: 'High', warning: 'Medium', info: 'Low' };

function poisoningExceeds(findings: readonly Finding[] | undefined, level: KnownRisk): boolean {
  return (findings ?? []).some((f) => isPoisoning(f) && riskRank(POISONING_LEVEL[f.severity]) >= riskRank(level));
}

/**
 * What trips `--fail-on LEVEL`, one phrase each ("delete_file (Critical)", "fetch_page: poisoning.exfiltration
 * error"), at most `max`, for the one line a gate prints: a reviewer sees why without reading the table;
 * the gate trips when there is any. Unknown risk trips it (a tool we could not judge is never treated as
 * safe), and so does a poisoning finding at the level, on a tool or on the server's own text
 * (`scanFindings`), whatever the tool does.
 */
export function trippedBy(
  tools: ReadonlyArray<{ name: string; classification?: Pick<Classification, 'risk' | 'findings'> | undefined }>,
  level: KnownRisk,
  scanFindings: readonly Finding[] = [],
  max = 10,
): string[] {
  const out: string[] = [];
  for (const t of tools) {
    const c = t.classification;
    if (c === undefined || c.risk === 'Unknown' || riskRank(c.risk) >= riskRank(level)) out.push(`${t.name} (${c?.risk ?? 'Unknown'})`);
    else {
      const f = c.findings.find((x) => poisoningExceeds([x], level));
      if (f) out.push(`${t.name}: ${f.code} ${f.severity}`);
    }
  }
  for (const f of scanFindings) if (poisoningExceeds([f], level)) out.push(`server: ${f.code} ${f.severity}`);
  return out.length > max ? [...out.slice(0, max), `${out.length - max} more`] : out;
}

type Gate = { failOn?: KnownRisk | undefined; failOnScore?: number | undefined };

/** How many tripping tools a gate's line names before it says "and N more". */
const NAMED = 10;

/**
 * What trips a gate over one server's tools, counted a tool at a time, so a tool list too long to hold
 * (a streamed classify) is gated like any other: the first phrases kept, the rest counted.
 */
export class GateTally {
  private readonly failOn: string[] = [];
  private failOnCount = 0;
  private readonly score: string[] = [];
  private scoreCount = 0;

  constructor(private readonly gate: Gate) {}

  add(name: string, classification: Classification | undefined): void {
    if (this.gate.failOn !== undefined) {
      const phrase = trippedBy([{ name, classification }], this.gate.failOn)[0];
      if (phrase !== undefined && this.failOnCount++ <= NAMED) this.failOn.push(phrase);
    }
    if (this.gate.failOnScore !== undefined && exceedsScore([classification], this.gate.failOnScore) && this.scoreCount++ < NAMED) {
      this.score.push(`${safeText(name, 120)} (${typeof classification?.score === 'number' ? `score ${classification.score}` : 'no score'})`);
    }
  }

  /** The phrases for `--fail-on` (the server's own poisoning findings last) and for `--fail-on-score`, all of them. */
  tripped(scanFindings: readonly Finding[]): { failOn: string[]; failOnTotal: number; score: string[]; scoreTotal: number } {
    const server = this.gate.failOn === undefined ? [] : trippedBy([], this.gate.failOn, scanFindings, Infinity);
    const failOn = [...this.failOn, ...server];
    const failOnTotal = this.failOnCount + server.length;
    return {
      failOn: failOnTotal > NAMED ? [...failOn.slice(0, NAMED), `${failOnTotal - NAMED} more`] : failOn,
      failOnTotal,
      score: this.score,
      scoreTotal: this.scoreCount,
    };
  }
}

/**
 * `--fail-on LEVEL` and `--fail-on-score N` over the servers of one run: THRESHOLD with one line on
 * stderr naming what tripped (per server when there are several), else OK.
 */
export function failOnGate(views: ReadonlyArray<Pick<ScanView, 'server' | 'tools' | 'findings'>>, gate: Gate, err: (text: string) => void): number {
  return gateLines(
    views.map((v) => {
      const tally = new GateTally(gate);
      for (const t of v.tools) tally.add(t.definition.name, t.classification);
      return { server: v.server.name, tally, findings: v.findings };
    }),
    gate,
    err,
  );
}

/** The gate's verdict over tallies already counted, one per server. */
export function gateLines(
  servers: ReadonlyArray<{ server: string; tally: GateTally; findings: readonly Finding[] }>,
  gate: Gate,
  err: (text: string) => void,
): number {
  const lines: string[] = [];
  const prefix = (name: string): string => (servers.length > 1 ? `${safeText(name, 60)}/` : '');
  const counted = servers.map((s) => ({ name: s.server, ...s.tally.tripped(s.findings) }));
  if (gate.failOn !== undefined) {
    const tripped = counted.flatMap((s) => s.failOn.map((t) => `${prefix(s.name)}${safeText(t, 120)}`));
    if (tripped.length > 0) lines.push(`--fail-on ${gate.failOn} tripped by ${tripped.join(', ')}`);
  }
  if (gate.failOnScore !== undefined) {
    const tripped = counted.flatMap((s) => s.score.map((t) => `${prefix(s.name)}${t}`));
    const total = counted.reduce((n, s) => n + s.scoreTotal, 0);
    if (total > 0)
      lines.push(`--fail-on-score ${gate.failOnScore} tripped by ${tripped.slice(0, NAMED).join(', ')}${total > NAMED ? ` and ${total - NAMED} more` : ''}`);
  }
  for (const line of lines) err(`mcp-risk: ${line}\n`);
  return lines.length > 0 ? EXIT.THRESHOLD : EXIT.OK;
}
