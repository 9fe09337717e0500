// Every number a flag takes, parsed one way: digits only, a lower bound, and one wording for the error.
import { Option } from 'commander';
import { McpRiskError } from '../model/errors.js';

/** What each kind of number must be, in the words the error uses. */
export const NUMBER_KINDS = {
  ms: { min: 1, takes: 'a positive number of milliseconds' },
  count: { min: 0, takes: 'a whole number' },
  positive: { min: 1, takes: 'a whole number of at least 1' },
  scanId: { min: 1, takes: 'a scan id (a number, see mcp-risk show SERVER)' },
  score: { min: 1, max: 5, takes: 'a score from 1 to 5' },
} as const;

export type NumberKind = keyof typeof NUMBER_KINDS;

export function parseNumberFlag(value: string, flag: string, kind: NumberKind): number {
  const { min, takes } = NUMBER_KINDS[kind];
  const max: number = 'max' in NUMBER_KINDS[kind] ? (NUMBER_KINDS[kind] as { max: number }).max : Number.MAX_SAFE_INTEGER;
  // A scan id is printed as #12, so #12 is accepted back.
  const digits = kind === 'scanId' ? value.replace(/^#/, '') : value;
  // Digits only: Number() would take '', ' 5', '1e3' and '0x10'.
  const n = /^[0-9]+$/.test(digits) ? Number(digits) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new McpRiskError('USAGE', `${flag} takes ${takes}, got '${value}'`);
  return n;
}

/** An option whose value is parsed as `kind` when the command line is read, before any command loads. */
export function numberOption(flags: string, description: string, kind: NumberKind): Option {
  const option = new Option(flags, description);
  return option.argParser((value: string) => parseNumberFlag(value, option.long ?? option.name(), kind));
}
