// Terminal layout and our own colours; hostile text is made printable by safe-text.ts, re-exported here.
import type { Risk } from '../model/index.js';

export { safeText, DEFAULT_MAX_LEN } from './safe-text.js';
export type { SafeTextOptions } from './safe-text.js';

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
// East Asian wide and fullwidth blocks (CJK, Hangul, kana, fullwidth forms) take two columns.
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1f64f}\u{1f900}-\u{1f9ff}\u{20000}-\u{3fffd}]/u;
const EMOJI = /\p{Extended_Pictographic}/u;
// What takes no column: combining marks, and the format characters safeText has already made visible.
const ZERO = /^[\p{M}\p{Cf}]+$/u;

/**
 * Columns `s` takes in a terminal: a character cluster is two when it holds a wide (CJK, fullwidth)
 * character or an emoji shown as one, none when it is only combining marks, one otherwise.
 */
export function textWidth(s: string): number {
  // ASCII, by far the most common text, is one column a character.
  if (/^[\x20-\x7e]*$/.test(s)) return s.length;
  let n = 0;
  for (const { segment } of segmenter.segment(s)) {
    if (ZERO.test(segment)) continue;
    n += WIDE.test(segment) || (EMOJI.test(segment) && (segment.codePointAt(0)! > 0xff || segment.includes('\ufe0f'))) ? 2 : 1;
  }
  return n;
}

/** Pads (or never cuts) `s` to `width` columns. */
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
