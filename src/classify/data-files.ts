// Locates and parses the YAML data files shipped in the package's data/ folder.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';

const parsed = new Map<string, unknown>();

/** The data files, as the build compiles them. */
export const DATA_FILES = ['lexicon.yaml', 'poisoning.yaml', 'rules.yaml', 'taxonomy.yaml', 'untrusted-text.yaml'] as const;
export type DataFile = (typeof DATA_FILES)[number];

// Both resolve against this module, so they work from src/classify under tsx and dist/classify after build.
const dataUrl = (file: string): URL => new URL(`../../data/${file}`, import.meta.url);
/**
 * The build's JSON copy of a data file. Parsing the five YAML files took about 160 ms of every start (and
 * loading the parser 84 files); JSON.parse takes 2 ms. The copy records the SHA-256 of the YAML it was
 * made from and is used only when that matches, so an edited data file is read as written. It is a
 * freshness check, not an integrity one: whoever can write dist/data can write dist's code too.
 */
const CACHE_DIR = new URL('../../dist/data/', import.meta.url);
const cachePath = (dir: URL | string, file: string): string => join(dir instanceof URL ? fileURLToPath(dir) : dir, `${file}.json`);

interface CachedDataFile {
  source: string;
  value: unknown;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Parsed once per process: the loaders and the rule-set version read the same objects. */
export function readDataFile(file: DataFile): unknown {
  if (!parsed.has(file)) {
    parsed.set(file, parseDataText(readFileSync(dataUrl(file), 'utf8'), cachePath(CACHE_DIR, file)));
  }
  return parsed.get(file);
}

/** The YAML `text` parsed, from the JSON copy at `copy` when that was made from this very text. */
export function parseDataText(text: string, copy: string): unknown {
  const source = sha256(text);
  let cached: Partial<CachedDataFile> | undefined;
  try {
    cached = JSON.parse(readFileSync(copy, 'utf8')) as Partial<CachedDataFile>;
  } catch {
    // Not built, or unreadable: the YAML is the source anyway.
  }
  return cached?.source === source && 'value' in cached ? cached.value : parseYaml(text);
}

/** The yaml package, loaded only when a data file has no usable copy (its Node entry is CommonJS either way). */
function parseYaml(text: string): unknown {
  const yaml = createRequire(import.meta.url)('yaml') as typeof import('yaml');
  return yaml.parse(text);
}

/**
 * Writes the JSON copies (`npm run build` calls it). A file whose parsed YAML would not survive JSON
 * unchanged gets no copy and is parsed at each start, so the copy can never say something else.
 */
export function writeDataCache(dir: URL | string = CACHE_DIR): string[] {
  const skipped: string[] = [];
  mkdirSync(dir, { recursive: true });
  for (const file of DATA_FILES) {
    const text = readFileSync(dataUrl(file), 'utf8');
    const value = parseYaml(text);
    const json = JSON.stringify({ source: sha256(text), value } satisfies CachedDataFile);
    if (!isDeepStrictEqual((JSON.parse(json) as CachedDataFile).value, value)) {
      skipped.push(file);
      continue;
    }
    writeFileSync(cachePath(dir, file), json);
  }
  return skipped;
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
