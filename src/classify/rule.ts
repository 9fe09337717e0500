// The runtime rule shape shared by data rules (YAML) and code rules (modules), in the ESLint mould.
import type { Evidence, KnownCategory, ToolDefinition } from '../model/index.js';
import type { ClassifyContext, ToolView } from './view.js';

export type Confidence = 'high' | 'medium' | 'low' | 'weak';
export type Impact = 'low' | 'medium' | 'high';

/** How much one piece of evidence weighs in combine; a single `medium` item is enough to decide a category. */
export const CONFIDENCE_WEIGHT: Record<Confidence, number> = { high: 1, medium: 0.6, low: 0.4, weak: 0.25 };

export interface RuleMeta {
  id: string;
  docs: string;
  impact: Impact;
  confidence: Confidence;
  category?: KnownCategory;
  capability?: string;
  modifier?: string;
  /** Where the rule comes from, for reports: `data/rules.yaml` or the module path. */
  source: string;
}

/** A test case: a tool (partial definitions are filled in by the tester) and an optional note. */
export interface RuleCase {
  tool: Partial<ToolDefinition> & { name: string };
  context?: ClassifyContext;
  note?: string;
}

export interface RuleCases {
  /** Must produce evidence from this rule. */
  fire: RuleCase[];
  /** Must produce none. */
  pass: RuleCase[];
  /** Known misses: should fire but does not yet. Run as expected failures. */
  todo?: RuleCase[];
}

export interface Rule {
  meta: RuleMeta;
  /** Pure: reads the view, appends evidence to `out`, touches nothing else. */
  check(view: ToolView, out: Evidence[]): void;
  cases: RuleCases;
}

export const MAX_MATCH = 80;

export function bounded(text: string): string {
  return text.length > MAX_MATCH ? `${text.slice(0, MAX_MATCH - 1)}…` : text;
}
