// The one place where the final category, risk, capabilities and confidence are decided from evidence.
import type { Category, Evidence, KnownCategory, KnownRisk, Method, Risk } from '../model/index.js';
import { ruleWeight } from './registry.js';
import { loadTaxonomy } from './taxonomy.js';

/**
 * A verdict from another classifier (an LLM later). It may raise the rules' verdict, or refine it when
 * more confident, but never below what hard rule evidence shows.
 */
export interface Opinion {
  source: string;
  category: Category;
  risk: Risk;
  capabilities?: string[];
  /** 0..1 */
  confidence: number;
}

export interface CombinedVerdict {
  category: Category;
  /** The category's default level, always: levels mean the same thing everywhere. */
  risk: Risk;
  /** 1..5, the finer ranking within a level: the level's base moved by the modifiers; null for Unknown. */
  score: number | null;
  capabilities: string[];
  confidence: number;
  method: Method;
  /** Evidence that decided the category, strongest first. */
  deciding: Evidence[];
  /** Modifiers that moved the score, after filtering by the category they apply to. */
  modifiers: Evidence[];
  /** The category hard evidence guarantees, if any. */
  floor: KnownCategory | undefined;
  /** True when the category was taken from weak evidence because nothing was strong enough. */
  tentative: boolean;
}

/** A single item this heavy (a description's leading verb) decides a category on its own. */
export const DECIDING_WEIGHT = 0.6;
/** Weaker items decide only together, from at least two different rules. */
export const AGREEMENT_WEIGHT = 0.8;

interface Tally {
  sum: number;
  max: number;
  rules: Set<string>;
  hard: boolean;
  items: Evidence[];
}

/** The score a level starts at; modifiers move it within 1..5 (Critical 4, so +1 reaches 5). */
const SCORE_BASE: Record<KnownRisk, number> = { Low: 1, Medium: 2, High: 3, Critical: 4 };
const MIN_SCORE = 1;
const MAX_SCORE = 5;

/**
 * Category: the most dangerous category with decisive evidence (one item ≥ DECIDING_WEIGHT, or any
 * hard item); failing that, agreement of two rules ≥ AGREEMENT_WEIGHT; failing that, the best-supported
 * category marked tentative; order from the taxonomy
 * (Read < Write < Execute < Destructive < Financial). Hard evidence sets a floor.
 * Risk: the final category's default level, as the taxonomy gives it (Read Low … Financial Critical),
 * whatever the modifiers or another opinion say. Score: that level's base (Low 1 … Critical 4) moved by
 * the modifiers recorded as evidence that apply to the final category, clamped to 1..5.
 */
export function combine(evidence: readonly Evidence[], opinions: readonly Opinion[] = []): CombinedVerdict {
  const taxonomy = loadTaxonomy();
  const tallies = new Map<KnownCategory, Tally>();
  const capabilitySet = new Set<string>();
  let floor: KnownCategory | undefined;
  for (const ev of evidence) {
    if (ev.capability) capabilitySet.add(ev.capability);
    if (!ev.category) continue;
    const w = ruleWeight(ev.rule);
    let t = tallies.get(ev.category);
    if (!t) {
      t = { sum: 0, max: 0, rules: new Set(), hard: false, items: [] };
      tallies.set(ev.category, t);
    }
    t.sum += w;
    if (w > t.max) t.max = w;
    t.rules.add(ev.rule);
    t.items.push(ev);
    if (ev.hard) {
      t.hard = true;
      if (!floor || taxonomy.rank(ev.category) > taxonomy.rank(floor)) floor = ev.category;
    }
  }

  let category: KnownCategory | undefined;
  let tentative = false;
  for (const c of taxonomy.categoryOrder) {
    const t = tallies.get(c);
    if (t && (t.hard || t.max >= DECIDING_WEIGHT)) category = c;
  }
  // Agreement of weak items decides only when nothing decisive exists: plural nouns in a name and its
  // description (`get_thread_replies`) must not outvote the name's leading verb.
  if (!category) {
    for (const c of taxonomy.categoryOrder) {
      const t = tallies.get(c);
      if (t && t.sum >= AGREEMENT_WEIGHT && t.rules.size >= 2) category = c;
    }
  }
  if (!category) {
    // Nothing strong enough: take the best-supported category, ties to the more dangerous, and say so.
    let best = -1;
    for (const c of taxonomy.categoryOrder) {
      const t = tallies.get(c);
      if (t && t.sum >= best) {
        best = t.sum;
        category = c;
      }
    }
    tentative = category !== undefined;
  }

  let finalCategory: Category = category ?? 'Unknown';
  let confidence = 0;
  const deciding = category
    ? [...(tallies.get(category)?.items ?? [])].sort((a, b) => Number(b.hard ?? false) - Number(a.hard ?? false) || ruleWeight(b.rule) - ruleWeight(a.rule))
    : [];

  if (category) confidence = ruleConfidence(tallies, category, evidence, tentative);

  let method: Method = 'rules';
  const capabilities = [...capabilitySet];
  for (const op of opinions) {
    // Consulted even when it could not tell: the verdict is then the rules' own, and says so.
    method = 'rules+llm';
    if (op.category === 'Unknown') continue;
    const current = finalCategory === 'Unknown' ? -1 : taxonomy.rank(finalCategory);
    const proposed = taxonomy.rank(op.category);
    const floorRank = floor ? taxonomy.rank(floor) : -1;
    const raises = proposed > current;
    const refines = proposed !== current && op.confidence > confidence && proposed >= floorRank;
    if (raises || refines) {
      finalCategory = op.category;
      tentative = false;
    }
    // An opinion's own risk level is not used: the level follows the category it settles on.
    for (const c of op.capabilities ?? []) if (taxonomy.capabilities.has(c)) capabilities.push(c);
    confidence = Math.max(confidence, Math.min(1, op.confidence));
    // The rules had nothing to go on: the category is the opinion's alone.
    if (category === undefined && finalCategory !== 'Unknown') method = 'llm';
  }

  const { risk, score, modifiers } = riskAndScore(finalCategory, evidence);
  if (finalCategory === 'Destructive' || finalCategory === 'Financial') capabilities.push('irreversible');
  if (finalCategory === 'Financial') capabilities.push('costs-money');
  const order = [...taxonomy.capabilities.keys()];
  const shown = new Set<string>();
  for (const c of capabilities) {
    const def = taxonomy.capabilities.get(c);
    if (!def) continue;
    if (finalCategory !== 'Unknown' && def.onlyWith.length > 0 && !def.onlyWith.includes(finalCategory)) continue;
    shown.add(c);
  }
  return {
    category: finalCategory,
    risk,
    score,
    capabilities: order.filter((c) => shown.has(c)),
    confidence: Math.round(confidence * 100) / 100,
    method,
    deciding,
    modifiers,
    floor,
    tentative,
  };
}

/** The level the category carries, and the score its applicable modifiers (each counted once) give within it. */
function riskAndScore(category: Category, evidence: readonly Evidence[]): { risk: Risk; score: number | null; modifiers: Evidence[] } {
  if (category === 'Unknown') return { risk: 'Unknown', score: null, modifiers: [] };
  const taxonomy = loadTaxonomy();
  const risk = taxonomy.categories.get(category)?.defaultRisk ?? 'Critical';
  const modifiers: Evidence[] = [];
  const seen = new Set<string>();
  let delta = 0;
  for (const ev of evidence) {
    const m = ev.modifier;
    if (!m || seen.has(m.id)) continue;
    const def = taxonomy.modifiers.get(m.id);
    if (def && def.appliesTo.length > 0 && !def.appliesTo.includes(category)) continue;
    seen.add(m.id);
    modifiers.push(ev);
    delta += def?.delta ?? m.delta;
  }
  return { risk, score: Math.max(MIN_SCORE, Math.min(MAX_SCORE, SCORE_BASE[risk] + delta)), modifiers };
}

/** From the weight and agreement of the deciding evidence; conflicts and missing descriptions lower it. */
function ruleConfidence(tallies: Map<KnownCategory, Tally>, category: KnownCategory, evidence: readonly Evidence[], tentative: boolean): number {
  const t = tallies.get(category);
  if (!t) return 0;
  let c = tentative ? 0.3 : 0.4 + 0.25 * Math.min(t.sum, 2);
  if (t.hard) c += 0.05;
  if (t.rules.size >= 2) c += 0.05;
  for (const [other, o] of tallies) if (other !== category && o.max >= DECIDING_WEIGHT) c -= 0.1;
  if (evidence.some((e) => e.modifier?.id === 'undocumented')) c *= 0.75;
  return Math.max(0.05, Math.min(0.95, c));
}
