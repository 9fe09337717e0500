// Compiles data/rules.yaml into runtime rules: one precompiled regex per rule, checked over named fields.
import { CATEGORIES } from '../model/index.js';
import type { Evidence, KnownCategory } from '../model/index.js';
import { DataFileError, isRecord, readDataFile, stringList } from './data-files.js';
import { bounded } from './rule.js';
import type { Confidence, Impact, Rule, RuleCase } from './rule.js';
import { loadTaxonomy } from './taxonomy.js';
import type { ToolView } from './view.js';

const FIELDS = ['name', 'title', 'description', 'params', 'param_descriptions'] as const;
type Field = (typeof FIELDS)[number];
const CONFIDENCES: readonly Confidence[] = ['high', 'medium', 'low', 'weak'];
const IMPACTS: readonly Impact[] = ['low', 'medium', 'high'];

function toCases(value: unknown): RuleCase[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).map((c) => {
    const { note, ...tool } = c;
    return { tool: tool as RuleCase['tool'], ...(typeof note === 'string' ? { note } : {}) };
  });
}

export function compileDataRules(raw: unknown, file = 'rules.yaml'): Rule[] {
  const problems: string[] = [];
  const taxonomy = loadTaxonomy();
  const rules: Rule[] = [];
  const list = isRecord(raw) && Array.isArray(raw.rules) ? raw.rules : [];
  if (list.length === 0) problems.push('no rules');
  const seen = new Set<string>();
  for (const r of list) {
    if (!isRecord(r) || typeof r.id !== 'string') {
      problems.push('rule without id');
      continue;
    }
    const id = r.id;
    if (seen.has(id)) problems.push(`${id}: duplicate id`);
    seen.add(id);
    const category = r.category === undefined ? undefined : (CATEGORIES as readonly unknown[]).includes(r.category) ? (r.category as KnownCategory) : null;
    if (category === null) problems.push(`${id}: unknown category ${String(r.category)}`);
    const capability = typeof r.capability === 'string' ? r.capability : undefined;
    if (capability && !taxonomy.capabilities.has(capability)) problems.push(`${id}: unknown capability ${capability}`);
    const modifier = typeof r.modifier === 'string' ? r.modifier : undefined;
    if (modifier && !taxonomy.modifiers.has(modifier)) problems.push(`${id}: unknown modifier ${modifier}`);
    const confidence = CONFIDENCES.find((c) => c === r.confidence);
    if (!confidence) problems.push(`${id}: confidence must be one of ${CONFIDENCES.join(', ')}`);
    const impact = IMPACTS.find((c) => c === r.impact);
    if (!impact) problems.push(`${id}: impact must be one of ${IMPACTS.join(', ')}`);
    const fields = stringList(r.fields) as Field[];
    for (const f of fields) if (!FIELDS.includes(f)) problems.push(`${id}: unknown field ${f}`);
    let pattern: RegExp | undefined;
    let unless: RegExp | undefined;
    try {
      // Texts are lowercased once per tool (see view.ts), so patterns compile without the `i` flag.
      pattern = new RegExp(String(r.pattern ?? '').toLowerCase());
      if (typeof r.unless === 'string') unless = new RegExp(r.unless.toLowerCase());
    } catch (error) {
      problems.push(`${id}: bad regex (${(error as Error).message})`);
    }
    if (!r.pattern) problems.push(`${id}: missing pattern`);
    const tests = isRecord(r.tests) ? r.tests : {};
    if (!pattern || !confidence || !impact || category === null) continue;
    const meta = {
      id,
      docs: String(r.docs ?? ''),
      impact,
      confidence,
      source: `data/${file}`,
      ...(category ? { category } : {}),
      ...(capability ? { capability } : {}),
      ...(modifier ? { modifier } : {}),
    };
    const delta = modifier ? (taxonomy.modifiers.get(modifier)?.delta ?? 0) : 0;
    const re = pattern;
    const emit = (out: Evidence[], path: string, match: string): void => {
      const ev: Evidence = { rule: id, path, match: bounded(match) };
      if (category) ev.category = category;
      if (capability) ev.capability = capability;
      if (modifier) ev.modifier = { id: modifier, delta };
      out.push(ev);
    };
    // One hit per rule is enough evidence; stop at the first matching field.
    const check = (view: ToolView, out: Evidence[]): void => {
      for (const field of fields) {
        if (field === 'params' || field === 'param_descriptions') {
          for (const p of view.params) {
            const text = field === 'params' ? p.words.join(' ') : p.descriptionLower;
            const m = text ? re.exec(text) : null;
            if (m && !(unless?.test(text) ?? false)) return emit(out, field === 'params' ? p.path : `${p.path}.description`, m[0]);
          }
          continue;
        }
        const text = field === 'name' ? view.nameText : field === 'title' ? view.title.toLowerCase() : view.descriptionLower;
        const m = text ? re.exec(text) : null;
        if (m && !(unless?.test(text) ?? false)) return emit(out, field, m[0]);
      }
    };
    rules.push({ meta, check, cases: { fire: toCases(tests.fire), pass: toCases(tests.pass), todo: toCases(tests.todo) } });
  }
  if (problems.length > 0) throw new DataFileError(file, problems);
  return rules;
}

let cached: Rule[] | undefined;

export function loadDataRules(): Rule[] {
  cached ??= compileDataRules(readDataFile('rules.yaml'));
  return cached;
}
