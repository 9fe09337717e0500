// Locates and parses the YAML data files shipped in the package's data/ folder.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const parsed = new Map<string, unknown>();

/**
 * Resolves against this module, so it works from src/classify under tsx and dist/classify after build.
 * Parsed once per process: the loaders and the rule-set version read the same objects.
 */
export function readDataFile(file: string): unknown {
  if (!parsed.has(file)) parsed.set(file, parse(readFileSync(new URL(`../../data/${file}`, import.meta.url), 'utf8')));
  return parsed.get(file);
}

/** Config errors are collected and thrown together, so one run shows every problem in a data file. */
export class DataFileError extends Error {
  readonly problems: string[];
  constructor(file: string, problems: string[]) {
    super(`${file} is not valid:\n- ${problems.join('\n- ')}`);
    this.name = 'DataFileError';
    this.problems = problems;
  }
}

export { isRecord } from '../model/index.js';

export function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
