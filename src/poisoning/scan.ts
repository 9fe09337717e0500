// One pass over a text, character by character, that tells the analyser whether it needs to look closer:
// does the text hold invisible or control characters or long runs (hidden content), and which rules'
// trigger words does it contain. Words are hashed as they are read and looked up in a small open-
// addressing table, so nothing is allocated. Nearly every real tool has neither, and costs this pass.

import type { FieldRole } from './rules.js';

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 16777619;
/** A run this long of base64 characters, spaces or blank lines may hide something: look closer. */
const LONG_RUN = 40;
const BLANK_LINES = 5;
/**
 * Wakeable i (a rule's trigger set, a code check, an untrusted-text pattern) is bit i%32 of word i/32
 * of a mask: at most 320.
 */
const WORDS = 10;
export const MAX_WAKEABLE = 32 * WORDS;
/** Of those, kept for the untrusted-text patterns, which share the scan (src/poisoning/tool-scan.ts). */
export const UNTRUSTED_WAKEABLES = 16;
export const MASK_WORDS = WORDS;
/** Sentences that woke a rule, kept so that only they are searched; a tool with more is read in full. */
const MAX_SENTENCES = 32;

/** FNV-1a of a lowercase ASCII word, as the scanner computes it (never 0: 0 marks an empty slot). */
export function wordHash(word: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), FNV_PRIME);
  return h === 0 ? 1 : h;
}

const ATSIGN = wordHash('atsign');
const HTML_COMMENT = wordHash('htmlcomment');
const PLUS_DIGIT = wordHash('plusdigit');
const HASH_DIGIT = wordHash('hashdigit');
const SNAKE_CASE = wordHash('snakecase');
const ANGLE_BAR = wordHash('anglebar');
const CLOSE_TAG = wordHash('closetag');
const ANGLES = wordHash('angles');
const NON_LATIN = wordHash('nonlatin');
/** "rot13", or "rot" before "-13" or " 13": text said to be in ROT13 may hide content (hidden.ts decodes it). */
const ROT13 = wordHash('rot13');
const ROT = wordHash('rot');
const THIRTEEN = /^[- ]?13(?![0-9])/;

/**
 * A letter of a script whose words the scan cannot read (it reads ASCII words only): Greek, Cyrillic,
 * Hebrew, Arabic, the Indic scripts (Devanagari to Sinhala), Thai, kana, CJK ideographs, Hangul. Rules
 * written in those languages wake on the mark `nonlatin`.
 */
const nonLatinLetter = (c: number): boolean =>
  (c >= 0x0370 && c <= 0x06ff) ||
  (c >= 0x0900 && c <= 0x0dff) ||
  (c >= 0x0e00 && c <= 0x0e7f) ||
  (c >= 0x3040 && c <= 0x30ff) ||
  (c >= 0x3400 && c <= 0x9fff) ||
  (c >= 0xac00 && c <= 0xd7af);

const letterOrDigit = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
const isAsciiLetter = (c: number): boolean => (c | 0x20) >= 97 && (c | 0x20) <= 122;

/** An underscore joining two letters or digits (`send_email`, `s3_upload`), not a lone one. */
function inWordBefore(text: string, i: number): boolean {
  return letterOrDigit(text.charCodeAt(i - 1) | 0x20) && letterOrDigit(text.charCodeAt(i + 1) | 0x20);
}

/**
 * Trigger word hash -> for each slot, the bit mask of the rules it wakes there. A rule's triggers are up
 * to SLOTS lists that must all be met (one word of each, anywhere in one sentence); a rule with fewer
 * lists has the rest met in advance (`preset`). Kept small, since it is read for every word while the
 * classifier's own data competes for the cache: a bit filter of a few KiB turns away nearly every word
 * that is no trigger, a compact open-addressing table finds the rest, and each trigger word lists only
 * the mask words it sets (most words wake one or two wakeables, of SLOTS * WORDS mask words).
 */
export const SLOTS = 3;

export interface TriggerIndex {
  /** One bit per bucket `h & filterMask`, set where a trigger word's hash falls. */
  filter: Int32Array;
  filterMask: number;
  /** Open-addressing table of trigger word hashes (0 = empty)... */
  keys: Int32Array;
  /** ...and, per table slot, the row that word owns. */
  rows: Int32Array;
  mask: number;
  /** Row r's (mask word index, bits) pairs are `masks[rowStart[r]]` up to `masks[rowStart[r + 1]]`. */
  rowStart: Int32Array;
  masks: Int32Array;
  /** Per slot: the rules that need nothing there. */
  preset: Int32Array;
  /** Per field role (text, name, value) and mask word: the wakeables that read that kind of field. */
  roles: Int32Array;
}

const ROLE_INDEX: Record<FieldRole, number> = { text: 0, name: 1, value: 2 };

/**
 * `reads[i]`, when given, is the kinds of field wakeable i reads: a sentence of another kind does not
 * wake it (a rule on defaults is not woken by prose).
 */
export function triggerIndex(
  triggers: ReadonlyArray<ReadonlyArray<readonly string[]>>,
  reads: ReadonlyArray<ReadonlySet<FieldRole> | undefined> = [],
): TriggerIndex {
  if (triggers.length > MAX_WAKEABLE) throw new Error(`at most ${MAX_WAKEABLE} rules can have triggers`);
  const unique = [...new Set(triggers.flat(2))];
  let size = 64;
  while (size < unique.length * 2) size *= 2;
  let bits = 1024;
  while (bits < unique.length * 32) bits *= 2;
  const index: TriggerIndex = {
    filter: new Int32Array(bits / 32),
    filterMask: bits - 1,
    keys: new Int32Array(size),
    rows: new Int32Array(size),
    mask: size - 1,
    rowStart: new Int32Array(unique.length + 1),
    masks: new Int32Array(0),
    preset: new Int32Array(SLOTS * WORDS),
    roles: new Int32Array(3 * WORDS),
  };
  const rowOf = new Map<string, number>();
  unique.forEach((w, row) => {
    const h = wordHash(w);
    let slot = h & index.mask;
    while (index.keys[slot] !== 0 && index.keys[slot] !== h) slot = (slot + 1) & index.mask;
    if (index.keys[slot] === h) throw new Error(`trigger words ${JSON.stringify(w)} and ${JSON.stringify(unique[index.rows[slot]!])} share a hash`);
    index.keys[slot] = h;
    index.rows[slot] = row;
    index.filter[(h & index.filterMask) >>> 5]! |= 1 << (h & 31);
    rowOf.set(w, row);
  });
  // Dense while built, then kept as each row's nonzero mask words.
  const dense = new Int32Array(unique.length * SLOTS * WORDS);
  triggers.forEach((slots, rule) => {
    if (slots.length === 0 || slots.length > SLOTS) throw new Error(`rule ${rule}: 1 to ${SLOTS} trigger lists`);
    const word = rule >> 5;
    const bit = 1 << (rule & 31);
    for (let k = slots.length; k < SLOTS; k++) index.preset[k * WORDS + word]! |= bit;
    for (const role of Object.keys(ROLE_INDEX) as FieldRole[]) if (reads[rule]?.has(role) ?? true) index.roles[ROLE_INDEX[role] * WORDS + word]! |= bit;
    slots.forEach((list, k) => {
      for (const w of list) dense[(rowOf.get(w)! * SLOTS + k) * WORDS + word]! |= bit;
    });
  });
  const pairs: number[] = [];
  for (let row = 0; row < unique.length; row++) {
    index.rowStart[row] = pairs.length;
    for (let i = 0; i < SLOTS * WORDS; i++) if (dense[row * SLOTS * WORDS + i] !== 0) pairs.push(i, dense[row * SLOTS * WORDS + i]!);
  }
  index.rowStart[unique.length] = pairs.length;
  index.masks = Int32Array.from(pairs);
  return index;
}

/**
 * What a scan has seen so far. A rule's trigger lists must all be met within one sentence (its pattern
 * never matches across one), so words gather per sentence, and a sentence's end (`.`, `!` or `?` before
 * white space, a blank line, the end of a field) settles which rules it woke. Each sentence that woke a
 * rule is kept (its field's text, span and role), so a rule's pattern is tried on those sentences only.
 */
export class ScanState {
  /** Per slot and mask word: what the current sentence has met. */
  private readonly sentence = new Int32Array(SLOTS * WORDS);
  /** Whether the current sentence has met any trigger word (until then it equals the preset). */
  private met = false;
  /** Per mask word: the rules some sentence woke. */
  private readonly wokenBits = new Int32Array(WORDS);
  /** The field being scanned, and its role; set by scanText. */
  text = '';
  role: FieldRole = 'text';
  private readonly keptTexts: string[] = new Array<string>(MAX_SENTENCES).fill('');
  private readonly keptRoles: FieldRole[] = new Array<FieldRole>(MAX_SENTENCES).fill('text');
  private readonly keptStarts = new Int32Array(MAX_SENTENCES);
  private readonly keptEnds = new Int32Array(MAX_SENTENCES);
  /** Per kept sentence and mask word: the rules it woke. */
  private readonly keptBits = new Int32Array(MAX_SENTENCES * WORDS);
  /** How many sentences woke a rule and were kept. */
  sentences = 0;
  /** More sentences woke rules than could be kept: only a full read is sure to see them all. */
  overflow = false;
  hidden = false;
  constructor(readonly triggers: TriggerIndex) {
    this.sentence.set(triggers.preset);
  }
  /** Starts over, for the next tool (one state is reused: scanning allocates nothing). */
  reset(): void {
    this.sentence.set(this.triggers.preset);
    this.met = false;
    this.wokenBits.fill(0);
    this.sentences = 0;
    this.overflow = false;
    this.hidden = false;
  }
  /** True when rule `rule` had every trigger list met in one sentence. */
  woken(rule: number): boolean {
    return (this.wokenBits[rule >> 5]! & (1 << (rule & 31))) !== 0;
  }
  /** True when any rule below `limit` is woken (a shared scan's first wakeables are one check's). */
  anyWoken(limit = MAX_WAKEABLE): boolean {
    for (let word = 0; word < WORDS && limit > word * 32; word++) {
      const below = limit - word * 32;
      const bits = below >= 32 ? this.wokenBits[word]! : this.wokenBits[word]! & ((1 << below) - 1);
      if (bits !== 0) return true;
    }
    return false;
  }
  /** Mask word `word` of the rules kept sentence `i` woke (rule r is bit r%32 of word r/32). */
  sentenceBits(i: number, word: number): number {
    return this.keptBits[i * WORDS + word]!;
  }
  /** True when kept sentence `i` woke rule `rule`. */
  sentenceWoke(i: number, rule: number): boolean {
    return (this.keptBits[i * WORDS + (rule >> 5)]! & (1 << (rule & 31))) !== 0;
  }
  /** Kept sentence `i`'s text. */
  sentenceText(i: number): string {
    return this.keptTexts[i]!.slice(this.keptStarts[i]!, this.keptEnds[i]!);
  }
  /** The role of the field kept sentence `i` came from. */
  sentenceRole(i: number): FieldRole {
    return this.keptRoles[i]!;
  }
  /** Ends the current sentence, `text[start, end)`: the rules it met in every slot are woken. */
  endSentence(from: number, end: number): void {
    // No trigger word since the last end: every rule's first list is unmet, so nothing can wake.
    if (!this.met) return;
    this.met = false;
    let start = from;
    const s = this.sentence;
    const kept = this.sentences;
    const room = kept < MAX_SENTENCES;
    let any = 0;
    const roles = this.triggers.roles;
    const role = ROLE_INDEX[this.role] * WORDS;
    for (let word = 0; word < WORDS; word++) {
      let w = roles[role + word]!;
      for (let k = 0; k < SLOTS; k++) w &= s[k * WORDS + word]!;
      this.wokenBits[word]! |= w;
      if (room) this.keptBits[kept * WORDS + word] = w;
      any |= w;
    }
    s.set(this.triggers.preset);
    if (any === 0) return;
    if (!room) {
      this.overflow = true;
      return;
    }
    // From its first visible character: a pattern may anchor on a sentence's start (`^Model:`).
    const text = this.text;
    while (start < end && text.charCodeAt(start) <= 0x20) start += 1;
    this.keptTexts[kept] = text;
    this.keptRoles[kept] = this.role;
    this.keptStarts[kept] = start;
    this.keptEnds[kept] = end;
    this.sentences = kept + 1;
  }
  word(h: number): void {
    const index = this.triggers;
    if (h === 0) h = 1;
    let slot = h & index.mask;
    for (;;) {
      const key = index.keys[slot]!;
      if (key === h) {
        const row = index.rows[slot]!;
        const masks = index.masks;
        for (let p = index.rowStart[row]!, end = index.rowStart[row + 1]!; p < end; p += 2) this.sentence[masks[p]!]! |= masks[p + 1]!;
        this.met = true;
        return;
      }
      if (key === 0) return;
      slot = (slot + 1) & index.mask;
    }
  }
}

/**
 * Scans `text` into `state`: every trigger word it contains (words are runs of ASCII letters and
 * digits, lowercased; `_`, `-` and the rest separate them), and whether it may hide content.
 */
export function scanText(text: string, state: ScanState, role: FieldRole = 'text'): void {
  state.text = text;
  state.role = role;
  const { filter, filterMask } = state.triggers;
  const n = text.length;
  let hidden = state.hidden;
  let start = 0;
  let base64 = 0;
  let spaces = 0;
  let blanks = 0;
  let i = 0;
  while (i < n) {
    let c = text.charCodeAt(i);
    // A word: a run of ASCII letters and digits (most of any text), hashed lowercase in a tight loop.
    if (((c | 0x20) >= 97 && (c | 0x20) <= 122) || (c >= 48 && c <= 57)) {
      const from = i;
      let h = FNV_OFFSET;
      do {
        if (c >= 65 && c <= 90) c += 32;
        h = Math.imul(h ^ c, FNV_PRIME);
        i += 1;
        if (i === n) break;
        c = text.charCodeAt(i);
      } while (((c | 0x20) >= 97 && (c | 0x20) <= 122) || (c >= 48 && c <= 57));
      // Most words are no trigger: the filter settles it without a call.
      if (h === 0) h = 1;
      if ((filter[(h & filterMask) >>> 5]! & (1 << (h & 31))) !== 0) state.word(h);
      if (h === ROT13 || (h === ROT && THIRTEEN.test(text.slice(i, i + 4)))) hidden = true;
      base64 += i - from;
      spaces = 0;
      blanks = 0;
      if (base64 >= LONG_RUN) hidden = true;
      if (i === n) break;
    }
    // Marks that are not words but that rules need to see: `@` (an email address), `<!--` (an HTML
    // comment), `+` or `#` before a digit (a phone number, "#1"), `_` inside a word (a tool name), `<|`
    // and `</` (a chat-template token, a closing tag), `<<<` or `>>>` (a forged fence). They count as
    // the words atsign, htmlcomment, plusdigit, hashdigit, snakecase, anglebar, closetag, angles; a
    // letter of a script nonLatinLetter names counts as nonlatin.
    if (c === 0x20) {
      i += 1;
      base64 = 0;
      spaces += 1;
      if (spaces >= LONG_RUN) hidden = true;
      continue;
    }
    if (c === 0x40) state.word(ATSIGN);
    else if (c === 0x3c) {
      const next = text.charCodeAt(i + 1);
      if (next === 0x21 && text.charCodeAt(i + 2) === 0x2d && text.charCodeAt(i + 3) === 0x2d) state.word(HTML_COMMENT);
      else if (next === 0x7c) state.word(ANGLE_BAR);
      else if (next === 0x2f) state.word(CLOSE_TAG);
      else if (next === 0x3c && text.charCodeAt(i + 2) === 0x3c) state.word(ANGLES);
    } else if (c === 0x3e && text.charCodeAt(i + 1) === 0x3e && text.charCodeAt(i + 2) === 0x3e) state.word(ANGLES);
    else if (c === 0x2b && text.charCodeAt(i + 1) >= 48 && text.charCodeAt(i + 1) <= 57) state.word(PLUS_DIGIT);
    else if (c === 0x23 && text.charCodeAt(i + 1) >= 48 && text.charCodeAt(i + 1) <= 57) state.word(HASH_DIGIT);
    else if (c === 0x5f && i > 0 && inWordBefore(text, i)) state.word(SNAKE_CASE);
    else if (((c === 0x2e || c === 0x21 || c === 0x3f) && (i + 1 === n || text.charCodeAt(i + 1) <= 0x20)) || c === 0x3002 || c === 0xff01 || c === 0xff1f) {
      // `.`, `!` or `?` before white space, or the ideographic full stop and fullwidth marks (no space follows those).
      state.endSentence(start, i + 1);
      start = i + 1;
    } else if (c >= 0x0370 && nonLatinLetter(c)) {
      state.word(NON_LATIN);
      // A Greek or Cyrillic letter inside a Latin word ("dо nоt" with a Cyrillic о) hides the word from
      // the rules: hidden.ts reads it as the Latin letter it imitates.
      if (c <= 0x04ff && (isAsciiLetter(text.charCodeAt(i - 1)) || isAsciiLetter(text.charCodeAt(i + 1)))) hidden = true;
    }
    i += 1;
    if (hidden) continue;
    if (c === 0x2b || c === 0x2f) {
      base64 += 1;
      spaces = 0;
      blanks = 0;
      if (base64 >= LONG_RUN) hidden = true;
      continue;
    }
    base64 = 0;
    if (c === 0x09 || c === 0xa0 || c === 0x3000) {
      spaces += 1;
      if (spaces >= LONG_RUN) hidden = true;
      continue;
    }
    spaces = 0;
    if (c === 0x0a) {
      // A blank line ends a sentence; a single line break may only wrap one.
      if (blanks > 0) {
        state.endSentence(start, i - 1);
        start = i - 1;
      }
      blanks += 1;
      if (blanks >= BLANK_LINES) hidden = true;
      continue;
    }
    if (c !== 0x0d) blanks = 0;
    if (c < 0x20) {
      if (c !== 0x0d) hidden = true;
    } else if (
      c >= 0x7f &&
      (c <= 0x9f ||
        c === 0x180e ||
        (c >= 0x200b && c <= 0x200d) ||
        (c >= 0x202a && c <= 0x202e) ||
        c === 0x2060 ||
        (c >= 0x2066 && c <= 0x2069) ||
        c === 0xfeff ||
        c === 0xdb40)
    ) {
      // C1 controls, zero-width, bidi controls, BOM, and the high surrogate of the Unicode tag block.
      hidden = true;
    }
  }
  // A field ends a sentence: no match spans two fields.
  state.endSentence(start, text.length);
  state.hidden = hidden;
}
