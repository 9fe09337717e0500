// Counts a scan's tools per category and risk, in a fixed order every renderer shares.
import { CATEGORY_ORDER, highestRisk, RISK_ORDER } from '../model/index.js';
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

export function summarise(view: ScanView): ScanSummary {
  const byCategory = Object.fromEntries(CATEGORY_ORDER.map((c) => [c, 0])) as Record<Category, number>;
  const byRisk = Object.fromEntries(RISK_ORDER.map((r) => [r, 0])) as Record<Risk, number>;
  let findings = view.findings.length;
  let review = 0;
  for (const t of view.tools) {
    // A value from a newer classifier that this build does not know counts as Unknown, never as safe.
    const c = categoryOf(t);
    const r = riskOf(t);
    byCategory[c in byCategory ? c : 'Unknown'] += 1;
    byRisk[r in byRisk ? r : 'Unknown'] += 1;
    findings += t.classification?.findings.length ?? 0;
    if (needsReview(t)) review += 1;
  }
  return {
    tools: view.tools.length,
    byCategory,
    byRisk,
    highestRisk: highestRisk(view.tools.map(riskOf)),
    findings,
    needsReview: review,
  };
}
