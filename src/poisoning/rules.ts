// The text rules of data/poisoning.yaml, compiled: one case-insensitive expression each, with the
// words before a match checked against `unless` (a refusal or a defensive context).
import { DataFileError, isRecord, readDataFile, stringList } from '../classify/data-files.js';
import { MANIPULATION_KINDS } from '../model/index.js';
import type { Severity } from '../model/index.js';
import { MAX_WAKEABLE, SLOTS, UNTRUSTED_WAKEABLES, wordHash } from './scan.js';

/** The kinds of text-borne poisoning: the same ones an LLM second opinion may name (model/classification.ts). */
export const POISONING_KINDS = MANIPULATION_KINDS;
export type PoisoningKind = (typeof POISONING_KINDS)[number];
/** What a field is: prose, a name, or a value (an enum value or a default). */
export const FIELD_ROLES = ['text', 'name', 'value'] as const;
export type FieldRole = (typeof FIELD_ROLES)[number];

export interface PoisoningRule {
  id: string;
  kind: PoisoningKind;
  severity: Severity;
  pattern: RegExp;
  /** The same pattern with the global flag, for walking every match. */
  global: RegExp;
  unless: RegExp | undefined;
  /** Values (defaults, enum values) of parameters whose name matches are not read: `unless_param`. */
  unlessParam: RegExp | undefined;
  /**
   * Values of a tool whose own name matches are not read: `unless_tool`. A linter of `.env` files may
   * default its path to `.env`; a tool with no such subject defaulting to it would send the file unasked.
   */
  unlessTool: RegExp | undefined;
  /** The fields it reads; all three unless the rule says `in`. */
  in: ReadonlySet<FieldRole>;
  /** `in` as one string, to share joined text between rules that read the same fields. */
  inKey: string;
  /**
   * Sets of word lists. Every match contains a word of each list of at least one set, in one sentence
   * (a set per kind of match, so that the words of one kind do not combine with another's); a sentence
   * that meets no set is not searched.
   */
  triggers: ReadonlyArray<ReadonlyArray<readonly string[]>>;
  fire: string[];
  pass: string[];
  todo: string[];
}

export interface RuleMatch {
  index: number;
  text: string;
}

const KEYS = new Set(['id', 'kind', 'severity', 'pattern', 'unless', 'unless_param', 'unless_tool', 'in', 'triggers', 'fire', 'pass', 'todo']);
const SEVERITIES: readonly Severity[] = ['info', 'warning', 'error'];
/** How far back `unless` looks: the start of the sentence, at most this many characters. */
const UNLESS_WINDOW = 120;
/** How far back an open quotation is looked for (quotes are counted, so the window must hold them all). */
const QUOTE_WINDOW = 400;
const SENTENCE_END = /(?<!\b(?:e\.g|i\.e|etc|vs|cf))[.!?;]\s+|\n/g;

let cached: { version: string; rules: PoisoningRule[] } | undefined;

export function loadPoisoningRules(): PoisoningRule[] {
  cached ??= compilePoisoningRules(readDataFile('poisoning.yaml'));
  return cached.rules;
}

export function compilePoisoningRules(raw: unknown): { version: string; rules: PoisoningRule[] } {
  const file = 'poisoning.yaml';
  if (!isRecord(raw) || typeof raw.version !== 'string' || !Array.isArray(raw.rules)) throw new DataFileError(file, ['needs version and rules']);
  const problems: string[] = [];
  const rules: PoisoningRule[] = [];
  const ids = new Set<string>();
  for (const r of raw.rules) {
    if (!isRecord(r) || typeof r.id !== 'string' || typeof r.pattern !== 'string') {
      problems.push('every rule needs an id and a pattern');
      continue;
    }
    for (const k of Object.keys(r)) if (!KEYS.has(k)) problems.push(`${r.id}: unknown key ${k}`);
    if (ids.has(r.id)) problems.push(`${r.id}: duplicate id`);
    ids.add(r.id);
    if (!POISONING_KINDS.includes(r.kind as PoisoningKind)) problems.push(`${r.id}: kind must be one of ${POISONING_KINDS.join(', ')}`);
    if (!SEVERITIES.includes(r.severity as Severity)) problems.push(`${r.id}: severity must be one of ${SEVERITIES.join(', ')}`);
    const roles = r.in === undefined ? [...FIELD_ROLES] : stringList(r.in);
    if (roles.length === 0 || roles.some((f) => !FIELD_ROLES.includes(f as FieldRole))) problems.push(`${r.id}: in takes ${FIELD_ROLES.join(', ')}`);
    let pattern: RegExp;
    let unless: RegExp | undefined;
    let unlessParam: RegExp | undefined;
    let unlessTool: RegExp | undefined;
    try {
      pattern = new RegExp(r.pattern, 'i');
      // Up to the match with no sentence end between (an example list's own dots aside: withinList).
      unless = typeof r.unless === 'string' ? new RegExp(`(?:${r.unless})[^.!?\\n]*$`, 'i') : undefined;
      unlessParam = typeof r.unless_param === 'string' ? new RegExp(`^(?:${r.unless_param})$`, 'i') : undefined;
      unlessTool = typeof r.unless_tool === 'string' ? new RegExp(r.unless_tool, 'i') : undefined;
    } catch (error) {
      problems.push(`${r.id}: ${(error as Error).message}`);
      continue;
    }
    if (stringList(r.fire).length === 0 || stringList(r.pass).length === 0) problems.push(`${r.id}: needs fire and pass cases`);
    const triggers = triggerSets(r.id, r.triggers, problems);
    rules.push({
      id: r.id,
      kind: r.kind as PoisoningKind,
      severity: r.severity as Severity,
      pattern,
      global: new RegExp(pattern.source, 'gi'),
      unless,
      unlessParam,
      unlessTool,
      in: new Set(roles as FieldRole[]),
      inKey: [...new Set(roles)].sort().join(','),
      triggers,
      fire: stringList(r.fire),
      pass: stringList(r.pass),
      todo: stringList(r.todo),
    });
  }
  // The scan's masks have room for so many sets (plus the orders check and the untrusted-text patterns),
  // and its table tells words apart by hash: both are checked here, where a data file can be named.
  const sets = rules.reduce((n, r) => n + r.triggers.length, 0);
  if (sets + 1 > MAX_WAKEABLE - UNTRUSTED_WAKEABLES) problems.push(`${sets} trigger sets in all: at most ${MAX_WAKEABLE - UNTRUSTED_WAKEABLES - 1}`);
  const byHash = new Map<number, string>();
  for (const word of new Set(rules.flatMap((r) => r.triggers.flat(2)))) {
    const other = byHash.get(wordHash(word));
    if (other !== undefined) problems.push(`trigger words ${JSON.stringify(other)} and ${JSON.stringify(word)} share a hash: rename one`);
    byHash.set(wordHash(word), word);
  }
  if (problems.length > 0) throw new DataFileError(file, problems);
  return { version: raw.version, rules };
}

/** Most trigger sets one rule may have: each takes a bit of the scan's masks. */
const MAX_SETS = 10;

/**
 * `triggers` as sets: a flat list is one set of one list, a list of lists one set whose lists must all
 * be met, and a list of `{all: ...}` items one set per item, each written either way.
 */
function triggerSets(id: string, raw: unknown, problems: string[]): string[][][] {
  const items = Array.isArray(raw) ? raw : [];
  const alternatives = items.length > 0 && items.every((t) => isRecord(t));
  if (alternatives && items.some((t) => Object.keys(t as object).some((k) => k !== 'all'))) problems.push(`${id}: a trigger set is written {all: [...]}`);
  const sets = (alternatives ? items.map((t) => (t as { all?: unknown }).all) : [raw]).map((set) => {
    const lists = Array.isArray(set) ? set : [];
    // A YAML number (`1`) would be dropped silently by stringList: every trigger must be written as a string.
    if (lists.flat().some((t) => typeof t !== 'string')) problems.push(`${id}: every trigger must be a string (quote numbers: '1')`);
    return lists.length > 0 && lists.every((t) => Array.isArray(t)) ? lists.map((t) => stringList(t)) : [stringList(set)];
  });
  if (sets.length > MAX_SETS) problems.push(`${id}: at most ${MAX_SETS} trigger sets`);
  for (const set of sets) {
    if (set.length > SLOTS || set.some((t) => t.length === 0)) problems.push(`${id}: needs triggers: 1 to ${SLOTS} lists of words`);
    for (const t of set.flat()) if (!/^[a-z0-9]+$/.test(t)) problems.push(`${id}: trigger ${JSON.stringify(t)} is not one lowercase word`);
  }
  return sets;
}

/** The first match of `rule` in `text` that no refusal or defensive context takes back. */
export function matchRule(rule: PoisoningRule, text: string): RuleMatch | undefined {
  const global = rule.global;
  global.lastIndex = 0;
  for (let m = global.exec(text); m !== null; m = global.exec(text)) {
    if (m[0] === '') {
      global.lastIndex += 1;
      continue;
    }
    const lead = withinList(before(text, m.index));
    const window = sentenceBefore(text, m.index, QUOTE_WINDOW);
    if (quoted(window) || singleQuoted(window, text.slice(m.index + m[0].length, m.index + m[0].length + QUOTE_WINDOW))) continue;
    if (rule.unless === undefined || !rule.unless.test(lead)) return { index: m.index, text: m[0] };
  }
  return undefined;
}

/**
 * Inside an open quotation: a phrase quoted as an example ("flags phrases such as \"ignore previous
 * instructions\"", a saved search named "reverse shell patterns") is a mention, not an order.
 */
function quoted(lead: string): boolean {
  const straight = (lead.match(/"/g)?.length ?? 0) % 2 === 1;
  const curly = lead.lastIndexOf('“') > lead.lastIndexOf('”') || lead.lastIndexOf('‘') > lead.lastIndexOf('’');
  return straight || curly;
}

// A single quote opens after a space or an opening mark and closes before one; an apostrophe inside a
// word ("user's"), after it ("users' data") or before a number ("the '90s") opens nothing.
const OPENING_SINGLE = /(?:^|[\s([{:,])'(?=[A-Za-z<[{(]|$)/g;
const CLOSING_SINGLE = /(?<=\S)'(?=[\s.,;:!?)\]}]|$)/g;
/** A closing single quote anywhere: what the text after a match is searched for. */
const CLOSES = /'(?=[\s.,;:!?)\]}]|$)/;
/** The end of a sentence in the text after a match: a quotation closed past it is not around the match. */
const SENTENCE_AFTER = /[.!?;](?:\s|$)|\n/;

/**
 * Whether the match sits inside a 'single-quoted' phrase: opened before it in its sentence and closed
 * after it in the same sentence. Both ends are needed, so a stray apostrophe cannot hide what follows.
 */
function singleQuoted(lead: string, after: string): boolean {
  let open = -1;
  for (const m of lead.matchAll(OPENING_SINGLE)) open = m.index + m[0].length - 1;
  if (open === -1) return false;
  for (const m of lead.matchAll(CLOSING_SINGLE)) if (m.index > open) return false;
  const end = after.search(SENTENCE_AFTER);
  const rest = end === -1 ? after : after.slice(0, end + 1);
  return CLOSES.test(rest);
}

/** An example list opened before the match and still open at it: "(e.g. ransomware, ". */
const OPEN_EXAMPLE_LIST = /\((?:e\.g|i\.e)\.(?=[^()]*$)/i;

/**
 * The lead with the dots of an open example list taken out, so a defensive word before the list
 * ("detected families (e.g. ransomware, keylogger") still reaches a match inside it. A list closed
 * before the match ("EDR products (e.g. Defender), and runs mimikatz") keeps its dots, and ends the
 * reach of the words before it.
 */
function withinList(lead: string): string {
  return OPEN_EXAMPLE_LIST.test(lead) ? lead.replace(OPEN_EXAMPLE_LIST, (list) => list.replace(/\./g, '')) : lead;
}

/** The words before `index`, back to the sentence start, at most UNLESS_WINDOW characters. */
function before(text: string, index: number): string {
  return sentenceBefore(text, index, UNLESS_WINDOW);
}

/** The text before `index` back to the start of its sentence, at most `limit` characters. */
function sentenceBefore(text: string, index: number, limit: number): string {
  const window = text.slice(Math.max(0, index - limit), index);
  let start = 0;
  // A sentence ends at . ! ? ; or a line break, but not at "e.g." or "i.e.".
  for (const m of window.matchAll(SENTENCE_END)) start = m.index + m[0].length;
  return window.slice(start);
}
