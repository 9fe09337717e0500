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

/**
 * `--fail-on LEVEL` and `--fail-on-score N` over the servers of one run: THRESHOLD with one line on
 * stderr naming what tripped (per server when there are several), else OK.
 */
export function failOnGate(
  views: ReadonlyArray<Pick<ScanView, 'server' | 'tools' | 'findings'>>,
  gate: { failOn?: KnownRisk | undefined; failOnScore?: number | undefined },
  err: (text: string) => void,
): number {
  const lines: string[] = [];
  const prefix = (v: Pick<ScanView, 'server'>): string => (views.length > 1 ? `${safeText(v.server.name, 60)}/` : '');
  if (gate.failOn !== undefined) {
    const level = gate.failOn;
    const tripped = views.flatMap((v) =>
      trippedBy(
        v.tools.map((t) => ({ name: t.definition.name, classification: t.classification })),
        level,
        v.findings,
      ).map((t) => `${prefix(v)}${safeText(t, 120)}`),
    );
    if (tripped.length > 0) lines.push(`--fail-on ${level} tripped by ${tripped.join(', ')}`);
  }
  if (gate.failOnScore !== undefined) {
    const min = gate.failOnScore;
    const tripped = views.flatMap((v) =>
      v.tools
        .filter((t) => exceedsScore([t.classification], min))
        .map(
          (t) =>
            `${prefix(v)}${safeText(t.definition.name, 120)} (${typeof t.classification?.score === 'number' ? `score ${t.classification.score}` : 'no score'})`,
        ),
    );
    if (tripped.length > 0)
      lines.push(`--fail-on-score ${min} tripped by ${tripped.slice(0, 10).join(', ')}${tripped.length > 10 ? ` and ${tripped.length - 10} more` : ''}`);
  }
  for (const line of lines) err(`mcp-risk: ${line}\n`);
  return lines.length > 0 ? EXIT.THRESHOLD : EXIT.OK;
}
