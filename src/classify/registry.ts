// Every rule the engine runs, code rules and data rules alike, in one list, plus their weights.
import { CONFIDENCE_WEIGHT } from './rule.js';
import type { Rule } from './rule.js';
import { loadDataRules } from './data-rules.js';
import { destructiveHintRule, openWorldHintRule, readOnlyHintRule } from './rules/annotations.js';
import { codeParamRule } from './rules/code-param.js';
import { descriptionQualityRule } from './rules/description-quality.js';
import { dryRunRule } from './rules/dry-run.js';
import { megaToolRule } from './rules/mega-tool.js';
import { descriptionLeadVerbRule, descriptionVerbRule, nameSecondaryVerbRule, nameVerbRule } from './rules/verbs.js';

export const CODE_RULES: readonly Rule[] = [
  nameVerbRule,
  nameSecondaryVerbRule,
  descriptionLeadVerbRule,
  descriptionVerbRule,
  codeParamRule,
  megaToolRule,
  readOnlyHintRule,
  destructiveHintRule,
  openWorldHintRule,
  descriptionQualityRule,
  dryRunRule,
];

let rules: readonly Rule[] | undefined;
let weights: Map<string, number> | undefined;

export function allRules(): readonly Rule[] {
  rules ??= [...CODE_RULES, ...loadDataRules()];
  return rules;
}

/** Evidence from a rule we do not know (e.g. an older stored result) weighs as `low`. */
export function ruleWeight(ruleId: string): number {
  weights ??= new Map(allRules().map((r) => [r.meta.id, CONFIDENCE_WEIGHT[r.meta.confidence]]));
  return weights.get(ruleId) ?? CONFIDENCE_WEIGHT.low;
}
