// The verb lexicon (data/lexicon.yaml) compiled once into a word-form lookup table.
import { CATEGORIES } from '../model/index.js';
import type { KnownCategory } from '../model/index.js';
import { DataFileError, isRecord, readDataFile, stringList } from './data-files.js';

export interface LexEntry {
  lemma: string;
  category: KnownCategory;
  hard: boolean;
  /** Base, -s or -ing form: can be a sentence's or a name's leading verb. Participles and nouns cannot. */
  finite: boolean;
  /** Counts only in a tool name; in a description the word is mostly a noun. */
  nameOnly?: boolean;
  /** An agent noun (reader, executor): names a tool by its role, so as the last word of a name it is the action. */
  agent?: boolean;
}

export interface Lexicon {
  version: string;
  forms: Map<string, LexEntry>;
  negations: Set<string>;
  leadMarkers: Set<string>;
  conjunctions: Set<string>;
  /** Last word of an idiom -> the words that must precede it for it not to count as a verb. */
  idioms: Map<string, string[][]>;
  /** Money words for the money.object rule: objects that move money, heads they only qualify, verbs that move them. */
  money: { objects: Set<string>; nonMoneyHeads: Set<string>; verbs: Set<string>; assets: Set<string>; assetVerbs: Set<string> };
}

let cached: Lexicon | undefined;

export function loadLexicon(): Lexicon {
  cached ??= compileLexicon(readDataFile('lexicon.yaml'));
  return cached;
}

const VOWELS = new Set(['a', 'e', 'i', 'o', 'u']);
const isConsonant = (ch: string | undefined): boolean => ch !== undefined && /[a-z]/.test(ch) && !VOWELS.has(ch);

/** Third person singular: delete -> deletes, push -> pushes, copy -> copies. Also used for signals. */
export function thirdPerson(lemma: string): string {
  if (/(?:s|sh|ch|x|z|o)$/.test(lemma)) return `${lemma}es`;
  if (lemma.endsWith('y') && isConsonant(lemma.at(-2))) return `${lemma.slice(0, -1)}ies`;
  return `${lemma}s`;
}

/** Agent nouns: read -> reader, write -> writer, run -> runner, create -> creator, execute -> executor. */
export function agentNouns(lemma: string): string[] {
  const out = lemma.endsWith('e') ? [`${lemma}r`] : [`${lemma}er`];
  if (lemma.endsWith('ate') || lemma.endsWith('ute')) out.push(`${lemma.slice(0, -1)}or`);
  const last = lemma.at(-1);
  if (isConsonant(last) && VOWELS.has(lemma.at(-2) ?? '') && isConsonant(lemma.at(-3)) && !/[wxy]/.test(last ?? '')) out.push(`${lemma}${last}er`);
  return out;
}

/** Regular inflections; doubled-consonant variants are generated both ways since English spelling varies (cancelled/canceled). */
export function inflections(lemma: string): { finite: string[]; nonFinite: string[] } {
  const finite = [lemma, thirdPerson(lemma)];
  const nonFinite: string[] = [];
  const stemE = lemma.endsWith('e') && !lemma.endsWith('ee') ? lemma.slice(0, -1) : lemma;
  finite.push(`${stemE}ing`);
  if (lemma.endsWith('y') && isConsonant(lemma.at(-2))) nonFinite.push(`${lemma.slice(0, -1)}ied`);
  else if (lemma.endsWith('e')) nonFinite.push(`${lemma}d`);
  else nonFinite.push(`${lemma}ed`);
  const last = lemma.at(-1);
  if (isConsonant(last) && VOWELS.has(lemma.at(-2) ?? '') && isConsonant(lemma.at(-3)) && !/[wxy]/.test(last ?? '')) {
    finite.push(`${lemma}${last}ing`);
    nonFinite.push(`${lemma}${last}ed`);
  }
  return { finite, nonFinite };
}

function compileIdioms(phrases: string[]): Map<string, string[][]> {
  const idioms = new Map<string, string[][]>();
  for (const phrase of phrases) {
    const words = phrase.toLowerCase().split(/\s+/);
    const last = words.pop();
    if (last === undefined || words.length === 0) continue;
    idioms.set(last, [...(idioms.get(last) ?? []), words]);
  }
  return idioms;
}

export function compileLexicon(raw: unknown): Lexicon {
  const problems: string[] = [];
  if (!isRecord(raw)) throw new DataFileError('lexicon.yaml', ['top level is not a mapping']);
  const forms = new Map<string, LexEntry>();
  const lemmas = new Map<string, LexEntry>();
  const verbs = isRecord(raw.verbs) ? raw.verbs : {};
  for (const [category, groups] of Object.entries(verbs)) {
    if (!(CATEGORIES as readonly string[]).includes(category)) {
      problems.push(`verbs: unknown category ${category}`);
      continue;
    }
    if (!isRecord(groups)) continue;
    for (const hardness of ['hard', 'soft'] as const) {
      for (const lemma of stringList(groups[hardness])) {
        if (lemmas.has(lemma)) problems.push(`verb ${lemma} is listed twice`);
        const base: LexEntry = { lemma, category: category as KnownCategory, hard: hardness === 'hard', finite: true };
        lemmas.set(lemma, base);
      }
    }
  }
  const nameOnly = isRecord(raw.name_only) ? raw.name_only : {};
  for (const [category, list] of Object.entries(nameOnly)) {
    if (!(CATEGORIES as readonly string[]).includes(category)) {
      problems.push(`name_only: unknown category ${category}`);
      continue;
    }
    for (const lemma of stringList(list)) {
      if (lemmas.has(lemma)) problems.push(`verb ${lemma} is listed twice`);
      lemmas.set(lemma, { lemma, category: category as KnownCategory, hard: false, finite: true, nameOnly: true });
    }
  }
  // Inflections first, then lemmas, so a lemma always wins over a colliding inflection of another word.
  for (const entry of lemmas.values()) {
    const { finite, nonFinite } = inflections(entry.lemma);
    for (const f of nonFinite) if (!forms.has(f)) forms.set(f, { ...entry, finite: false });
    for (const f of finite) forms.set(f, { ...entry, finite: true });
  }
  for (const entry of lemmas.values()) forms.set(entry.lemma, entry);
  // Agent nouns last, and only where no verb form already has the word (`register`, `monitor` stay verbs).
  for (const entry of lemmas.values()) {
    if (entry.nameOnly) continue;
    for (const noun of agentNouns(entry.lemma)) if (!forms.has(noun)) forms.set(noun, { ...entry, finite: false, agent: true });
  }
  const explicit = isRecord(raw.forms) ? raw.forms : {};
  for (const [form, lemma] of Object.entries(explicit)) {
    const entry = typeof lemma === 'string' ? lemmas.get(lemma) : undefined;
    if (!entry) {
      problems.push(`forms: ${form} -> ${String(lemma)} is not a listed verb`);
      continue;
    }
    forms.set(form, { ...entry, finite: false });
  }
  const money = isRecord(raw.money) ? raw.money : {};
  for (const key of ['objects', 'non_money_heads', 'verbs', 'assets', 'asset_verbs'])
    if (stringList(money[key]).length === 0) problems.push(`money.${key} is missing or empty`);
  if (problems.length > 0) throw new DataFileError('lexicon.yaml', problems);
  return {
    version: typeof raw.version === 'string' ? raw.version : 'lexicon@?',
    forms,
    negations: new Set(stringList(raw.negations)),
    leadMarkers: new Set(stringList(raw.lead_markers)),
    conjunctions: new Set(stringList(raw.conjunctions)),
    idioms: compileIdioms(stringList(raw.idioms)),
    money: {
      objects: new Set(stringList(money.objects)),
      nonMoneyHeads: new Set(stringList(money.non_money_heads)),
      verbs: new Set(stringList(money.verbs)),
      assets: new Set(stringList(money.assets)),
      assetVerbs: new Set(stringList(money.asset_verbs)),
    },
  };
}
