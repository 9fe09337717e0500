// A precomputed, read-only view of one tool that every rule reads, so each field is split only once.
import { isRecord } from '../model/index.js';
import type { ToolAnnotations, ToolDefinition } from '../model/index.js';
import type { Lexicon } from './lexicon.js';
import { loadLexicon } from './lexicon.js';
import { serverWords, sharedLeadingWords, splitName, stripPrefix, tokenizeDescription } from './text.js';
import { isBareVerb } from './verb-position.js';
import type { DescToken } from './text.js';

export interface ClassifyContext {
  serverName?: string;
  siblingNames?: string[];
}

export interface ParamView {
  /** e.g. `inputSchema.properties.command` or `inputSchema.properties.edits.items.properties.oldText`. */
  path: string;
  name: string;
  /** The name split into lowercase words. */
  words: string[];
  /** Those words joined by spaces, as data rules match them. */
  wordsText: string;
  type: string | undefined;
  enumValues: string[] | undefined;
  description: string;
  descriptionLower: string;
  defaultValue: unknown;
}

export interface ToolView {
  definition: ToolDefinition;
  /** Name words after the server prefix is stripped. */
  nameWords: string[];
  nameText: string;
  strippedPrefix: string[];
  title: string;
  /** Lowercased once, as data rules match it. */
  titleLower: string;
  description: string;
  /** Lowercased once, so data-rule patterns run without the slower case-insensitive flag. */
  descriptionLower: string;
  /** Lexicon words of the description, in order, with lead and negation marks. */
  descTokens: DescToken[];
  params: ParamView[];
  annotations: ToolAnnotations | undefined;
  lexicon: Lexicon;
  /** The server names its tools noun first, verb last (`labels_list`, `deploy_plan_get`), judged from the siblings. */
  verbLast: boolean;
  /** Memo for leadingNameVerbs, which several rules read. */
  leadNameVerbs?: number[];
  /** Memo for describeQuality, which both a rule and the findings step read. */
  quality?: unknown;
}

/** Bounds on schema walking: hostile schemas can be deep or wide. */
const MAX_DEPTH = 4;
const MAX_PARAMS = 200;
const MAX_TEXT = 4000;

function walkProperties(schema: unknown, path: string, depth: number, out: ParamView[]): void {
  if (!isRecord(schema) || depth > MAX_DEPTH) return;
  const props = schema.properties;
  if (isRecord(props)) {
    for (const name in props) {
      if (out.length >= MAX_PARAMS) return;
      const p = props[name];
      const ppath = `${path}.properties.${name}`;
      const prop = isRecord(p) ? p : {};
      const type = typeof prop.type === 'string' ? prop.type : Array.isArray(prop.type) ? prop.type.join('|') : undefined;
      const enumValues = Array.isArray(prop.enum) ? prop.enum.filter((e): e is string => typeof e === 'string') : undefined;
      const words = splitName(name);
      const description = typeof prop.description === 'string' ? prop.description.slice(0, MAX_TEXT) : '';
      out.push({
        path: ppath,
        name,
        words,
        wordsText: words.join(' '),
        type,
        enumValues,
        description,
        descriptionLower: description.toLowerCase(),
        defaultValue: prop.default,
      });
      walkProperties(prop, ppath, depth + 1, out);
      if (isRecord(prop.items)) walkProperties(prop.items, `${ppath}.items`, depth + 1, out);
    }
  }
}

// A snapshot passes the same context object for all its tools; splitting every sibling name per tool
// would make a server's classification quadratic, so derived prefixes are cached per context value.
const serverWordsCache = new Map<string, Set<string>>();
const sharedPrefixCache = new WeakMap<readonly string[], string[]>();
const NO_PREFIX: readonly string[] = [];
const verbLastCache = new WeakMap<readonly string[], boolean>();
const NO_WORDS = new Set<string>();

function cachedServerWords(serverName: string | undefined): Set<string> {
  if (!serverName) return NO_WORDS;
  let words = serverWordsCache.get(serverName);
  if (!words) {
    if (serverWordsCache.size > 1000) serverWordsCache.clear();
    words = serverWords(serverName);
    serverWordsCache.set(serverName, words);
  }
  return words;
}

function cachedSharedPrefix(siblings: readonly string[] | undefined, lexicon: Lexicon): readonly string[] {
  if (!siblings) return NO_PREFIX;
  let shared = sharedPrefixCache.get(siblings);
  if (shared === undefined) {
    shared = sharedLeadingWords(siblings, lexicon);
    sharedPrefixCache.set(siblings, shared);
  }
  return shared;
}

/** Fewer siblings than this say nothing about a naming convention. */
const CONVENTION_MIN = 3;

/**
 * Whether the siblings mostly end with a bare verb and do not start with one (`stories-create`,
 * `storage_account_get`): then a first word that looks like a verb (`deploy_plan_get`) is a namespace.
 */
function cachedVerbLast(siblings: readonly string[] | undefined, lexicon: Lexicon): boolean {
  if (!siblings || siblings.length < CONVENTION_MIN) return false;
  let verbLast = verbLastCache.get(siblings);
  if (verbLast === undefined) {
    let last = 0;
    let first = 0;
    const shared = cachedSharedPrefix(siblings, lexicon);
    for (const name of siblings) {
      // The words every sibling starts with (`discord_`, `API-`, `TwilioApiV2010--`) are a namespace, not the first word.
      const words = splitName(name).slice(shared.length);
      if (words.length < 2) continue;
      const head = words[0] as string;
      const tail = words.at(-1) as string;
      if (isBareVerb(lexicon.forms.get(head), head)) first++;
      else if (isBareVerb(lexicon.forms.get(tail), tail)) last++;
    }
    verbLast = last >= CONVENTION_MIN && last > first;
    verbLastCache.set(siblings, verbLast);
  }
  return verbLast;
}

export function buildView(definition: ToolDefinition, context: ClassifyContext = {}): ToolView {
  const lexicon = loadLexicon();
  const name = typeof definition.name === 'string' ? definition.name : '';
  const server = cachedServerWords(context.serverName);
  const { words, prefix } = stripPrefix(splitName(name), server, cachedSharedPrefix(context.siblingNames, lexicon), lexicon);
  const description = typeof definition.description === 'string' ? definition.description.slice(0, MAX_TEXT) : '';
  const params: ParamView[] = [];
  walkProperties(definition.inputSchema, 'inputSchema', 0, params);
  const title = typeof definition.title === 'string' ? definition.title : typeof definition.annotations?.title === 'string' ? definition.annotations.title : '';
  return {
    definition,
    nameWords: words,
    nameText: words.join(' '),
    strippedPrefix: prefix,
    title,
    titleLower: title.toLowerCase(),
    description,
    descriptionLower: description.toLowerCase(),
    descTokens: withoutServerName(tokenizeDescription(description, lexicon), description, server, lexicon),
    params,
    annotations: isRecord(definition.annotations) ? definition.annotations : undefined,
    lexicon,
    verbLast: cachedVerbLast(context.siblingNames, lexicon),
  };
}

/**
 * The server's own name is no verb where a description names it ("an email from Resend", "in the
 * Resend dashboard"): a token that is one of the server's words, capitalised, right after a preposition
 * or an article, is dropped. Only a soft Read or Write verb goes, and only there ("then Email it" keeps
 * its verb), so a server's choice of name cannot hide what a description says it does.
 */
function withoutServerName(tokens: DescToken[], description: string, server: ReadonlySet<string>, lexicon: Lexicon): DescToken[] {
  if (server.size === 0) return tokens;
  return tokens.filter((t) => {
    if (!server.has(t.word)) return true;
    const entry = lexicon.forms.get(t.word);
    if (entry === undefined || entry.hard || (entry.category !== 'Write' && entry.category !== 'Read')) return true;
    const first = description.charCodeAt(t.start);
    if (first < 65 || first > 90) return true;
    return !NAMING_BEFORE.test(description.slice(Math.max(0, t.start - 12), t.start));
  });
}
const NAMING_BEFORE = /\b(?:from|in|on|via|with|to|at|by|into|using|for|the|your|our|of)\s+$/i;

/** Quotes a bounded slice of text for evidence, starting at `start`. */
export function quote(text: string, start = 0, words = 5): string {
  let end = start;
  let seen = 0;
  while (end < text.length && seen < words) {
    const next = text.indexOf(' ', end + 1);
    end = next === -1 ? text.length : next;
    seen++;
  }
  return text.slice(start, Math.min(end, start + 80)).replace(/[.,;:]+$/, '');
}
