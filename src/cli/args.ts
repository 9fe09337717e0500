// What every command shares: the exit codes, the output sinks, and strict argument parsing with one-line errors.
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { McpRiskError } from '../model/index.js';

export const EXIT = { OK: 0, THRESHOLD: 1, ERROR: 2 } as const;

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  color: boolean;
}

export type OptionsConfig = NonNullable<ParseArgsConfig['options']>;
export type Parsed<T extends OptionsConfig> = ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>>;

export function parse<const T extends OptionsConfig>(args: string[], options: T): Parsed<T> {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new McpRiskError('USAGE', (error as Error).message, { hint: 'run mcp-risk --help' });
  }
}

export function parseMs(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms <= 0) throw new McpRiskError('USAGE', `${flag} takes a positive number of milliseconds, got '${value}'`);
  return ms;
}

