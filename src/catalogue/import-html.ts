// Imports the server listings of a directory web page as catalogue entries, read through a selector config.
import { load } from 'cheerio';
import type { Cheerio, CheerioAPI, contains } from 'cheerio';
import { cleanText, MAX_NAME_LENGTH } from './clean-text.js';
import type { DirectoryConfig, FieldName, FieldSpec } from './directory-config.js';
import type { CatalogueEntry, SkippedListing } from './types.js';
import { uniqueName } from './unique-name.js';
import { entryProblems } from './validate.js';

/** One listing as read from the page, every field cleaned and bounded. */
export interface DirectoryListing {
  name: string;
  package?: string;
  version?: string;
  repository?: string;
  link?: string;
  url?: string;
  description?: string;
}

export interface ImportHtmlResult {
  entries: CatalogueEntry[];
  skipped: SkippedListing[];
  listings: DirectoryListing[];
}

export const NO_SOURCE = 'no npm package or URL to scan';

/** A page with more listings than this is not a directory page we should trust to read whole. */
const MAX_ITEMS = 20_000;
/** Raw values are cut here before any regex runs, so a config pattern cannot be fed a hostile megabyte. */
const MAX_RAW = 4000;
const FIELD_MAX: Record<FieldName, number> = { name: MAX_NAME_LENGTH, package: 260, repository: 2048, link: 2048, url: 2048, description: 500 };
const URL_FIELDS: readonly FieldName[] = ['repository', 'link', 'url'];
const NPM_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/i;
const NPM_PAGE = /^https?:\/\/(?:www\.)?npmjs\.com\/package\/((?:@[^/?#]+\/)?[^/?#]+)/i;

/** Named through cheerio because its node types live in domhandler, which is not one of our dependencies. */
type AnyNode = Parameters<typeof contains>[0];
type Item = Cheerio<AnyNode>;

function rawValue(element: Item, spec: FieldSpec): string | undefined {
  const value = spec.attr === undefined ? element.text() : element.attr(spec.attr);
  return value === undefined ? undefined : value.slice(0, MAX_RAW);
}

function applyPattern(value: string, spec: FieldSpec): string | undefined {
  if (spec.pattern === undefined) return value;
  const match = new RegExp(spec.pattern).exec(cleanText(value, MAX_RAW));
  return match?.[1];
}

/**
 * The field's value: of the elements the selector matches, the first whose value is non-empty (and
 * matches the pattern, when there is one), since a listing often has several code spans or links.
 */
function readField($: CheerioAPI, item: Item, spec: FieldSpec, max: number): string | undefined {
  const elements =
    spec.selector === undefined
      ? [item]
      : item
          .find(spec.selector)
          .toArray()
          .slice(0, 50)
          .map((node) => $(node));
  for (const element of elements) {
    const raw = rawValue(element, spec);
    if (raw === undefined) continue;
    const picked = applyPattern(raw, spec);
    const clean = picked === undefined ? '' : cleanText(picked, max);
    if (clean !== '') return clean;
  }
  return undefined;
}

/** An absolute http(s) URL, or nothing: `javascript:` and friends never make it into a catalogue. */
function absoluteUrl(value: string, base: string | undefined): string | undefined {
  try {
    const url = base === undefined ? new URL(value) : new URL(value, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** `@scope/pkg`, `@scope/pkg@1.2.3` or an npmjs.com package page, as package and version. */
function npmPackage(value: string): { name: string; version?: string } | undefined {
  const page = NPM_PAGE.exec(value);
  const spec = page?.[1] === undefined ? value.trim() : decodeURIComponent(page[1]);
  const at = spec.indexOf('@', spec.startsWith('@') ? 1 : 0);
  const name = at === -1 ? spec : spec.slice(0, at);
  const version = at === -1 ? undefined : spec.slice(at + 1);
  if (!NPM_NAME.test(name) || name.length > 214) return undefined;
  return version === undefined || version === '' || version === 'latest' ? { name } : { name, version };
}

/** The listing, and the package text when there was one but it is not an npm package name. */
function readListing($: CheerioAPI, item: Item, config: DirectoryConfig, base: string | undefined): { listing: DirectoryListing; badPackage?: string } {
  const values: Partial<Record<FieldName, string>> = {};
  for (const [field, spec] of Object.entries(config.fields) as [FieldName, FieldSpec | undefined][]) {
    if (spec === undefined) continue;
    const value = readField($, item, spec, FIELD_MAX[field]);
    if (value === undefined) continue;
    if (URL_FIELDS.includes(field)) {
      const url = absoluteUrl(value, base);
      if (url !== undefined) values[field] = url;
    } else values[field] = value;
  }
  const listing: DirectoryListing = { name: values.name ?? '' };
  const pkg = values.package === undefined ? undefined : npmPackage(values.package);
  if (pkg !== undefined) {
    listing.package = pkg.name;
    if (pkg.version !== undefined) listing.version = pkg.version;
  }
  for (const field of ['repository', 'link', 'url', 'description'] as const) {
    const value = values[field];
    if (value !== undefined) listing[field] = value;
  }
  if (listing.name === '' && listing.package !== undefined) listing.name = listing.package;
  return values.package !== undefined && pkg === undefined ? { listing, badPackage: cleanText(values.package, 60) } : { listing };
}

/**
 * Reads every listing the config's `item` selector matches. A listing with an npm package becomes an
 * `npm` entry, one with an MCP endpoint URL a `url` entry; the rest are skipped with the reason.
 * Scripts, styles and templates are removed first, so text they carry can never become a listing.
 * Relative links resolve against `pageUrl`, else the config's `baseUrl`.
 */
export function importHtml(html: string, config: DirectoryConfig, pageUrl?: string): ImportHtmlResult {
  const $ = load(html);
  $('script, style, noscript, template, iframe, object').remove();
  const base = pageUrl ?? config.baseUrl;
  const tag = `directory:${config.name}`;
  const entries: CatalogueEntry[] = [];
  const skipped: SkippedListing[] = [];
  const listings: DirectoryListing[] = [];
  const taken = new Set<string>();
  const sources = new Map<string, string>();
  for (const node of $(config.item).toArray().slice(0, MAX_ITEMS)) {
    const { listing, badPackage } = readListing($, $(node), config, base);
    listings.push(listing);
    if (listing.name === '') {
      skipped.push({ name: '?', reason: 'no name' });
      continue;
    }
    // The same package at another version is still the same server to scan.
    const key = listing.package !== undefined ? `npm:${listing.package}` : listing.url !== undefined ? `url:${listing.url}` : undefined;
    if (key === undefined) {
      skipped.push({ name: listing.name, reason: badPackage === undefined ? NO_SOURCE : `${NO_SOURCE} ("${badPackage}" is not an npm package name)` });
      continue;
    }
    const first = sources.get(key);
    if (first !== undefined) {
      skipped.push({ name: listing.name, reason: `listed again (same source as ${first})` });
      continue;
    }
    const name = uniqueName(listing.name, taken);
    const entry: CatalogueEntry = {
      name,
      source:
        listing.package !== undefined
          ? { kind: 'npm', package: listing.package, ...(listing.version !== undefined && { version: listing.version }) }
          : { kind: 'http', url: listing.url as string },
      args: [],
      env: {},
      headers: {},
      tags: [tag],
      needs: [],
    };
    const problem = entryProblems(entry)[0];
    if (problem !== undefined) {
      skipped.push({ name: listing.name, reason: `not importable: ${problem}` });
      continue;
    }
    sources.set(key, name);
    taken.add(name);
    entries.push(entry);
  }
  return { entries, skipped, listings };
}
