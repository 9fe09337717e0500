// Turns tool names and descriptions into words: name splitting, server-prefix stripping, sentence tokens.
import type { Lexicon } from './lexicon.js';

const NAME_SPLIT = /[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=[0-9])|(?<=[0-9])(?=[A-Za-z])/;

/** Splits snake_case, kebab-case, camelCase, PascalCase, dotted and slashed names into lowercase words. */
export function splitName(name: string): string[] {
  const out: string[] = [];
  for (const part of name.split(NAME_SPLIT)) if (part) out.push(part.toLowerCase());
  return out;
}

/** Words in a server name that never act as a tool-name prefix on their own. */
const GENERIC_SERVER_WORDS = new Set(['mcp', 'server', 'servers', 'example', 'examples', 'the', 'modelcontextprotocol', 'official']);

export function serverWords(serverName: string | undefined): Set<string> {
  const words = new Set<string>();
  if (!serverName) return words;
  for (const w of splitName(serverName)) if (!GENERIC_SERVER_WORDS.has(w)) words.add(w);
  return words;
}

/**
 * Strips a leading server prefix (`flowforge_cancel_run` on server Flowforge, `slack_post_message`)
 * or a first word shared by every sibling tool. Lexicon verbs are never stripped, so a server called
 * "delete-bot" cannot hide the verb of `delete_file`; at least one word always remains.
 */
export function stripPrefix(words: string[], server: Set<string>, sharedPrefix: string | undefined, lexicon: Lexicon): { words: string[]; prefix: string[] } {
  let i = 0;
  while (i < words.length - 1) {
    const w = words[i] as string;
    // Agent nouns (`browser`) are names of things, and may be prefixes; verbs never are.
    const entry = lexicon.forms.get(w);
    if (entry !== undefined && entry.agent !== true) break;
    if (server.has(w) || (i === 0 && w === sharedPrefix)) i++;
    else break;
  }
  return i === 0 ? { words, prefix: [] } : { words: words.slice(i), prefix: words.slice(0, i) };
}

/** The first word every sibling shares, when there are at least two siblings and all agree. */
export function sharedFirstWord(siblingNames: readonly string[] | undefined): string | undefined {
  if (!siblingNames || siblingNames.length < 2) return undefined;
  let shared: string | undefined;
  for (const name of siblingNames) {
    const first = splitName(name)[0];
    if (first === undefined) return undefined;
    if (shared === undefined) shared = first;
    else if (shared !== first) return undefined;
  }
  return shared;
}

export interface DescToken {
  /** Lowercased word. */
  word: string;
  /** Offset of the word in the description, for quoting the match. */
  start: number;
  /** First verb slot of a sentence, after a lead marker ("to", "will"), or joined to a lead verb by and/or. */
  lead: boolean;
  /** A negation ("not", "without", "never") precedes it within three words in the same sentence. */
  negated: boolean;
  /** 0-based sentence index; later sentences of long descriptions (usage notes, bullet lists) weigh less. */
  sentence: number;
}

// Hyphenated words stay whole, so "read-only" or "run-time" is not read as the verb "read" or "run".
const DESC_TOKEN = /[A-Za-z][A-Za-z']*(?:-[A-Za-z]+)*|[.!?;:\n]+/g;
const SENTENCE_END = /^[.!?;:\n]/;
/** Sentence openers that come before the real verb: "This tool cancels", "Tool to delete", "Use this to run". */
const OPENERS = new Set(['this', 'tool', 'use', 'used', 'allows', 'lets', 'you', 'helps', 'it', 'simply', 'please', 'that']);

// Parameter documentation inside a description ("- invoice (str): The ID…", "charge (string, optional)")
// names a parameter; the word is not a verb there.
const PARAMETER_MENTION = /^\s*(?:\((?:str|string|int|integer|number|float|bool|boolean|array|list|object|dict|optional|required)\b|:)/i;

// Sticky, tested at an offset: no slice is allocated for the many tokens of a long description.
const PLURAL_SUBJECT = /\s+(?:are|is|was|were|have|has|of|on|about|from|for|at|per|by)\b/iy;
/** Nothing after the word in its sentence: "a task or run." ends with a noun, not a verb. */
const CLAUSE_END = /\s*(?:[.!?;:,)\]]|$)/y;

/** "starting from a URL", "beginning at the root": a position, not the verb start. */
const POSITION_GERUNDS = new Set(['starting', 'beginning']);
const POSITION_AFTER = /\s+(?:from|at|with)\b/iy;

function followedBy(re: RegExp, text: string, at: number): boolean {
  re.lastIndex = at;
  return re.test(text);
}

/** How many words after a lead verb another verb may stand and still be joined to it by and/or. */
const JOINED_REACH = 7;

/** An identifier such as `create_prorations` or `always_invoice` is a value, not prose. */
function isIdentifierPart(text: string, start: number, end: number): boolean {
  return text[start - 1] === '_' || text[end] === '_';
}

/** True when `word` ends one of the lexicon's idioms, given the two words before it. */
export function isIdiom(lexicon: Lexicon, word: string, prev: string, prevPrev: string): boolean {
  const before = lexicon.idioms.get(word);
  if (before === undefined) return false;
  return before.some((w) => (w.length === 1 ? w[0] === prev : w.length === 2 && w[0] === prevPrev && w[1] === prev));
}

/**
 * Tokenizes a description and returns only the words the lexicon knows, each marked with whether it
 * leads its sentence and whether a negation covers it. Other words are counted, not kept, because this
 * runs for every tool and allocation dominates.
 */
export function tokenizeDescription(text: string, lexicon: Lexicon): DescToken[] {
  const out: DescToken[] = [];
  let sentenceStart = true;
  let openerRun = true;
  let leadSeen = false;
  let lastLead = -10;
  let lastNegation = -10;
  let prev = '';
  let prevPrev = '';
  let sentence = 0;
  let wordIndex = 0;
  DESC_TOKEN.lastIndex = 0;
  for (let m = DESC_TOKEN.exec(text); m !== null; m = DESC_TOKEN.exec(text)) {
    const raw = m[0];
    if (SENTENCE_END.test(raw)) {
      if (!sentenceStart) sentence++;
      sentenceStart = true;
      openerRun = true;
      leadSeen = false;
      lastLead = -10;
      lastNegation = -10;
      prev = prevPrev = '';
      continue;
    }
    let word = raw.toLowerCase();
    if (word.endsWith("'s")) word = word.slice(0, -2);
    const index = wordIndex++;
    const isNegation = lexicon.negations.has(word) || word.endsWith("n't");
    const end = m.index + raw.length;
    const notAVerb =
      isIdentifierPart(text, m.index, end) ||
      PARAMETER_MENTION.test(text.slice(end, end + 12)) ||
      isIdiom(lexicon, word, prev, prevPrev) ||
      (POSITION_GERUNDS.has(word) && followedBy(POSITION_AFTER, text, end));
    const known = notAVerb ? undefined : lexicon.forms.get(word);
    // Name-only verbs and agent nouns count only in a tool name.
    const entry = known?.nameOnly === true || known?.agent === true ? undefined : known;
    let lead = false;
    if (entry?.finite) {
      if (sentenceStart || openerRun) lead = true;
      // "Commands for creating, listing and deleting blobs": the gerunds after "for" list what the tool does.
      else if (prev === 'for' && word.endsWith('ing') && !leadSeen) lead = true;
      // "Use this to abort", "it will overwrite": a marker leads only before the sentence's own verb; after
      // it ("List themes available to install") the marked verb is a complement, not this tool's action.
      else if (!leadSeen && (lexicon.leadMarkers.has(prev) || (prev.endsWith('ly') && lexicon.leadMarkers.has(prevPrev)))) lead = true;
      // "Create a new file or completely overwrite it": joined to a lead verb close by. Far from it, the
      // word after "or" ends a list of nouns ("filter by author, date range, or commit message").
      else if (
        leadSeen &&
        index - lastLead <= JOINED_REACH &&
        (lexicon.conjunctions.has(prev) || (prev.endsWith('ly') && lexicon.conjunctions.has(prevPrev))) &&
        !followedBy(CLAUSE_END, text, end)
      )
        lead = true;
      // "Tags are the way contacts are grouped", "Moves of every status", "updates on issues": an -s form
      // before a verb of being or a preposition is a plural noun, not a verb.
      if (lead && word !== entry.lemma && followedBy(PLURAL_SUBJECT, text, end)) lead = false;
    }
    if (entry) out.push({ word, start: m.index, lead, negated: index - lastNegation <= 3 && !isNegation, sentence });
    if (isNegation) lastNegation = index;
    if (lead) {
      leadSeen = true;
      lastLead = index;
    }
    // Adverbs do not end the opener run: "This tool permanently deletes".
    openerRun = openerRun && (OPENERS.has(word) || word.endsWith('ly'));
    sentenceStart = false;
    prevPrev = prev;
    prev = word;
  }
  return out;
}
