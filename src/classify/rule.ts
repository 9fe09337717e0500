// The runtime rule shape shared by data rules (YAML) and code rules (modules), in the ESLint mould:
// a rule declares what it may report in `meta`, and `ctx.report` fills that in, so the two cannot disagree.
import type { Evidence, KnownCategory, ToolDefinition } from '../model/index.js';
import { loadTaxonomy } from './taxonomy.js';
import type { ClassifyContext, ToolView } from './view.js';

export type Confidence = 'high' | 'medium' | 'low' | 'weak';
export const CONFIDENCES: readonly Confidence[] = ['high', 'medium', 'low', 'weak'];

/** How much one piece of evidence weighs in combine; a single `medium` item is enough to decide a category. */
export const CONFIDENCE_WEIGHT: Record<Confidence, number> = { high: 1, medium: 0.6, low: 0.4, weak: 0.25 };

/** A category fixed by the rule, or `per-match` when it comes from what matched (a verb's lexicon entry, an enum's actions). */
export type RuleCategory = KnownCategory | 'per-match';

export interface RuleMeta {
  id: string;
  docs: string;
  confidence: Confidence;
  category?: RuleCategory;
  capability?: string;
  /** A taxonomy modifier id; its delta is read from the taxonomy. */
  modifier?: string;
  /** The rule may report hard evidence: a floor in combine that no other opinion argues below. */
  hard?: boolean;
  /** Code rules: bumped when the logic changes what the rule reports (part of the rule-set version). */
  version?: number;
  /** Where the rule lives, for reports: `data/rules.yaml` or `src/classify/rules/<id>.ts`. */
  source: string;
}

/** What a check hands to `ctx.report`: where and what; everything else comes from `meta`. */
export interface Report {
  path: string;
  match: string;
  /** Only for `per-match` rules. */
  category?: KnownCategory;
  /** Only for rules that declare `hard: true`. */
  hard?: boolean;
}

export interface RuleContext<R extends Report = Report> {
  report(report: R): void;
}

/** What a firing case must report (ESLint RuleTester style): the field path, and for `per-match` rules the category. */
export interface ExpectedReport {
  path: string;
  category?: KnownCategory;
  /** Defaults to false: a case that reports hard evidence must say so. */
  hard?: boolean;
}

/** A test case: a tool (partial definitions are filled in by the tester) and an optional note. */
export interface RuleCase {
  tool: Partial<ToolDefinition> & { name: string };
  context?: ClassifyContext;
  note?: string;
}

export interface FireCase extends RuleCase {
  report: ExpectedReport;
}

export interface RuleCases {
  /** Must report this. */
  fire: FireCase[];
  /** Must report nothing. */
  pass: RuleCase[];
  /** Known misses: should report this but does not yet. Run as expected failures. */
  todo?: FireCase[];
}

export interface Rule {
  meta: RuleMeta;
  /** Pure: reads the view and reports evidence through `ctx`; touches nothing else. */
  check(view: ToolView, ctx: RuleContext): void;
  cases: RuleCases;
}

/** The report shape a rule's meta allows: a category only for `per-match` rules, `hard` only for rules that may be hard. */
type ReportFor<M extends Omit<RuleMeta, 'source'>> = { path: string; match: string } & (M['category'] extends 'per-match'
  ? { category: KnownCategory }
  : { category?: never }) &
  (M['hard'] extends true ? { hard?: boolean } : { hard?: never });

/**
 * A code rule: one per file under `src/classify/rules/`, the file named by the rule id. `version` is
 * required, since code cannot be hashed the way data is.
 */
export function defineRule<const M extends Omit<RuleMeta, 'source'> & { version: number }>(rule: {
  meta: M;
  check(view: ToolView, ctx: RuleContext<ReportFor<M>>): void;
  cases: RuleCases;
}): Rule {
  return {
    meta: { ...rule.meta, source: `src/classify/rules/${rule.meta.id}.ts` },
    check: rule.check as Rule['check'],
    cases: rule.cases,
  };
}

export class RuleMetaError extends Error {
  override name = 'RuleMetaError';
}

/**
 * Compiles a rule into a function that appends its evidence to `out`. The reporter fills rule id,
 * category, capability and modifier from `meta` and refuses what the meta does not allow, so a rule
 * cannot report a category or hardness it did not declare.
 */
export function compileRule(rule: Rule): (view: ToolView, out: Evidence[]) => void {
  const { id, category, capability, modifier, hard } = rule.meta;
  const delta = modifier === undefined ? undefined : loadTaxonomy().modifiers.get(modifier)?.delta;
  if (modifier !== undefined && delta === undefined) throw new RuleMetaError(`${id}: unknown modifier ${modifier}`);
  if (capability !== undefined && !loadTaxonomy().capabilities.has(capability)) throw new RuleMetaError(`${id}: unknown capability ${capability}`);
  let sink: Evidence[] = [];
  const ctx: RuleContext = {
    report(r) {
      const ev: Evidence = { rule: id, path: r.path, match: bounded(r.match) };
      if (category === 'per-match') {
        if (r.category === undefined) throw new RuleMetaError(`${id}: a per-match rule must report a category`);
        ev.category = r.category;
      } else {
        if (r.category !== undefined && r.category !== category) throw new RuleMetaError(`${id}: reported ${r.category}, meta says ${category ?? 'none'}`);
        if (category !== undefined) ev.category = category;
      }
      if (capability !== undefined) ev.capability = capability;
      if (modifier !== undefined) ev.modifier = { id: modifier, delta: delta as number };
      if (r.hard === true) {
        if (hard !== true) throw new RuleMetaError(`${id}: reported hard evidence without declaring hard: true`);
        ev.hard = true;
      }
      sink.push(ev);
    },
  };
  return (view, out) => {
    sink = out;
    rule.check(view, ctx);
  };
}

export const MAX_MATCH = 80;

export function bounded(text: string): string {
  return text.length > MAX_MATCH ? `${text.slice(0, MAX_MATCH - 1)}…` : text;
}
