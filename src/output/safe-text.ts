// The one place hostile text (server, registry, npm, LLM output) is made into something safe to show or keep.

/**
 * Every character that could drive a terminal or hide text, as one class:
 * - C0 controls (ESC included, so no CSI/OSC/DCS sequence can start), DEL, and C1 controls (0x80–0x9F,
 *   which some terminals read as 8-bit CSI/OSC): `\p{Cc}`;
 * - format characters: bidi embeddings, overrides, isolates and marks, zero-width space, joiners, word
 *   joiner, BOM, soft hyphen, interlinear annotations, Unicode tag characters (used to smuggle hidden
 *   text): `\p{Cf}`;
 * - lone surrogates `\p{Cs}`, line and paragraph separators;
 * - characters that render blank without being spaces: combining grapheme joiner, Hangul fillers, and
 *   the unassigned rest of the tag block.
 * Ordinary whitespace (space, tab, newline) is in it too, as controls; callers decide what a break becomes.
 */
// The combining grapheme joiner stands outside the brackets: inside, it would read as joined to its neighbour.
const HIDDEN_CLASS = '[\\p{Cc}\\p{Cf}\\p{Cs}\\u2028\\u2029\\u115f\\u1160\\u3164\\uffa0\\u{e0000}-\\u{e007f}]|\\u034f';
/** The class as a pattern source, for renderers of other media (the site marks them in HTML). */
export const HIDDEN_CHARACTERS = HIDDEN_CLASS;
const HIDDEN = new RegExp(HIDDEN_CLASS, 'u');
const HIDDEN_ALL = new RegExp(HIDDEN_CLASS, 'gu');
/**
 * A superset of the class that a plain (non-Unicode) expression scans much faster: every hidden
 * character is a control other than tab and line breaks, DEL, or beyond ASCII. Text without any (most
 * JSON) skips the replacement.
 */
// eslint-disable-next-line no-control-regex -- the controls are what it looks for
const MAYBE_HIDDEN = /[\0-\x08\x0b\x0c\x0e-\x1f\x7f-\uffff]/;

const ELLIPSIS = '…';

/**
 * JSON text with every hidden character written as a `\uXXXX` escape: the same value once parsed, but
 * nothing invisible or terminal-driving travels raw (Unicode tags, bidi overrides, C1 controls, DEL).
 * Spaces, tabs and line breaks are left alone: outside strings they are layout, and inside strings
 * JSON.stringify has already escaped the breaks.
 */
export function escapeHiddenInJson(json: string): string {
  if (!MAYBE_HIDDEN.test(json)) return json;
  return json.replace(HIDDEN_ALL, (c) => (c === ' ' || c === '\n' || c === '\r' || c === '\t' ? c : unitEscapes(c)));
}

/** Each UTF-16 unit of one code point as `\uXXXX` (a pair for a character beyond the BMP). */
function unitEscapes(point: string): string {
  let out = '';
  for (let i = 0; i < point.length; i++) out += `\\u${point.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}

/**
 * YAML or TOML text in which every string from a server is double-quoted, with each hidden character
 * written as the escape both languages read in such a string: `\uXXXX`, or `\UXXXXXXXX` beyond the BMP
 * (neither has surrogate-pair escapes). Only text whose hostile strings are all double-quoted may come
 * here: an escape anywhere else is read as the characters it is made of. Spaces, tabs and line breaks
 * are left alone, as layout (the emitters escape them inside strings).
 */
export function escapeHiddenInQuoted(text: string): string {
  return text.replace(HIDDEN_ALL, (c) => {
    if (c === ' ' || c === '\n' || c === '\r' || c === '\t') return c;
    const cp = c.codePointAt(0)!;
    // A lone surrogate is no character at all; neither language may write one.
    if (cp >= 0xd800 && cp <= 0xdfff) return '\\ufffd';
    return cp <= 0xffff ? `\\u${cp.toString(16).padStart(4, '0')}` : `\\U${cp.toString(16).padStart(8, '0')}`;
  });
}

/** `text` with every lone surrogate replaced by U+FFFD, as a UTF-8 file would hold it (String#toWellFormed, before ES2024). */
export function wellFormed(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** JSON for stdout and files, pretty unless `compact` (for a pipe): hidden characters escaped, a trailing newline. */
export function jsonText(value: unknown, compact = false): string {
  return `${jsonValueText(value, compact)}\n`;
}

/** jsonText without its newline: one item of a document written piece by piece, not copied again to cut it. */
export function jsonValueText(value: unknown, compact = false): string {
  return escapeHiddenInJson(JSON.stringify(value, null, compact ? undefined : 2));
}

/** True when `text` holds any character of the hidden class other than a plain space. */
export function hasHiddenCharacters(text: string): boolean {
  return HIDDEN.test(text);
}

/** At most `max` code points (never half a surrogate pair), ending in `…` when cut unless `ellipsis` is false. */
export function truncate(text: string, max: number, ellipsis = true): string {
  const limit = Math.max(1, Math.floor(max));
  // Code points are at most two UTF-16 units: a string this short cannot be over the limit.
  if (text.length <= limit) return text;
  const points = [...text];
  if (points.length <= limit) return text;
  return ellipsis ? `${points.slice(0, limit - 1).join('')}${ELLIPSIS}` : points.slice(0, limit).join('').trimEnd();
}

export interface OneLineOptions {
  /**
   * What a hidden character becomes: `space` (default: in a message, a control between two words must not
   * glue them together) or `drop` (names and fields, where a zero-width character inside a word must not
   * split it: `a\u202eb` reads `ab`).
   */
  hidden?: 'space' | 'drop';
  /** Mark a cut with `…` (default), or cut plainly where the result is a name, not prose. */
  ellipsis?: boolean;
}

/**
 * Hostile text as one plain, bounded line, for messages and stored fields: whitespace runs (line breaks
 * included) become one space, hidden characters become a space or go, the ends are trimmed, and the
 * result has at most `max` code points. Nothing is escaped: this is for text that is kept or compared;
 * printing it still goes through safeText.
 */
export function oneLine(text: unknown, max: number, options: OneLineOptions = {}): string {
  const s = typeof text === 'string' ? text : text === undefined || text === null ? '' : String(text);
  // Bound before the regexes so a hostile megabyte costs nothing; four units a point is generous.
  const bounded = s.length > max * 4 ? s.slice(0, max * 4) : s;
  const line = bounded
    .replace(/\s+/g, ' ')
    .replace(HIDDEN_ALL, options.hidden === 'drop' ? '' : ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
  return truncate(line, max, options.ellipsis ?? true);
}

export interface SafeTextOptions {
  /**
   * What line breaks, tabs and carriage returns become: `space` (default, for table cells and one-line
   * messages) or `escape` (visible `\n`, `\t`, `\r`).
   */
  newlines?: 'space' | 'escape';
}

/** Default bound: long enough for a description, short enough that a hostile megabyte cannot flood the screen. */
export const DEFAULT_MAX_LEN = 1000;

/**
 * Returns `s` ready for a terminal: every hidden character (see HIDDEN_CLASS) is made visible as an
 * escape such as `\x1b` or `\u202e`, line breaks become one space (or `\n` escapes), and a lone surrogate
 * becomes `�`. The result has at most `maxLen` code points, ending in `…` when cut; an escape is never cut
 * in half.
 */
export function safeText(s: unknown, maxLen: number = DEFAULT_MAX_LEN, options: SafeTextOptions = {}): string {
  const text = typeof s === 'string' ? s : s === undefined || s === null ? '' : String(s);
  const newlines = options.newlines ?? 'space';
  const limit = Math.max(1, Math.floor(maxLen));
  const pieces: string[] = [];
  const widths: number[] = [];
  let length = 0;
  let lastWasBreak = false;

  for (const ch of text) {
    const piece = neutralise(ch, newlines);
    const isBreak = piece === ' ' && ch !== ' ';
    // Runs of breaks collapse to one space, so `\r\n`-heavy text stays one readable line.
    if (isBreak && lastWasBreak) continue;
    lastWasBreak = isBreak;
    const width = piece === ch ? 1 : piece.length;
    if (length + width > limit) {
      // Make room for the ellipsis by dropping whole pieces, so an escape is never cut in half.
      while (pieces.length > 0 && length + 1 > limit) {
        pieces.pop();
        length -= widths.pop()!;
      }
      pieces.push(ELLIPSIS);
      return pieces.join('');
    }
    pieces.push(piece);
    widths.push(width);
    length += width;
  }
  return pieces.join('');
}

function neutralise(ch: string, newlines: 'space' | 'escape'): string {
  const cp = ch.codePointAt(0)!;
  // Printable ASCII is nearly all text; skip the regex for it.
  if (cp >= 0x20 && cp < 0x7f) return ch;
  if (cp === 0x0a || cp === 0x0d || cp === 0x09 || cp === 0x0b || cp === 0x0c || cp === 0x2028 || cp === 0x2029) {
    if (newlines === 'space') return ' ';
    if (cp === 0x0a) return '\\n';
    if (cp === 0x0d) return '\\r';
    if (cp === 0x09) return '\\t';
    return escape(cp);
  }
  // Lone surrogates cannot be printed and some terminals mangle them.
  if (cp >= 0xd800 && cp <= 0xdfff) return '\ufffd';
  if (HIDDEN.test(ch)) return escape(cp);
  return ch;
}

function escape(cp: number): string {
  if (cp <= 0xff) return `\\x${cp.toString(16).padStart(2, '0')}`;
  if (cp <= 0xffff) return `\\u${cp.toString(16).padStart(4, '0')}`;
  return `\\u{${cp.toString(16)}}`;
}

export interface MarkdownTextOptions {
  /** The text sits in a GFM table cell, where a pipe ends the cell even inside a code span. */
  cell?: boolean;
  /** What a hidden character becomes, as in oneLine (default `space`; `drop` for names). */
  hidden?: OneLineOptions['hidden'];
}

// Punctuation with a meaning inside a Markdown line: escapes, code, emphasis, strikethrough, link and image
// brackets, raw HTML and autolinks, entities, table cells. `(` and `!` mean nothing without an unescaped
// `[`; line-start markers (#, -, +, >, =, digits) nothing mid-line, and server text never starts a line of ours.
const MARKDOWN_ACTIVE = /[\\`*_~[\]<>&|]/g;
// What GitHub turns into a link with no markup at all (GFM autolinks: www., a scheme, an e-mail address).
// Such a word goes into a code span, where nothing is ever linked: escaping its characters would not
// stop the e-mail rule, which GitHub applies after escapes are undone.
const LINK_LIKE = /:\/\/|www\.|@|^(?:mailto|xmpp):/i;

/**
 * Hostile text as one line of Markdown that renders as exactly that text: no link, image, HTML, entity,
 * emphasis or extra table cell can come out of it. Bounded to `max` code points before escaping.
 */
export function markdownText(text: unknown, max: number, options: MarkdownTextOptions = {}): string {
  return oneLine(text, max, { hidden: options.hidden ?? 'space' })
    .split(' ')
    .map((word) => (LINK_LIKE.test(word) ? markdownCode(word, 0, options) : word.replace(MARKDOWN_ACTIVE, (c) => `\\${c}`)))
    .join(' ');
}

/**
 * Hostile text as a Markdown code span (names, identifiers): one line, bounded to `max` code points
 * (0: already bounded), fenced with more backticks than it holds, pipes escaped in a table cell.
 */
export function markdownCode(text: unknown, max: number, options: MarkdownTextOptions = {}): string {
  const line = max > 0 ? oneLine(text, max, { hidden: options.hidden ?? 'drop' }) : String(text);
  const longest = Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  // Inside a code span only a pipe in a table cell still means something (GFM splits cells first).
  const body = options.cell === true ? line.replaceAll('|', '\\|') : line;
  // A backtick at either end would join the fence: a space on each side keeps it off, and the renderer strips both.
  const pad = body === '' || body.startsWith('`') || body.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}
