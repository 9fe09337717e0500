// Hidden content in server text: characters a person does not see but a model reads (Unicode tags,
// zero-width, bidi controls, terminal escapes), whitespace that pushes text off screen, and encoded
// blobs in prose. Each is reported with the hidden text decoded; `visibleText` is what rules read.
/* eslint-disable no-control-regex, no-misleading-character-class -- this module exists to find control, joining and invisible characters */

export type HiddenKind = 'unicode-tags' | 'zero-width' | 'bidi' | 'terminal-escape' | 'control' | 'whitespace-run' | 'encoded-text' | 'look-alike';

export interface HiddenHit {
  kind: HiddenKind;
  severity: 'warning' | 'error';
  /** Offsets into the field's text. */
  start: number;
  end: number;
  /** What is hidden, decoded and bounded (still raw text: escape it before showing). */
  decoded: string;
}

const DECODED_CHARS = 300;
// A flag emoji (England, Scotland, Wales) is U+1F3F4, up to six tag characters and U+E007F: not hidden
// text. A longer run after a flag is still caught from its seventh character on.
const TAGS = /(?<!\u{1F3F4}[\u{E0020}-\u{E007E}]{0,6})[\u{E0000}-\u{E007F}]+/gu;
// Between Latin letters or digits only: Persian and Indic scripts use ZWNJ/ZWJ inside words legitimately.
const ZERO_WIDTH_IN_WORD = /[A-Za-z0-9_.-][\u200B\u200C\u200D\u2060\u180E\uFEFF]+(?=[A-Za-z0-9_.-])/g;
// An isolate closed within 80 characters around no Latin letter or digit ("⁧مرحبا⁩", "⁧...⁩") is how
// right-to-left text is shown correctly; it cannot reorder code or a word a reader checks. Its first
// group marks it, and it is not reported. An override, or an isolate around Latin text, is.
const BIDI = /([\u2066-\u2068][^\u202A-\u202E\u2066-\u2069A-Za-z0-9\n]{0,80}\u2069)|[\u202A-\u202E\u2066-\u2069]/g;
// CSI / OSC / DCS and the rest, in 7-bit (ESC x) and 8-bit (C1) forms.
const TERMINAL =
  /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]|(?:\u001b[\]PX^_]|[\u009d\u0090])[^\u0007\u001b\u009c]{0,200}(?:\u0007|\u001b\\|\u009c)?|\u001b[@-Z\\-_]/g;
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001A\u001C-\u001F\u007F]/g;
// Each alternative starts only where its run starts: tried inside a run that no text follows, each start
// would scan the rest of the run again (a 16 KB run of spaces took 0.6 s). The earliest match is the same.
const WHITESPACE_RUN = /(?:(?<![ \t\u00A0\u3000])[ \t\u00A0\u3000]{80,}|(?<![ \t\n])(?:[ \t]*\r?\n){15,})(?=\S)/g;
const BASE64 = /(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/]{40,}={0,2}(?![A-Za-z0-9+/=_-])/g;
const HEX = /(?<![0-9A-Fa-f])(?:[0-9A-Fa-f]{2}){24,}(?![0-9A-Fa-f])/g;
// Text said to be in ROT13 ("directive (rot13): Znvagnvare …"): a model reads it as easily as plain text,
// a filter of words not at all. The words after the label, up to the end of the field or a line.
const ROT13 = /\brot[- ]?13\b[^A-Za-z\n]{0,12}([A-Za-z][^\n]{15,600})/gi;
/** One test for all of the above: nearly every field has none, and is done in one pass. */
const ANY =
  /[\u{E0000}-\u{E007F}\u200B\u200C\u200D\u2060\u180E\uFEFF\u202A-\u202E\u2066-\u2069\u001b\u009b\u009d\u0090\u0000-\u0008\u000B\u000C\u000E-\u001A\u001C-\u001F\u007F]|[ \t\u00A0\u3000]{80}|(?:[ \t]*\r?\n){15}|[A-Za-z0-9+/]{40}|[0-9A-Fa-f]{48}|\brot[- ]?13\b|[A-Za-z][\u0370-\u04ff]|[\u0370-\u04ff][A-Za-z]/iu;
/** A word mixing Latin letters with Greek or Cyrillic ones: "dо nоt mentiоn" with a Cyrillic о. */
const MIXED_WORD = /\p{L}*(?:[A-Za-z][\u0370-\u04ff]|[\u0370-\u04ff][A-Za-z])\p{L}*/gu;

const bound = (text: string): string => (text.length > DECODED_CHARS ? `${text.slice(0, DECODED_CHARS - 1)}…` : text);

/** Unicode tag characters spell ASCII: U+E0041 is "A". */
function decodeTags(run: string): string {
  let out = '';
  for (const ch of run) {
    const code = (ch.codePointAt(0) ?? 0) - 0xe0000;
    if (code >= 0x20 && code < 0x7f) out += String.fromCharCode(code);
  }
  return out;
}

/** Each ASCII letter moved 13 places along the alphabet: ROT13 is its own inverse. */
function rot13(text: string): string {
  return text.replace(/[A-Za-z]/g, (c) => {
    const base = c <= 'Z' ? 65 : 97;
    return String.fromCharCode(((c.charCodeAt(0) - base + 13) % 26) + base);
  });
}

// Words nearly every English sentence holds: decoded text with several of them, where the text as
// written has next to none, was English written in ROT13 (a rot13 of English reads as none of them).
const COMMON_WORDS = /\b(?:the|and|to|of|in|is|for|with|that|this|every|all|any|your|you|on|be|or|as|from|its|their|before|after|each)\b/gi;
const commonWords = (text: string): number => text.match(COMMON_WORDS)?.length ?? 0;

/** The ROT13 reading of `run`, when it reads as English and the run as written does not. */
function decodeRot13(run: string): string | undefined {
  const decoded = rot13(run);
  return commonWords(decoded) >= 3 && commonWords(run) * 3 < commonWords(decoded) ? decoded : undefined;
}

/** Natural-language text: mostly printable, with words. A hash or an image decodes to neither. */
function readable(text: string): boolean {
  if (text.length < 16) return false;
  let printable = 0;
  let letters = 0;
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    if ((c >= 0x20 && c < 0x7f) || c === 0x0a) printable += 1;
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) letters += 1;
  }
  return printable / text.length > 0.95 && letters / text.length > 0.6 && (text.match(/ /g)?.length ?? 0) >= 3;
}

function decodeBlob(blob: string, encoding: 'base64' | 'hex'): string | undefined {
  try {
    const text = Buffer.from(blob, encoding).toString('latin1');
    return readable(text) ? text : undefined;
  } catch {
    return undefined;
  }
}

export function hiddenContent(text: string): HiddenHit[] {
  if (!ANY.test(text)) return [];
  const hits: HiddenHit[] = [];
  const each = (re: RegExp, make: (m: RegExpExecArray) => Omit<HiddenHit, 'start' | 'end'> | undefined): void => {
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const hit = make(m);
      if (hit) hits.push({ ...hit, start: m.index, end: m.index + m[0].length });
      if (hits.length >= 20) return;
    }
  };
  each(TAGS, (m) => ({ kind: 'unicode-tags', severity: 'error', decoded: bound(decodeTags(m[0])) }));
  each(ZERO_WIDTH_IN_WORD, (m) => {
    // The word as a model reads it, the invisible characters taken out.
    const start = m.index;
    const wordStart = text.slice(0, start + 1).search(/[A-Za-z0-9_.-]*$/);
    const rest = /^[A-Za-z0-9_.\u200B\u200C\u200D\u2060\u180E\uFEFF-]*/.exec(text.slice(start + 1))?.[0] ?? '';
    const word = (text.slice(wordStart, start + 1) + rest).replace(/[\u200B\u200C\u200D\u2060\u180E\uFEFF]/g, '');
    return { kind: 'zero-width', severity: 'error', decoded: bound(word) };
  });
  each(BIDI, (m) =>
    m[1] === undefined
      ? {
          kind: 'bidi',
          severity: m[0] === '\u202E' || m[0] === '\u202D' ? 'error' : 'warning',
          decoded: bound(text.slice(m.index + 1, m.index + 81).split(/[\u202A-\u202E\u2066-\u2069]/)[0] ?? ''),
        }
      : undefined,
  );
  each(TERMINAL, (m) => ({ kind: 'terminal-escape', severity: 'error', decoded: bound(m[0]) }));
  each(CONTROL, (m) => ({ kind: 'control', severity: 'warning', decoded: `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` }));
  each(WHITESPACE_RUN, (m) => ({ kind: 'whitespace-run', severity: 'error', decoded: bound(text.slice(m.index + m[0].length).trim()) }));
  each(BASE64, (m) => {
    const decoded = decodeBlob(m[0], 'base64');
    return decoded === undefined ? undefined : { kind: 'encoded-text', severity: 'warning', decoded: bound(decoded) };
  });
  each(HEX, (m) => {
    const decoded = decodeBlob(m[0], 'hex');
    return decoded === undefined ? undefined : { kind: 'encoded-text', severity: 'warning', decoded: bound(decoded) };
  });
  each(ROT13, (m) => {
    const decoded = decodeRot13(m[1]!);
    return decoded === undefined ? undefined : { kind: 'encoded-text', severity: 'warning', decoded: bound(decoded) };
  });
  each(MIXED_WORD, (m) => {
    const latin = latinWord(m[0]);
    return latin === undefined ? undefined : { kind: 'look-alike', severity: 'warning', decoded: bound(latin) };
  });
  return hits;
}

/** The word with each look-alike letter as the Latin one it imitates, when that leaves only Latin letters. */
function latinWord(word: string): string | undefined {
  let out = '';
  for (const ch of word) out += LOOK_ALIKE[ch] ?? ch;
  return /^[A-Za-z]+$/.test(out) ? out : undefined;
}

const INVISIBLE = /[\u{E0000}-\u{E007F}\u200B\u200C\u200D\u2060\u180E\uFEFF\u202A-\u202E\u2066-\u2069]/gu;

/**
 * The text as the rules read it: invisible characters and terminal escapes out, whitespace runs one
 * space, a Latin word spelt with look-alike letters in Latin.
 */
export function visibleText(text: string): string {
  if (!ANY.test(text)) return text;
  return text
    .replace(TERMINAL, ' ')
    .replace(INVISIBLE, '')
    .replace(/\s{2,}/g, ' ')
    .replace(MIXED_WORD, (word) => latinWord(word) ?? word);
}

/**
 * Letters of other scripts drawn like a Latin one (after Unicode's confusables list, the common ones):
 * Cyrillic, Greek, Armenian and Latin IPA letters, each with the ASCII letter it passes for.
 */
const LOOK_ALIKE: Readonly<Record<string, string>> = {
  // Cyrillic
  а: 'a',
  в: 'b',
  е: 'e',
  ѕ: 's',
  і: 'i',
  ј: 'j',
  к: 'k',
  о: 'o',
  р: 'p',
  с: 'c',
  у: 'y',
  х: 'x',
  һ: 'h',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  ӏ: 'l',
  А: 'A',
  В: 'B',
  Е: 'E',
  Ѕ: 'S',
  І: 'I',
  Ј: 'J',
  К: 'K',
  М: 'M',
  Н: 'H',
  О: 'O',
  Р: 'P',
  С: 'C',
  Т: 'T',
  У: 'Y',
  Х: 'X',
  Һ: 'H',
  Ԝ: 'W',
  Ӏ: 'I',
  // Greek
  α: 'a',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  υ: 'u',
  ϲ: 'c',
  ϳ: 'j',
  Α: 'A',
  Β: 'B',
  Ε: 'E',
  Ζ: 'Z',
  Η: 'H',
  Ι: 'I',
  Κ: 'K',
  Μ: 'M',
  Ν: 'N',
  Ο: 'O',
  Ρ: 'P',
  Τ: 'T',
  Υ: 'Y',
  Χ: 'X',
  // Armenian
  օ: 'o',
  ս: 'u',
  հ: 'h',
  ո: 'n',
  ց: 'g',
  զ: 'q',
  // Latin letters outside ASCII that read as plain ones (not the dotless ı: Turkish writes it beside ASCII letters)
  ȷ: 'j',
  ɑ: 'a',
  ɡ: 'g',
  ɩ: 'i',
  ʀ: 'R',
  ᴇ: 'E',
  ʟ: 'L',
  ǀ: 'l',
  // more Cyrillic, and Cherokee and Lisu capitals drawn as Latin ones
  ѵ: 'v',
  ԍ: 'G',
  Ꭺ: 'A',
  Ᏼ: 'B',
  Ꮯ: 'C',
  Ꭼ: 'E',
  Ꮋ: 'H',
  Ꮶ: 'K',
  Ꮇ: 'M',
  Ꮲ: 'P',
  Ꮪ: 'S',
  Ꭲ: 'T',
  Ꮃ: 'W',
  Ꮢ: 'R',
  ꓮ: 'A',
  ꓐ: 'B',
  ꓚ: 'C',
  ꓓ: 'D',
  ꓰ: 'E',
  ꓝ: 'F',
  ꓖ: 'G',
  ꓧ: 'H',
  ꓲ: 'I',
  ꓗ: 'K',
  ꓡ: 'L',
  ꓟ: 'M',
  ꓠ: 'N',
  ꓑ: 'P',
  ꓣ: 'R',
  ꓢ: 'S',
  ꓔ: 'T',
  ꓴ: 'U',
  ꓦ: 'V',
  ꓪ: 'W',
  ꓫ: 'X',
  ꓬ: 'Y',
  ꓜ: 'Z',
};

/**
 * A letter outside ASCII that compatibility folding (NFKC) makes one ASCII letter: fullwidth `ｒ`,
 * mathematical `𝐝`, the Kelvin sign, the Roman numeral `ⅼ`, circled `ⓡ`. No identifier needs them.
 */
function foldsToAscii(ch: string): string | undefined {
  if (ch.charCodeAt(0) < 0x80) return undefined;
  const folded = ch.normalize('NFKC');
  return folded.length === 1 && /^[A-Za-z]$/.test(folded) ? folded : undefined;
}

const isAsciiLetter = (ch: string | undefined): boolean => ch !== undefined && /^[A-Za-z]$/.test(ch);

/** One character as a reader takes it: a look-alike letter as the Latin one it imitates, else its NFKC form. */
export function readAs(ch: string): string {
  return LOOK_ALIKE[ch] ?? ch.normalize('NFKC');
}

/**
 * A name spelled with letters that pass for Latin ones (`read_fіle` with a Cyrillic і): a person, and a
 * gateway's allow-list, sees one name, the agent calls another. A look-alike counts when it stands
 * next to an ASCII letter (`fіle`, `Kill` with the Kelvin sign), when a whole word is made of them in
 * a name that has ASCII letters elsewhere (`сору_file`), or when it is a folding letter (fullwidth,
 * mathematical) in a name whose letters all pass for ASCII (`ｒｅａｄ_ｆｉｌｅ`). So a word in Cyrillic or
 * Greek beside Latin words (`getПользователь`, `ＡＰＩ検索`) is that language, not a disguise, and
 * Turkish's ı is not in the table. Returns the name with its flagged letters as the ASCII they pass for.
 */
export function lookAlikeName(name: string): HiddenHit | undefined {
  // Nearly every name is ASCII.
  if (!/[^\x00-\x7f]/.test(name)) return undefined;
  const chars = [...name];
  const folds = chars.map(foldsToAscii);
  const disguise = chars.map((ch, i) => LOOK_ALIKE[ch] ?? folds[i]);
  const letters = chars.map((ch) => /\p{L}/u.test(ch));
  const asciiAnywhere = chars.some(isAsciiLetter);
  const allPassForAscii = chars.every((ch, i) => !letters[i] || isAsciiLetter(ch) || disguise[i] !== undefined);
  const flagged = new Array<boolean>(chars.length).fill(false);
  for (let i = 0; i < chars.length; i++) {
    if (disguise[i] === undefined) continue;
    const beside = isAsciiLetter(chars[i - 1]) || isAsciiLetter(chars[i + 1]);
    flagged[i] = beside || (folds[i] !== undefined && allPassForAscii);
  }
  // Whole words of look-alikes (`сору` in `сору_file`), when the name has ASCII letters elsewhere.
  if (asciiAnywhere)
    for (let i = 0; i < chars.length;) {
      if (!letters[i]) {
        i++;
        continue;
      }
      let j = i;
      while (j < chars.length && letters[j]) j++;
      if (disguise.slice(i, j).every((d) => d !== undefined)) flagged.fill(true, i, j);
      i = j;
    }
  if (!flagged.includes(true)) return undefined;
  let looks = '';
  let offset = 0;
  let start = -1;
  let end = -1;
  chars.forEach((ch, i) => {
    if (flagged[i]) {
      if (start < 0) start = offset;
      end = offset + ch.length;
    }
    looks += flagged[i] ? disguise[i]! : ch;
    offset += ch.length;
  });
  return { kind: 'look-alike', severity: 'error', start, end, decoded: bound(looks) };
}
