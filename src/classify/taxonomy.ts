// The parsed taxonomy (data/taxonomy.yaml): category ids, order, default risks, capabilities, modifiers.
import { CATEGORIES, RISKS } from '../model/index.js';
import type { KnownCategory, KnownRisk } from '../model/index.js';
import { DataFileError, isRecord, readDataFile, stringList } from './data-files.js';
import { contentHash } from './content-hash.js';

export interface CategoryDef {
  id: KnownCategory;
  defaultRisk: KnownRisk;
  means: string;
  description: string;
  examples: string[];
  notExamples: string[];
  signal: string;
}

export interface CapabilityDef {
  id: string;
  means: string;
  signal: string;
  /** Categories the capability is shown with; empty means all. */
  onlyWith: KnownCategory[];
}

export interface ModifierDef {
  id: string;
  delta: number;
  means: string;
  appliesTo: KnownCategory[];
}

export interface Taxonomy {
  version: string;
  riskLevels: KnownRisk[];
  /** Least to most dangerous. */
  categoryOrder: KnownCategory[];
  categories: Map<KnownCategory, CategoryDef>;
  unknownMeans: string;
  capabilities: Map<string, CapabilityDef>;
  modifiers: Map<string, ModifierDef>;
  /** Rank of a category in categoryOrder; higher is more dangerous. */
  rank(category: KnownCategory): number;
}

let cached: Taxonomy | undefined;

export function loadTaxonomy(): Taxonomy {
  cached ??= compileTaxonomy(readDataFile('taxonomy.yaml'));
  return cached;
}

const isCategory = (v: unknown): v is KnownCategory => (CATEGORIES as readonly unknown[]).includes(v);
const isRisk = (v: unknown): v is KnownRisk => (RISKS as readonly unknown[]).includes(v);

export function compileTaxonomy(raw: unknown): Taxonomy {
  const problems: string[] = [];
  if (!isRecord(raw)) throw new DataFileError('taxonomy.yaml', ['top level is not a mapping']);
  const declared = typeof raw.version === 'string' ? raw.version : '';
  if (!declared) problems.push('missing version');
  // Derived like the rule-set version: the declared major plus a hash of the content, so an edited
  // example or modifier (which the LLM prompt quotes) is a new taxonomy version.
  const version = `${declared}+${contentHash(raw)}`;

  const riskLevels = stringList(raw.risk_levels).filter(isRisk);
  if (riskLevels.join() !== RISKS.join()) problems.push(`risk_levels must be ${RISKS.join(', ')}`);

  const categoryOrder = stringList(raw.category_order).filter(isCategory);
  if (categoryOrder.length !== CATEGORIES.length) problems.push('category_order must list every category once');

  const categories = new Map<KnownCategory, CategoryDef>();
  for (const c of Array.isArray(raw.categories) ? raw.categories : []) {
    if (!isRecord(c) || !isCategory(c.id)) {
      problems.push(`unknown category ${JSON.stringify(isRecord(c) ? c.id : c)}`);
      continue;
    }
    if (!isRisk(c.default_risk)) problems.push(`${c.id}: bad default_risk`);
    categories.set(c.id, {
      id: c.id,
      defaultRisk: isRisk(c.default_risk) ? c.default_risk : 'Critical',
      means: String(c.means ?? ''),
      description: String(c.description ?? ''),
      examples: stringList(c.examples),
      notExamples: stringList(c.not_examples),
      signal: String(c.signal ?? c.means ?? ''),
    });
  }
  for (const id of CATEGORIES) if (!categories.has(id)) problems.push(`category ${id} is not defined`);

  const capabilities = new Map<string, CapabilityDef>();
  for (const c of Array.isArray(raw.capabilities) ? raw.capabilities : []) {
    if (!isRecord(c) || typeof c.id !== 'string') {
      problems.push('capability without id');
      continue;
    }
    const onlyWith = stringList(c.only_with);
    for (const o of onlyWith) if (!isCategory(o)) problems.push(`capability ${c.id}: unknown category ${o}`);
    capabilities.set(c.id, {
      id: c.id,
      means: String(c.means ?? ''),
      signal: String(c.signal ?? c.means ?? ''),
      onlyWith: onlyWith.filter(isCategory),
    });
  }

  const modifiers = new Map<string, ModifierDef>();
  for (const m of Array.isArray(raw.modifiers) ? raw.modifiers : []) {
    if (!isRecord(m) || typeof m.id !== 'string' || typeof m.delta !== 'number') {
      problems.push('modifier needs id and numeric delta');
      continue;
    }
    const appliesTo = stringList(m.applies_to);
    for (const o of appliesTo) if (!isCategory(o)) problems.push(`modifier ${m.id}: unknown category ${o}`);
    modifiers.set(m.id, { id: m.id, delta: m.delta, means: String(m.means ?? ''), appliesTo: appliesTo.filter(isCategory) });
  }

  if (problems.length > 0) throw new DataFileError('taxonomy.yaml', problems);
  const ranks = new Map(categoryOrder.map((c, i) => [c, i] as const));
  const unknown = isRecord(raw.unknown) ? String(raw.unknown.means ?? '') : '';
  return {
    version,
    riskLevels,
    categoryOrder,
    categories,
    unknownMeans: unknown.trim(),
    capabilities,
    modifiers,
    rank: (category) => ranks.get(category) ?? 0,
  };
}
