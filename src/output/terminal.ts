// Terminal layout and our own colours; hostile text is made printable by safe-text.ts, re-exported here.
import type { Risk } from '../model/index.js';

export { safeText, DEFAULT_MAX_LEN } from './safe-text.js';
export type { SafeTextOptions } from './safe-text.js';

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
