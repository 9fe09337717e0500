// Checks parsed catalogue data and builds the Catalogue, collecting every problem rather than stopping at one.
import { dirname, resolve } from 'node:path';
import { splitUrlCredentials, withBasicAuth } from '../ingest/secrets.js';
import { isRecord } from '../model/index.js';
import { plural } from '../output/plural.js';
import { displayName, hasHiddenCharacters, MAX_NAME_LENGTH } from './clean-text.js';
import { envRefProblem } from './env-refs.js';
import { SERVER_KEYS, SOURCE_KEYS, toFileShape } from './file-shape.js';
import type { SourceKey } from './file-shape.js';
import type { Catalogue, CatalogueDefaults, CatalogueEntry, CatalogueProblem, CatalogueSource } from './types.js';

export const CATALOGUE_VERSION = 1;
const TOP_KEYS = ['version', 'defaults', 'servers'];
const DEFAULT_KEYS = ['timeoutMs', 'tags'];
/** Keys that only make sense for some sources; anything else given with them is a mistake worth reporting. */
const ONLY_FOR: Partial<Record<string, readonly SourceKey[]>> = {
  version: ['npm'],
  bin: ['npm'],
  args: ['npm', 'command'],
  env: ['npm', 'command'],
  cwd: ['command'],
  headers: ['url'],
};
/** A day: longer than any sane scan, short enough to catch a value given in microseconds by mistake. */
const MAX_TIMEOUT_MS = 86_400_000;
const NPM_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/i;
/** Exact versions, ranges (`^1.2`, `>=1 <2`, `1.x || 2.x`) and dist-tags (`latest`, `next`). */
const NPM_VERSION = /^[A-Za-z0-9.^~<>=|*+ -]+$/;
const BIN_NAME = /^[A-Za-z0-9@._-]+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** RFC 9110 token characters. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

type Raw = Record<string, unknown>;

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    let diagonal = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const above = row[j] as number;
      row[j] = Math.min(above + 1, (row[j - 1] as number) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] as number;
}

function unknownKey(key: string, known: readonly string[]): string {
  const shown = displayName(key, 40);
  // Only a close match is a likely typo; a short unrelated key should not be "corrected".
  let near: string | undefined;
  let best = Infinity;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < best && distance <= 2 && distance < key.length / 2) [near, best] = [candidate, distance];
  }
  return near === undefined ? `unknown key "${shown}" (known: ${known.join(', ')})` : `unknown key "${shown}" (did you mean ${near}?)`;
}

function listWords(words: readonly string[]): string {
  return words.length <= 2 ? words.join(' and ') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** Collects problems for one place in the file. */
class Report {
  constructor(
    private readonly problems: CatalogueProblem[],
    readonly path: string,
  ) {}
  add(message: string): void {
    this.problems.push({ path: this.path, message });
  }
}

function checkTimeout(value: unknown, report: Report): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0 || value > MAX_TIMEOUT_MS) {
    report.add(`timeoutMs must be a whole number of milliseconds between 1 and ${MAX_TIMEOUT_MS}`);
    return undefined;
  }
  return value;
}

function checkLabels(value: unknown, key: 'tags' | 'needs', report: Report): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    report.add(`${key} must be a list of strings`);
    return [];
  }
  const labels: string[] = [];
  value.forEach((item, index) => {
    if (typeof item !== 'string' || item.trim() === '') report.add(`${key}[${index}] must be a non-empty string`);
    else if (item.length > MAX_NAME_LENGTH) report.add(`${key}[${index}] is longer than ${MAX_NAME_LENGTH} characters`);
    else if (hasHiddenCharacters(item)) report.add(`${key}[${index}] has control or invisible characters`);
    else if (!labels.includes(item)) labels.push(item);
  });
  return labels;
}

function checkArgs(value: unknown, report: Report): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    report.add('args must be a list of strings');
    return [];
  }
  const args: string[] = [];
  value.forEach((item, index) => {
    // YAML reads `8080` and `true` as scalars; the process sees text either way.
    if (typeof item !== 'string' && typeof item !== 'number' && typeof item !== 'boolean') report.add(`args[${index}] must be a string`);
    else if (String(item).includes('\0')) report.add(`args[${index}] has a NUL character`);
    else args.push(String(item));
  });
  return args;
}

function checkMap(value: unknown, key: 'env' | 'headers', report: Report): Record<string, string> {
  const out: Record<string, string> = {};
  if (value === undefined || value === null) return out;
  if (!isRecord(value)) {
    report.add(`${key} must be a mapping of names to strings`);
    return out;
  }
  for (const [name, item] of Object.entries(value)) {
    const where = `${key}.${displayName(name, 60)}`;
    if (key === 'env' ? !ENV_NAME.test(name) : !HEADER_NAME.test(name)) {
      report.add(`${where}: not a valid ${key === 'env' ? 'environment variable' : 'header'} name`);
      continue;
    }
    if (typeof item !== 'string' && typeof item !== 'number' && typeof item !== 'boolean') {
      report.add(`${where} must be a string${item === null ? ' (write "" for an empty value)' : ''}`);
      continue;
    }
    const text = String(item);
    // A newline in a header value would let the catalogue smuggle extra headers into the request.
    if (key === 'headers' ? /[\0\r\n]/.test(text) : text.includes('\0')) {
      report.add(`${where} has a ${key === 'headers' ? 'line break or NUL' : 'NUL'} character`);
      continue;
    }
    const refProblem = envRefProblem(text);
    if (refProblem !== undefined) {
      report.add(`${where} ${refProblem}`);
      continue;
    }
    out[name] = text;
  }
  return out;
}

function checkString(value: unknown, key: string, report: Report, max: number): string | undefined {
  if (typeof value === 'number' && key === 'version') {
    report.add(`version must be a quoted string, e.g. version: "${value}" (YAML read it as a number)`);
    return undefined;
  }
  if (typeof value !== 'string' || value.trim() === '') {
    report.add(`${key} must be a non-empty string`);
    return undefined;
  }
  if (value.length > max) {
    report.add(`${key} is longer than ${max} characters`);
    return undefined;
  }
  if (hasHiddenCharacters(value)) {
    report.add(`${key} has control or invisible characters`);
    return undefined;
  }
  return value;
}

function checkSource(raw: Raw, kind: SourceKey, baseDir: string | undefined, report: Report): CatalogueSource | undefined {
  const atBase = (path: string): string => (baseDir === undefined ? path : resolve(baseDir, path));
  switch (kind) {
    case 'npm': {
      const name = checkString(raw.npm, 'npm', report, 214);
      const version = raw.version === undefined ? undefined : checkString(raw.version, 'version', report, 100);
      const bin = raw.bin === undefined ? undefined : checkString(raw.bin, 'bin', report, 214);
      let ok = name !== undefined && (raw.version === undefined || version !== undefined) && (raw.bin === undefined || bin !== undefined);
      if (name !== undefined && !NPM_NAME.test(name)) {
        const versioned = /^(@?[^@]+)@(.+)$/.exec(name);
        report.add(
          versioned !== null && NPM_NAME.test(versioned[1] as string)
            ? `npm names only the package; write npm: "${versioned[1]}" and version: "${displayName(versioned[2], 40)}"`
            : `npm "${displayName(name)}" is not a valid npm package name`,
        );
        ok = false;
      }
      if (version !== undefined && (!NPM_VERSION.test(version) || version.trim().startsWith('-'))) {
        report.add(`version "${displayName(version)}" is not a version, range or dist-tag`);
        ok = false;
      }
      if (bin !== undefined && (!BIN_NAME.test(bin) || bin.startsWith('-'))) {
        report.add(`bin "${displayName(bin)}" is not a valid bin name`);
        ok = false;
      }
      if (!ok || name === undefined) return undefined;
      return { kind: 'npm', package: name, ...(version !== undefined && { version: version.trim() }), ...(bin !== undefined && { bin }) };
    }
    case 'command': {
      const command = checkString(raw.command, 'command', report, 4096);
      const cwd = raw.cwd === undefined ? undefined : checkString(raw.cwd, 'cwd', report, 4096);
      if (command === undefined || (raw.cwd !== undefined && cwd === undefined)) return undefined;
      return { kind: 'stdio', command, ...(cwd !== undefined && { cwd: atBase(cwd) }) };
    }
    case 'url': {
      const url = checkString(raw.url, 'url', report, 4096);
      if (url === undefined) return undefined;
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        report.add(`url "${displayName(url)}" is not a valid URL`);
        return undefined;
      }
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
        report.add(`url must be http or https, not ${displayName(parsed.protocol, 20)}`);
        return undefined;
      }
      return { kind: 'http', url };
    }
    case 'manifest': {
      const path = checkString(raw.manifest, 'manifest', report, 4096);
      return path === undefined ? undefined : { kind: 'manifest', path: atBase(path) };
    }
  }
}

function serverPath(index: number, raw: unknown): string {
  const name = isRecord(raw) && typeof raw.name === 'string' && raw.name.trim() !== '' ? ` (${displayName(raw.name, 40)})` : '';
  return `servers[${index}]${name}`;
}

function checkServer(raw: unknown, report: Report, defaults: CatalogueDefaults, baseDir: string | undefined): CatalogueEntry | undefined {
  if (!isRecord(raw)) {
    report.add('must be a mapping with a name and a source (npm, command, url or manifest)');
    return undefined;
  }
  for (const key of Object.keys(raw)) if (!(SERVER_KEYS as readonly string[]).includes(key)) report.add(unknownKey(key, SERVER_KEYS));

  let name: string | undefined;
  if (raw.name === undefined || raw.name === null) report.add('has no name');
  else if (typeof raw.name !== 'string') report.add('name must be a string');
  else if (raw.name.trim() === '') report.add('name is empty');
  else if (raw.name.length > MAX_NAME_LENGTH) report.add(`name is longer than ${MAX_NAME_LENGTH} characters`);
  else if (hasHiddenCharacters(raw.name)) report.add('name has control or invisible characters');
  else name = raw.name;

  const given = SOURCE_KEYS.filter((key) => raw[key] !== undefined);
  let source: CatalogueSource | undefined;
  if (given.length === 0) report.add('has no source: give one of npm, command, url or manifest');
  else if (given.length === 2) report.add(`has both ${listWords(given)}`);
  else if (given.length > 2) report.add(`has more than one source: ${listWords(given)}`);
  else {
    const kind = given[0] as SourceKey;
    for (const [key, allowed] of Object.entries(ONLY_FOR)) {
      if (raw[key] !== undefined && allowed !== undefined && !allowed.includes(kind)) {
        report.add(`${key} is only for ${listWords(allowed)} sources, not ${kind}`);
      }
    }
    source = checkSource(raw, kind, baseDir, report);
  }

  const args = checkArgs(raw.args, report);
  const env = checkMap(raw.env, 'env', report);
  let headers = checkMap(raw.headers, 'headers', report);
  if (source?.kind === 'http') {
    // fetch refuses a URL with credentials, and the URL is recorded as the scan's source: they travel as
    // an Authorization header instead (unless one is given), so no stored or printed form of the entry holds them.
    const url = new URL(source.url);
    if (url.username !== '' || url.password !== '') {
      const split = splitUrlCredentials(url);
      headers = withBasicAuth(headers, split.username, split.password);
      source = { kind: 'http', url: split.url.href };
    }
  }
  const tags = checkLabels(raw.tags, 'tags', report);
  const needs = checkLabels(raw.needs, 'needs', report);
  const timeoutMs = checkTimeout(raw.timeoutMs, report) ?? defaults.timeoutMs;
  if (name === undefined || source === undefined) return undefined;
  const entry: CatalogueEntry = { name, source, args, env, headers, tags: [...new Set([...defaults.tags, ...tags])], needs };
  if (timeoutMs !== undefined) entry.timeoutMs = timeoutMs;
  return entry;
}

function checkDefaults(raw: unknown, report: Report): CatalogueDefaults {
  if (raw === undefined || raw === null) return { tags: [] };
  if (!isRecord(raw)) {
    report.add('defaults must be a mapping (timeoutMs, tags)');
    return { tags: [] };
  }
  for (const key of Object.keys(raw)) if (!DEFAULT_KEYS.includes(key)) report.add(unknownKey(key, DEFAULT_KEYS));
  const defaults: CatalogueDefaults = { tags: checkLabels(raw.tags, 'tags', report) };
  const timeoutMs = checkTimeout(raw.timeoutMs, report);
  if (timeoutMs !== undefined) defaults.timeoutMs = timeoutMs;
  return defaults;
}

/**
 * Checks parsed catalogue data. Relative `cwd` and `manifest` paths resolve against the folder of `path`
 * when it is given. The catalogue is returned only when there are no problems.
 */
export function validateCatalogue(data: unknown, path?: string): { catalogue?: Catalogue; problems: CatalogueProblem[] } {
  const problems: CatalogueProblem[] = [];
  if (!isRecord(data)) {
    const what = data === undefined || data === null ? 'is empty' : 'must be a mapping';
    problems.push({ path: '(file)', message: `${what}; a catalogue starts with version: 1 and a servers list` });
    return { problems };
  }
  const top = new Report(problems, '(file)');
  for (const key of Object.keys(data)) if (!TOP_KEYS.includes(key)) top.add(unknownKey(key, TOP_KEYS));
  if (data.version === undefined) new Report(problems, 'version').add(`is missing; write version: ${CATALOGUE_VERSION} at the top`);
  else if (data.version !== CATALOGUE_VERSION) {
    new Report(problems, 'version').add(`${displayName(String(data.version), 20)} is not supported (this mcp-risk reads version ${CATALOGUE_VERSION})`);
  }
  const defaults = checkDefaults(data.defaults, new Report(problems, 'defaults'));

  const baseDir = path === undefined ? undefined : dirname(resolve(path));
  const entries: CatalogueEntry[] = [];
  if (data.servers === undefined) new Report(problems, 'servers').add('is missing; list the servers to scan under servers:');
  else if (data.servers !== null && !Array.isArray(data.servers)) new Report(problems, 'servers').add('must be a list');
  else {
    const seen = new Map<string, number>();
    (data.servers ?? []).forEach((raw: unknown, index: number) => {
      const report = new Report(problems, serverPath(index, raw));
      const entry = checkServer(raw, report, defaults, baseDir);
      const name = isRecord(raw) && typeof raw.name === 'string' ? raw.name : undefined;
      if (name !== undefined && name.trim() !== '') {
        const first = seen.get(name);
        if (first !== undefined) report.add(`name is also used by servers[${first}]; names must be unique`);
        else seen.set(name, index);
      }
      if (entry !== undefined) entries.push(entry);
    });
  }
  if (problems.length > 0) return { problems };
  const catalogue: Catalogue = { entries, defaults };
  if (path !== undefined) catalogue.path = path;
  return { catalogue, problems };
}

/** The problems of one in-memory entry, as loading it from a file would report them (for importers). */
export function entryProblems(entry: CatalogueEntry): string[] {
  const problems: CatalogueProblem[] = [];
  checkServer(toFileShape(entry), new Report(problems, 'entry'), { tags: [] }, undefined);
  return problems.map((problem) => problem.message);
}

/** One problem as the CLI lists it: `servers[3] (foo): has both npm and url`. */
export function problemLine(problem: CatalogueProblem): string {
  return `${problem.path === '(file)' ? '' : `${problem.path}: `}${problem.message}`;
}

/**
 * The one-line error for a catalogue's problems: the problem itself when there is one
 * (`catalogue.yaml: servers[3] (foo): has both npm and url`), else the count (`catalogue.yaml: 49 problems`);
 * the CLI lists every problem on its own line after it.
 */
export function summariseProblems(problems: readonly CatalogueProblem[], file: string): string {
  const first = problems[0];
  if (first === undefined) return `${file}: no problems`;
  return problems.length === 1 ? `${file}: ${problemLine(first)}` : `${file}: ${plural(problems.length, 'problem')}`;
}
