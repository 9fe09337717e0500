// The --fail-on gate: does any tool reach the given risk level?
import { McpRiskError, RISKS, riskRank } from '../model/index.js';
import type { Classification, Finding, KnownRisk } from '../model/index.js';
import { isPoisoning } from '../poisoning/analyse.js';

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
 * Unknown risk trips the gate: a tool we could not judge is never treated as safe. So does a poisoning
 * finding at the level (on a tool, or on the server's own text: `scanFindings`), whatever the tool does.
 */
export function exceedsThreshold(
  classifications: ReadonlyArray<Pick<Classification, 'risk' | 'findings'> | undefined>,
  level: KnownRisk,
  scanFindings: readonly Finding[] = [],
): boolean {
  return (
    classifications.some((c) => c === undefined || c.risk === 'Unknown' || riskRank(c.risk) >= riskRank(level) || poisoningExceeds(c.findings, level)) ||
    poisoningExceeds(scanFindings, level)
  );
}

/**
 * What trips `--fail-on LEVEL`, one phrase each ("delete_file (Critical)", "fetch_page: poisoning.exfiltration
 * error"), at most `max`, for the one line a gate prints: a reviewer sees why without reading the table.
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
