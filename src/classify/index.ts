// Public API of the classify stage: the rules classifier, its combine step, and the taxonomy it reads.
export { classifyTool, classifySnapshot, collectEvidence } from './classify.js';
export { rulesetVersion, ENGINE_VERSION } from './version.js';
export type { OpinionsByHash } from './classify.js';
export { untrustedTextFindings, serverTextFindings, loadUntrustedTextPatterns } from './untrusted-text.js';
export type { UntrustedTextPattern } from './untrusted-text.js';
export type { ClassifyContext } from './view.js';
export { combine, DECIDING_WEIGHT, AGREEMENT_WEIGHT } from './combine.js';
export type { Opinion, CombinedVerdict } from './combine.js';
export { loadTaxonomy } from './taxonomy.js';
export type { Taxonomy, CategoryDef, CapabilityDef, ModifierDef } from './taxonomy.js';
export { allRules } from './registry.js';
export { defineRule } from './rule.js';
export type { Rule, RuleMeta, RuleCase, FireCase, RuleCases, ExpectedReport, Report, RuleContext, Confidence } from './rule.js';
