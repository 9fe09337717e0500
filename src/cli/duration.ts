// A span of time a flag takes, such as `30d`: a whole number and one unit, parsed one way with one wording for the error.
import { Option } from 'commander';
import { McpRiskError } from '../model/errors.js';

const HOUR_MS = 3_600_000;

/** The units a duration may end in. No `m`: minutes and months read alike, and nobody prunes by the minute. */
export const DURATION_UNITS = { h: HOUR_MS, d: 24 * HOUR_MS, w: 7 * 24 * HOUR_MS } as const;

/** Milliseconds in `30d`, `12h` or `2w`; USAGE for anything else (no zero, no fractions, no mixed units). */
export function parseDuration(value: string, flag: string): number {
  const match = /^([0-9]+)([hdw])$/.exec(value);
  const n = match === null ? NaN : Number(match[1]);
  if (match === null || !Number.isSafeInteger(n) || n < 1) {
    throw new McpRiskError('USAGE', `${flag} takes a duration such as 12h, 30d or 2w (a whole number of hours, days or weeks), got '${value}'`);
  }
  return n * DURATION_UNITS[match[2] as keyof typeof DURATION_UNITS];
}

/** An option whose value is parsed as a duration (milliseconds) when the command line is read. */
export function durationOption(flags: string, description: string): Option {
  const option = new Option(flags, description);
  return option.argParser((value: string) => ({ text: value, ms: parseDuration(value, option.long ?? option.name()) }));
}

/** What a duration option holds once parsed: as written, for output, and in milliseconds. */
export interface Duration {
  text: string;
  ms: number;
}
