// Tool-level findings from a finished verdict: description quality, annotation contradictions, missing hints.
import type { Category, Evidence, Finding } from '../model/index.js';
import type { CombinedVerdict } from './combine.js';
import { ruleWeight } from './registry.js';
import { describeQuality } from './description-quality.js';
import type { ToolView } from './view.js';

const ANNOTATION_RULE = /^annotation\./;
const SIDE_EFFECT = new Set(['Write', 'Execute', 'Destructive', 'Financial']);

/** Evidence for `category` that does not come from the annotations themselves. */
function independent(evidence: readonly Evidence[], category: string): Evidence | undefined {
  let best: Evidence | undefined;
  for (const e of evidence) {
    if (e.category !== category || ANNOTATION_RULE.test(e.rule)) continue;
    if (!best || ruleWeight(e.rule) > ruleWeight(best.rule)) best = e;
  }
  return best;
}

export function toolFindings(view: ToolView, verdict: CombinedVerdict, evidence: readonly Evidence[]): Finding[] {
  const tool = view.definition.name;
  const findings: Finding[] = [];
  const quality = describeQuality(view);
  if (quality?.code === 'quality.empty-description') {
    findings.push({ code: quality.code, severity: 'warning', tool, path: 'description', args: {} });
  } else if (quality) {
    findings.push({ code: quality.code, severity: 'warning', tool, path: 'description', args: { reason: quality.reason, words: quality.words } });
  }

  const a = view.annotations;
  const category = verdict.category;
  const contradiction = (
    hint: 'readOnlyHint' | 'destructiveHint',
    declared: boolean,
    conflicting: Category,
    by: Evidence,
    severity: Finding['severity'],
  ): void => {
    findings.push({
      code: 'annotation.contradiction',
      severity,
      tool,
      path: `annotations.${hint}`,
      args: { hint, declared, conflicting, evidencePath: by.path, evidence: by.match },
    });
  };
  if (a?.readOnlyHint === true && SIDE_EFFECT.has(category)) {
    const by = independent(evidence, category);
    if (by) contradiction('readOnlyHint', true, category, by, 'warning');
  }
  if (a?.destructiveHint === true && a.readOnlyHint !== true && category === 'Read' && !independent(evidence, 'Destructive')) {
    const by = independent(evidence, 'Read');
    // Only a strong Read signal contradicts: a cautious destructiveHint on a weakly-read tool is fine.
    if (by && ruleWeight(by.rule) >= 0.6) contradiction('destructiveHint', true, 'Read', by, 'info');
  }
  if (a?.destructiveHint === false && (category === 'Destructive' || category === 'Financial')) {
    const by = independent(evidence, category);
    if (by) contradiction('destructiveHint', false, category, by, 'warning');
  }

  // Suggest only what is missing and only when we have a verdict to suggest from.
  if (category !== 'Unknown' && !verdict.tentative) {
    const args: Record<string, boolean> = {};
    if (a?.readOnlyHint === undefined) args.readOnlyHint = category === 'Read';
    if (a?.destructiveHint === undefined && category !== 'Read') args.destructiveHint = category === 'Destructive' || category === 'Financial';
    if (a?.openWorldHint === undefined) {
      args.openWorldHint = verdict.capabilities.some((c) => c === 'network-egress' || c === 'external-communication' || c === 'untrusted-content');
    }
    if (Object.keys(args).length > 0) findings.push({ code: 'annotation.missing', severity: 'info', tool, path: 'annotations', args });
  }
  return findings;
}
