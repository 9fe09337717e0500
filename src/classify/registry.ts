// Every rule the engine runs, code rules and data rules alike, in one list, compiled once, plus their weights.
import type { Evidence } from '../model/index.js';
import { loadDataRules } from './data-rules.js';
import { CONFIDENCE_WEIGHT, compileRule } from './rule.js';
import type { Rule } from './rule.js';
import readOnlyHint from './rules/annotation.read-only-hint.js';
import destructiveHint from './rules/annotation.destructive-hint.js';
import notReadOnly from './rules/annotation.not-read-only.js';
import openWorldHint from './rules/annotation.open-world-hint.js';
import dryRun from './rules/modifier.dry-run.js';
import moneyObject from './rules/money.object.js';
import actionEnum from './rules/param.action-enum.js';
import codeExecution from './rules/param.code-execution.js';
import overwriteFlag from './rules/param.overwrite-flag.js';
import descriptionQuality from './rules/quality.description.js';
import descriptionVerb from './rules/verb.description.js';
import descriptionLeadVerb from './rules/verb.description-lead.js';
import nameVerb from './rules/verb.name.js';
import nameSecondaryVerb from './rules/verb.name-secondary.js';
import type { ToolView } from './view.js';

/** Code rules, in the order they run (the order evidence is listed in). */
export const CODE_RULES: readonly Rule[] = [
  nameVerb,
  nameSecondaryVerb,
  descriptionLeadVerb,
  descriptionVerb,
  codeExecution,
  actionEnum,
  overwriteFlag,
  moneyObject,
  readOnlyHint,
  notReadOnly,
  destructiveHint,
  openWorldHint,
  descriptionQuality,
  dryRun,
];

let rules: readonly Rule[] | undefined;
let compiled: Array<(view: ToolView, out: Evidence[]) => void> | undefined;
let weights: Map<string, number> | undefined;

export function allRules(): readonly Rule[] {
  rules ??= [...CODE_RULES, ...loadDataRules()];
  return rules;
}

/** Runs every rule over one view; the engine owns the iteration, each rule only reports. */
export function runRules(view: ToolView): Evidence[] {
  compiled ??= allRules().map(compileRule);
  const evidence: Evidence[] = [];
  for (const run of compiled) run(view, evidence);
  return evidence;
}

/** Evidence from a rule we do not know (e.g. an older stored result) weighs as `low`. */
export function ruleWeight(ruleId: string): number {
  weights ??= new Map(allRules().map((r) => [r.meta.id, CONFIDENCE_WEIGHT[r.meta.confidence]]));
  return weights.get(ruleId) ?? CONFIDENCE_WEIGHT.low;
}
