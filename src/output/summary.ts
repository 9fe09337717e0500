// Counts a scan's tools per category and risk, in a fixed order every renderer shares.
import { attentionRank, CATEGORY_ORDER, highestRisk, RISK_ORDER } from '../model/index.js';
import type { Category, Risk } from '../model/index.js';
import { needsReview } from './view.js';
import type { ScanView } from './view.js';

/** Below this confidence a verdict is marked in the table and on the site: someone should look. */
export const LOW_CONFIDENCE = 0.6;

export interface ScanSummary {
  tools: number;
  byCategory: Record<Category, number>;
  byRisk: Record<Risk, number>;
  highestRisk: Risk | null;
  /** Scan findings plus every tool's findings. */
  findings: number;
  /** Tools whose rules and LLM verdicts disagreed. */
  needsReview: number;
}

export function categoryOf(tool: ScanView['tools'][number]): Category {
  return tool.classification?.category ?? 'Unknown';
}

export function riskOf(tool: ScanView['tools'][number]): Risk {
  return tool.classification?.risk ?? 'Unknown';
}

/** The score within the level, when the verdict has one (Unknown and verdicts stored before scores do not). */
export function scoreOf(tool: ScanView['tools'][number]): number | undefined {
  return tool.classification?.score ?? undefined;
}

/** `Critical 5/5`, or the level alone when there is no score. */
export function riskWithScore(tool: ScanView['tools'][number]): string {
  const score = scoreOf(tool);
  return score === undefined ? riskOf(tool) : `${riskOf(tool)} ${score}/5`;
}

/**
 * The order every report lists tools in: most urgent first (Unknown just above Low, so it never hides
 * among safe tools), then by score, then by name in code-unit order.
 */
export function byAttention(a: ScanView['tools'][number], b: ScanView['tools'][number]): number {
  return attentionRank(riskOf(b)) - attentionRank(riskOf(a)) || (scoreOf(b) ?? 0) - (scoreOf(a) ?? 0) || compareText(a.definition.name, b.definition.name);
}

/** Tools by name, then hash, in code-unit order (not the locale's), so machine outputs are the same everywhere. */
export function byNameThenHash(a: ScanView['tools'][number], b: ScanView['tools'][number]): number {
  return compareText(a.definition.name, b.definition.name) || compareText(a.hash, b.hash);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function summarise(view: ScanView): ScanSummary {
  const tally = new SummaryTally();
  for (const t of view.tools) tally.add(t);
  return tally.summary(view.findings.length);
}

/** The summary counted one tool at a time, for a tool list too long to hold (a streamed classify). */
export class SummaryTally {
  private readonly byCategory = Object.fromEntries(CATEGORY_ORDER.map((c) => [c, 0])) as Record<Category, number>;
  private readonly byRisk = Object.fromEntries(RISK_ORDER.map((r) => [r, 0])) as Record<Risk, number>;
  private tools = 0;
  private findings = 0;
  private review = 0;
  private highest: Risk | null = null;

  add(t: ScanView['tools'][number]): void {
    // A value from a newer classifier that this build does not know counts as Unknown, never as safe.
    const c = categoryOf(t);
    const r = riskOf(t);
    this.byCategory[c in this.byCategory ? c : 'Unknown'] += 1;
    this.byRisk[r in this.byRisk ? r : 'Unknown'] += 1;
    this.findings += t.classification?.findings.length ?? 0;
    if (needsReview(t)) this.review += 1;
    this.tools += 1;
    this.highest = highestRisk(this.highest === null ? [r] : [this.highest, r]);
  }

  summary(scanFindings: number): ScanSummary {
    return {
      tools: this.tools,
      byCategory: { ...this.byCategory },
      byRisk: { ...this.byRisk },
      highestRisk: this.highest,
      findings: this.findings + scanFindings,
      needsReview: this.review,
    };
  }
}
