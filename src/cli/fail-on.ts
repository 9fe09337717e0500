// The --fail-on gate: does any tool reach the given risk level?
import { McpRiskError, RISKS, riskRank } from '../model/index.js';
import type { Classification, KnownRisk } from '../model/index.js';

export function parseRiskLevel(value: string): KnownRisk {
  const level = RISKS.find((r) => r.toLowerCase() === value.toLowerCase());
  if (level === undefined) throw new McpRiskError('USAGE', `--fail-on takes one of ${RISKS.join(', ')}, got '${value}'`);
  return level;
}

/** `--fail-on-score N`: a tool scoring N or more, or one without a score (Unknown), trips the gate. */
export function exceedsScore(classifications: ReadonlyArray<Pick<Classification, 'score'> | undefined>, min: number): boolean {
  return classifications.some((c) => typeof c?.score !== 'number' || c.score >= min);
}

/** Unknown risk trips the gate: a tool we could not judge is never treated as safe. */
export function exceedsThreshold(classifications: ReadonlyArray<Pick<Classification, 'risk'> | undefined>, level: KnownRisk): boolean {
  return classifications.some((c) => c === undefined || c.risk === 'Unknown' || riskRank(c.risk) >= riskRank(level));
}
