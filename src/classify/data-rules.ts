// Compiles data/rules.yaml into runtime rules: one precompiled regex per rule, checked over named fields.
import { CATEGORIES } from '../model/index.js';
import type { KnownCategory } from '../model/index.js';
import { DataFileError, isRecord, readDataFile, stringList } from './data-files.js';
import { CONFIDENCES } from './rule.js';
import type { FireCase, Rule, RuleCase } from './rule.js';
import { loadTaxonomy } from './taxonomy.js';
import type { ToolView } from './view.js';

const FIELDS = ['name', 'title', 'description', 'params', 'param_descriptions'] as const;
type Field = (typeof FIELDS)[number];
/** Every key a data rule may carry; anything else is a typo that would otherwise be silently ignored. */
const RULE_KEYS = new Set(['id', 'category', 'capability', 'modifier', 'confidence', 'docs', 'fields', 'pattern', 'unless', 'tests']);
const TEST_KEYS = new Set(['fire', 'pass', 'todo']);

/** A case is a tool definition plus `note`, and for firing cases `at`: the field path the rule must report. */
function toCases(value: unknown, id: string, kind: string, problems: string[]): Array<RuleCase & { at?: string }> {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push(`${id}: tests.${kind} must be a list`);
    return [];
  }
  return value.filter(isRecord).map((c) => {
    const { note, at, ...tool } = c;
    return { tool: tool as RuleCase['tool'], ...(typeof note === 'string' ? { note } : {}), ...(typeof at === 'string' ? { at } : {}) };
  });
}

function toFireCases(value: unknown, id: string, kind: string, problems: string[]): FireCase[] {
  return toCases(value, id, kind, problems).map(({ at, ...c }) => {
    if (at === undefined) problems.push(`${id}: every tests.${kind} case needs \`at\`, the field path it must report (${c.tool.name})`);
    return { ...c, report: { path: at ?? '' } };
  });
}

/** An escape lowercasing changes (`\S` to `\s`, `\B` to `\b`): the pattern would not say what it was written to. */
const CASED_ESCAPE = /(?<!\\)(?:\\\\)*\\([BDSWP])/;

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
    for (const key of Object.keys(r)) if (!RULE_KEYS.has(key)) problems.push(`${id}: unknown key ${key}`);
    const category = r.category === undefined ? undefined : (CATEGORIES as readonly unknown[]).includes(r.category) ? (r.category as KnownCategory) : null;
    if (category === null) problems.push(`${id}: unknown category ${String(r.category)}`);
    const capability = typeof r.capability === 'string' ? r.capability : undefined;
    if (capability && !taxonomy.capabilities.has(capability)) problems.push(`${id}: unknown capability ${capability}`);
    const modifier = typeof r.modifier === 'string' ? r.modifier : undefined;
    if (modifier && !taxonomy.modifiers.has(modifier)) problems.push(`${id}: unknown modifier ${modifier}`);
    if (!category && !capability && !modifier) problems.push(`${id}: reports nothing (needs a category, capability or modifier)`);
    const confidence = CONFIDENCES.find((c) => c === r.confidence);
    if (!confidence) problems.push(`${id}: confidence must be one of ${CONFIDENCES.join(', ')}`);
    const fields = stringList(r.fields) as Field[];
    if (fields.length === 0) problems.push(`${id}: no fields`);
    for (const f of fields) if (!FIELDS.includes(f)) problems.push(`${id}: unknown field ${f}`);
    let pattern: RegExp | undefined;
    let unless: RegExp | undefined;
    for (const source of [r.pattern, r.unless]) {
      const cased = typeof source === 'string' ? CASED_ESCAPE.exec(source) : null;
      if (cased) problems.push(`${id}: \\${cased[1]} would read as \\${cased[1]!.toLowerCase()}, since patterns are lowercased`);
    }
    try {
      // Texts are lowercased once per tool (see view.ts), so patterns compile without the `i` flag.
      pattern = new RegExp(String(r.pattern ?? '').toLowerCase());
      if (typeof r.unless === 'string') unless = new RegExp(r.unless.toLowerCase());
    } catch (error) {
      problems.push(`${id}: bad regex (${(error as Error).message})`);
    }
    if (!r.pattern) problems.push(`${id}: missing pattern`);
    const tests = isRecord(r.tests) ? r.tests : {};
    for (const key of Object.keys(tests)) if (!TEST_KEYS.has(key)) problems.push(`${id}: unknown tests key ${key} (fire, pass, todo)`);
    const cases = {
      fire: toFireCases(tests.fire, id, 'fire', problems),
      pass: toCases(tests.pass, id, 'pass', problems),
      todo: toFireCases(tests.todo, id, 'todo', problems),
    };
    if (!pattern || !confidence || category === null) continue;
    const meta = {
      id,
      docs: String(r.docs ?? ''),
      confidence,
      source: `data/${file}`,
      ...(category ? { category } : {}),
      ...(capability ? { capability } : {}),
      ...(modifier ? { modifier } : {}),
    };
    const re = pattern;
    // One hit per rule is enough evidence; stop at the first matching field.
    const check: Rule['check'] = (view: ToolView, ctx) => {
      for (const field of fields) {
        if (field === 'params' || field === 'param_descriptions') {
          for (const p of view.params) {
            const text = field === 'params' ? p.wordsText : p.descriptionLower;
            const m = text ? re.exec(text) : null;
            if (m && !(unless?.test(text) ?? false)) return ctx.report({ path: field === 'params' ? p.path : `${p.path}.description`, match: m[0] });
          }
          continue;
        }
        const text = field === 'name' ? view.nameText : field === 'title' ? view.titleLower : view.descriptionLower;
        const m = text ? re.exec(text) : null;
        if (m && !(unless?.test(text) ?? false)) return ctx.report({ path: field, match: m[0] });
      }
    };
    rules.push({ meta, check, cases });
  }
  if (problems.length > 0) throw new DataFileError(file, problems);
  return rules;
}

let cached: Rule[] | undefined;

export function loadDataRules(): Rule[] {
  cached ??= compileDataRules(readDataFile('rules.yaml'));
  return cached;
}
