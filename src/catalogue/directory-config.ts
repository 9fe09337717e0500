// Loads and checks a directory config: the CSS selectors that read one directory web page's listings.
import { readdirSync, readFileSync } from 'node:fs';
import { load } from 'cheerio';
import { parse } from 'yaml';
import { isRecord, McpRiskError } from '../model/index.js';
import { plural } from '../output/plural.js';
import { displayName } from './clean-text.js';

export interface FieldSpec {
  /** CSS selector relative to the listing; omitted: the listing element itself. */
  selector?: string;
  /** Attribute to read, e.g. `href`; omitted: the element's text. */
  attr?: string;
  /** Regular expression with one capture group, applied to the value; the group is the field. */
  pattern?: string;
}

export const FIELD_NAMES = ['name', 'package', 'repository', 'link', 'url', 'description'] as const;
export type FieldName = (typeof FIELD_NAMES)[number];

export interface DirectoryConfig {
  /** Lowercase id, used in the `directory:<name>` tag. */
  name: string;
  description?: string;
  /** Where a saved page came from, to resolve its relative links when no page URL is known. */
  baseUrl?: string;
  /** CSS selector matching one listing. */
  item: string;
  fields: { name: FieldSpec } & Partial<Record<Exclude<FieldName, 'name'>, FieldSpec>>;
}

const CONFIG_KEYS = ['name', 'description', 'baseUrl', 'item', 'fields'];
const SPEC_KEYS = ['selector', 'attr', 'pattern'];
const CONFIG_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const ATTR_NAME = /^[A-Za-z_:][A-Za-z0-9_.:-]*$/;
const DIRECTORY_DATA = new URL('../../data/directories/', import.meta.url);

type Raw = Record<string, unknown>;

/** Selectors are checked once here so a typo fails on load, not halfway through a page. */
function selectorProblem(selector: string): string | undefined {
  try {
    load('<p></p>')(selector);
    return undefined;
  } catch (error) {
    return error instanceof Error ? displayName(error.message, 80) : 'invalid';
  }
}

function groupCount(pattern: RegExp): number {
  return (new RegExp(`${pattern.source}|`).exec('') ?? []).length - 1;
}

function checkSpec(raw: unknown, where: string, problems: string[]): FieldSpec | undefined {
  if (!isRecord(raw)) {
    problems.push(`${where} must be a mapping (selector, attr, pattern)`);
    return undefined;
  }
  const spec: FieldSpec = {};
  for (const key of Object.keys(raw))
    if (!SPEC_KEYS.includes(key)) problems.push(`${where}: unknown key "${displayName(key, 40)}" (known: ${SPEC_KEYS.join(', ')})`);
  if (raw.selector !== undefined) {
    const problem = typeof raw.selector === 'string' && raw.selector.trim() !== '' ? selectorProblem(raw.selector) : 'must be a non-empty string';
    if (problem === undefined) spec.selector = raw.selector as string;
    else problems.push(`${where}.selector: ${problem}`);
  }
  if (raw.attr !== undefined) {
    if (typeof raw.attr === 'string' && ATTR_NAME.test(raw.attr)) spec.attr = raw.attr;
    else problems.push(`${where}.attr must be an attribute name such as href`);
  }
  if (raw.pattern !== undefined) {
    if (typeof raw.pattern !== 'string' || raw.pattern.length > 500) problems.push(`${where}.pattern must be a regular expression of at most 500 characters`);
    else {
      try {
        const count = groupCount(new RegExp(raw.pattern));
        if (count === 1) spec.pattern = raw.pattern;
        else problems.push(`${where}.pattern must have exactly one capture group (it has ${count})`);
      } catch (error) {
        problems.push(`${where}.pattern is not a valid regular expression (${error instanceof Error ? displayName(error.message, 80) : 'invalid'})`);
      }
    }
  }
  return spec;
}

/** Checks parsed config data; every problem is reported in one error. */
export function validateDirectoryConfig(data: unknown, file: string): DirectoryConfig {
  const problems: string[] = [];
  const raw: Raw = isRecord(data) ? data : {};
  if (!isRecord(data)) problems.push('must be a mapping with name, item and fields');
  for (const key of Object.keys(raw)) if (!CONFIG_KEYS.includes(key)) problems.push(`unknown key "${displayName(key, 40)}" (known: ${CONFIG_KEYS.join(', ')})`);
  if (typeof raw.name !== 'string' || !CONFIG_NAME.test(raw.name)) problems.push('name must be lowercase letters, digits and dashes, e.g. my-directory');
  if (raw.description !== undefined && typeof raw.description !== 'string') problems.push('description must be a string');
  if (raw.baseUrl !== undefined && (typeof raw.baseUrl !== 'string' || !/^https?:\/\/[^\s]+$/i.test(raw.baseUrl)))
    problems.push('baseUrl must be an http or https URL');
  if (typeof raw.item !== 'string' || raw.item.trim() === '') problems.push('item must be the CSS selector of one listing');
  else {
    const problem = selectorProblem(raw.item);
    if (problem !== undefined) problems.push(`item: ${problem}`);
  }
  const fields: Partial<Record<FieldName, FieldSpec>> = {};
  if (!isRecord(raw.fields)) problems.push('fields must be a mapping with at least name');
  else {
    for (const [key, value] of Object.entries(raw.fields)) {
      if (!(FIELD_NAMES as readonly string[]).includes(key)) {
        problems.push(`fields: unknown field "${displayName(key, 40)}" (known: ${FIELD_NAMES.join(', ')})`);
        continue;
      }
      const spec = checkSpec(value, `fields.${key}`, problems);
      if (spec !== undefined) fields[key as FieldName] = spec;
    }
    if (raw.fields.name === undefined) problems.push('fields.name is missing');
  }
  const first = problems[0];
  if (first !== undefined) {
    const error = new McpRiskError('INPUT_INVALID', problems.length === 1 ? `${file}: ${first}` : `${file}: ${plural(problems.length, 'problem')}`, {
      hint: 'A directory config has name, item (CSS selector of one listing) and fields (selector, attr, pattern each).',
    });
    // Every problem, one line each, printed by the CLI after the message.
    throw Object.assign(error, { details: problems.length > 1 ? [...problems] : [] });
  }
  const config: DirectoryConfig = { name: raw.name as string, item: raw.item as string, fields: fields as DirectoryConfig['fields'] };
  if (typeof raw.description === 'string') config.description = raw.description;
  if (typeof raw.baseUrl === 'string') config.baseUrl = raw.baseUrl;
  return config;
}

/** Names of the configs shipped in data/directories. */
export function listDirectoryConfigs(): string[] {
  try {
    return readdirSync(DIRECTORY_DATA)
      .filter((file) => file.endsWith('.yaml'))
      .map((file) => file.slice(0, -'.yaml'.length))
      .sort();
  } catch {
    return [];
  }
}

/**
 * Loads a config by shipped name (`generic` reads data/directories/generic.yaml) or from a file path
 * (anything with a slash or a .yaml, .yml or .json extension).
 */
export function loadDirectoryConfig(pathOrName: string): DirectoryConfig {
  const isName = CONFIG_NAME.test(pathOrName) && !/\.(ya?ml|json)$/i.test(pathOrName);
  const location = isName ? new URL(`${pathOrName}.yaml`, DIRECTORY_DATA) : pathOrName;
  const file = isName ? `directory config ${pathOrName}` : pathOrName;
  let text: string;
  try {
    text = readFileSync(location, 'utf8');
  } catch (error) {
    throw new McpRiskError('INPUT_NOT_FOUND', `${file}: not found`, {
      cause: error,
      hint: `Give a config file path, or one of: ${listDirectoryConfigs().join(', ') || '(none shipped)'}.`,
    });
  }
  let data: unknown;
  try {
    data = parse(text, { uniqueKeys: true, maxAliasCount: 100 });
  } catch (error) {
    throw new McpRiskError('INPUT_INVALID', `${file}: invalid YAML: ${error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)}`, {
      cause: error,
    });
  }
  return validateDirectoryConfig(data, file);
}
