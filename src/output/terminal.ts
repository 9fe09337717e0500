// Makes hostile server text safe to print: no control sequences, no bidi tricks, bounded length.
import type { Risk } from '../model/index.js';

export interface SafeTextOptions {
  /**
   * What line breaks, tabs and carriage returns become: `space` (default, for table cells and one-line
   * messages) or `escape` (visible `\n`, `\t`, `\r`).
   */
  newlines?: 'space' | 'escape';
}

/** Default bound: long enough for a description, short enough that a hostile megabyte cannot flood the screen. */
export const DEFAULT_MAX_LEN = 1000;

const ELLIPSIS = '…';

/**
 * Returns `s` with every character that could drive the terminal or hide text made visible:
 * C0 controls (ESC included, so no CSI/OSC/DCS sequence can start), DEL, C1 controls (0x80–0x9F,
 * which some terminals read as 8-bit CSI/OSC), bidi overrides, embeddings, isolates and marks, zero-width
 * and other invisible characters, Unicode tag characters (used to smuggle hidden text), and line/paragraph
 * separators. They become escapes such as `\x1b` or `\u202e`; a lone surrogate becomes `�`.
 * The result has at most `maxLen` code points, ending in `…` when cut.
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
  if (cp === 0x0a || cp === 0x0d || cp === 0x09 || cp === 0x0b || cp === 0x0c || cp === 0x2028 || cp === 0x2029) {
    if (newlines === 'space') return ' ';
    if (cp === 0x0a) return '\\n';
    if (cp === 0x0d) return '\\r';
    if (cp === 0x09) return '\\t';
    return escape(cp);
  }
  if (cp < 0x20 || cp === 0x7f || (cp >= 0x80 && cp <= 0x9f)) return escape(cp);
  // Lone surrogates cannot be printed and some terminals mangle them.
  if (cp >= 0xd800 && cp <= 0xdfff) return '\ufffd';
  if (isInvisible(cp)) return escape(cp);
  return ch;
}

function isInvisible(cp: number): boolean {
  return (
    cp === 0x00ad || // soft hyphen
    cp === 0x034f || // combining grapheme joiner
    cp === 0x061c || // Arabic letter mark (bidi)
    cp === 0x115f ||
    cp === 0x1160 || // Hangul fillers, rendered blank
    cp === 0x180e || // Mongolian vowel separator
    (cp >= 0x200b && cp <= 0x200f) || // zero-width space/non-joiner/joiner, LRM, RLM
    (cp >= 0x202a && cp <= 0x202e) || // bidi embeddings and overrides
    (cp >= 0x2060 && cp <= 0x2064) || // word joiner, invisible operators
    (cp >= 0x2066 && cp <= 0x2069) || // bidi isolates
    (cp >= 0x206a && cp <= 0x206f) || // deprecated format characters
    cp === 0x3164 || // Hangul filler
    cp === 0xfeff || // zero-width no-break space / BOM
    (cp >= 0xfff9 && cp <= 0xfffb) || // interlinear annotation
    (cp >= 0xe0000 && cp <= 0xe007f) // tag characters
  );
}

function escape(cp: number): string {
  if (cp <= 0xff) return `\\x${cp.toString(16).padStart(2, '0')}`;
  if (cp <= 0xffff) return `\\u${cp.toString(16).padStart(4, '0')}`;
  return `\\u{${cp.toString(16)}}`;
}

/** Display width in code points; wide CJK and emoji count as one, so tables may drift slightly for them. */
export function textWidth(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Pads (or never cuts) `s` to `width` code points. */
export function padEnd(s: string, width: number): string {
  const w = textWidth(s);
  return w >= width ? s : s + ' '.repeat(width - w);
}

// Our own ANSI styling, applied only when the CLI decides the terminal wants colour.
export const RESET = '\x1b[0m';
export const BOLD = '\x1b[1m';
export const RISK_COLOR: Readonly<Record<Risk, string>> = {
  Critical: '\x1b[1;31m',
  High: '\x1b[31m',
  Medium: '\x1b[33m',
  Low: '\x1b[32m',
  Unknown: '\x1b[35m',
};
