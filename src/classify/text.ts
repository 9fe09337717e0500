// Turns tool names and descriptions into words: name splitting, server-prefix stripping, sentence tokens.
import type { Lexicon } from './lexicon.js';

/** What a name character is to splitName: not a word character (0), a lowercase letter (1), an uppercase one (2), a digit (3). ASCII only: any other letter separates words. */
function charKind(c: number): number {
  return c >= 97 && c <= 122 ? 1 : c >= 65 && c <= 90 ? 2 : c >= 48 && c <= 57 ? 3 : 0;
}

/**
 * Splits snake_case, kebab-case, camelCase, PascalCase, dotted and slashed names into lowercase words:
 * runs of ASCII letters and digits, cut before an uppercase letter that follows a lowercase one or a
 * digit (`getUser`), before the last capital of a run that goes on in lowercase (`HTMLParser`), and
 * between letters and digits (`v2`, `s3Bucket`). A loop over char codes, not a regex split: it runs for
 * every tool name, parameter and sibling, and is twice as fast so.
 */
export function splitName(name: string): string[] {
  const out: string[] = [];
  const n = name.length;
  let start = -1;
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const kind = charKind(name.charCodeAt(i));
    if (kind === 0) {
      if (start >= 0) out.push(name.slice(start, i).toLowerCase());
      start = -1;
    } else if (start < 0) start = i;
    else if ((kind === 2 && (prev !== 2 || (i + 1 < n && charKind(name.charCodeAt(i + 1)) === 1))) || (kind === 3) !== (prev === 3)) {
      out.push(name.slice(start, i).toLowerCase());
      start = i;
    }
    prev = kind;
  }
  if (start >= 0) out.push(name.slice(start).toLowerCase());
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
 * or the first words shared by every sibling tool (`TwilioApiV2010--DeleteMessage`). Lexicon verbs are
 * never stripped, so a server called "delete-bot" cannot hide the verb of `delete_file`; at least one
 * word always remains.
 */
export function stripPrefix(words: string[], server: Set<string>, sharedPrefix: readonly string[], lexicon: Lexicon): { words: string[]; prefix: string[] } {
  let i = 0;
  while (i < words.length - 1) {
    const w = words[i] as string;
    // Agent nouns (`browser`) are names of things, and may be prefixes; verbs never are.
    const entry = lexicon.forms.get(w);
    if (entry !== undefined && entry.agent !== true) break;
    if (server.has(w) || w === sharedPrefix[i]) i++;
    else break;
  }
  return i === 0 ? { words, prefix: [] } : { words: words.slice(i), prefix: words.slice(0, i) };
}

/**
 * The first words every sibling starts with (`twilio api v2010` of `TwilioApiV2010--ListMessage` and
 * its siblings), when there are at least two siblings: never a whole name, and never past a lexicon
 * verb (`get_user` and `get_users` share no prefix), since a verb is the action, not a namespace.
 */
export function sharedLeadingWords(siblingNames: readonly string[] | undefined, lexicon: Lexicon): string[] {
  if (!siblingNames || siblingNames.length < 2) return [];
  let shared: string[] | undefined;
  for (const name of siblingNames) {
    const words = splitName(name);
    if (shared === undefined) shared = words.slice(0, -1);
    let n = 0;
    while (n < shared.length && n < words.length - 1 && shared[n] === words[n]) n++;
    shared.length = n;
    if (n === 0) return [];
  }
  const shown = shared ?? [];
  const verbAt = shown.findIndex((w) => {
    const entry = lexicon.forms.get(w);
    return entry !== undefined && entry.agent !== true;
  });
  return verbAt === -1 ? shown : shown.slice(0, verbAt);
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

function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** What ends a sentence for the tokenizer: `.`, `!`, `?`, `;`, `:` and a line break. */
function isSentenceEnd(c: number): boolean {
  return c === 46 || c === 33 || c === 63 || c === 59 || c === 58 || c === 10;
}

/**
 * Where the description token starting at `start` ends, or -1 when none starts there. A token is a word
 * (`[A-Za-z][A-Za-z']*(?:-[A-Za-z]+)*`: hyphenated words stay whole, so "read-only" or "run-time" is not
 * read as the verb "read" or "run") or a run of sentence ends. A loop over char codes rather than a
 * global regex: no match array per word of every description.
 */
export function descTokenEnd(text: string, start: number): number {
  const n = text.length;
  const c = text.charCodeAt(start);
  let i = start + 1;
  if (isAsciiLetter(c)) {
    while (i < n && (isAsciiLetter(text.charCodeAt(i)) || text.charCodeAt(i) === 39)) i++;
    while (i + 1 < n && text.charCodeAt(i) === 45 && isAsciiLetter(text.charCodeAt(i + 1))) {
      i += 2;
      while (i < n && isAsciiLetter(text.charCodeAt(i))) i++;
    }
    return i;
  }
  if (!isSentenceEnd(c)) return -1;
  while (i < n && isSentenceEnd(text.charCodeAt(i))) i++;
  return i;
}
/** Sentence openers that come before the real verb: "This tool cancels", "Tool to delete", "Use this to run". */
const OPENERS = new Set(['this', 'tool', 'use', 'used', 'allows', 'lets', 'you', 'helps', 'it', 'simply', 'please', 'that']);

// Parameter documentation inside a description ("- invoice (str): The ID…", "charge (string, optional)")
// names a parameter; the word is not a verb there.
const PARAMETER_MENTION = /^\s*(?:\((?:str|string|int|integer|number|float|bool|boolean|array|list|object|dict|optional|required)\b|:)/i;
/** How far after a word PARAMETER_MENTION looks. */
const MENTION_REACH = 12;

/**
 * PARAMETER_MENTION on the MENTION_REACH units after `end`, tried only when it can match: past plain
 * spaces, the first character must be `(`, `:` or other whitespace. Nearly every word is followed by a
 * space and a letter, so most words cost no slice and no regex.
 */
function mentionsParameter(text: string, end: number): boolean {
  const limit = Math.min(text.length, end + MENTION_REACH);
  let i = end;
  while (i < limit && text.charCodeAt(i) === 32) i++;
  if (i === limit) return false;
  const c = text.charCodeAt(i);
  // Every character \s matches is at most U+0020, U+00A0, or from U+1680 up.
  const possible = c === 40 || c === 58 || c < 32 || c === 0xa0 || c >= 0x1680;
  return possible && PARAMETER_MENTION.test(text.slice(end, end + MENTION_REACH));
}

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

/** Prepositions whose noun may be followed by an alternative noun ("by ID or email", "from a file or URL"). */
const NOUN_BEFORE = new Set(['by', 'with', 'from', 'via', 'of', 'for', 'in', 'on', 'per']);
/** An object right after a word: it is a verb ("or delete it", "or archive the repo"). */
const OBJECT_AFTER = /\s+(?:it|them|this|that|these|those|the|a|an|all|every|each|its|their)\b/iy;

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
  let prev3 = '';
  let sentence = 0;
  let wordIndex = 0;
  for (let start = 0, end = 0; start < text.length; start = end) {
    end = descTokenEnd(text, start);
    if (end < 0) {
      end = start + 1;
      continue;
    }
    // Not a word (every word starts with a letter): a run of sentence ends.
    if (!isAsciiLetter(text.charCodeAt(start))) {
      if (!sentenceStart) sentence++;
      sentenceStart = true;
      openerRun = true;
      leadSeen = false;
      lastLead = -10;
      lastNegation = -10;
      prev = prevPrev = prev3 = '';
      continue;
    }
    let word = text.slice(start, end).toLowerCase();
    if (word.endsWith("'s")) word = word.slice(0, -2);
    const index = wordIndex++;
    const isNegation = lexicon.negations.has(word) || word.endsWith("n't");
    // Name-only verbs and agent nouns count only in a tool name. The lexicon is asked first: most words
    // are not in it, and for those the tests of a word that is no verb here would decide nothing.
    const known = lexicon.forms.get(word);
    const entry =
      known === undefined ||
      known.nameOnly === true ||
      known.agent === true ||
      isIdentifierPart(text, start, end) ||
      mentionsParameter(text, end) ||
      isIdiom(lexicon, word, prev, prevPrev) ||
      (POSITION_GERUNDS.has(word) && followedBy(POSITION_AFTER, text, end))
        ? undefined
        : known;
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
        !followedBy(CLAUSE_END, text, end) &&
        // "Get a contact by ID or email": a noun after a preposition, then its alternative; "by email
        // and ban them", "by ID or delete it" still join a verb with its own object.
        !(prev === 'or' && NOUN_BEFORE.has(prev3) && !followedBy(OBJECT_AFTER, text, end))
      )
        lead = true;
      // "Tags are the way contacts are grouped", "Moves of every status", "updates on issues": an -s form
      // before a verb of being or a preposition is a plural noun, not a verb.
      if (lead && word !== entry.lemma && followedBy(PLURAL_SUBJECT, text, end)) lead = false;
    }
    if (entry) out.push({ word, start, lead, negated: index - lastNegation <= 3 && !isNegation, sentence });
    if (isNegation) lastNegation = index;
    if (lead) {
      leadSeen = true;
      lastLead = index;
    }
    // Adverbs do not end the opener run: "This tool permanently deletes".
    openerRun = openerRun && (OPENERS.has(word) || word.endsWith('ly'));
    sentenceStart = false;
    prev3 = prevPrev;
    prevPrev = prev;
    prev = word;
  }
  return out;
}
