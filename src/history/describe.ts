// One short line per change, worded for a person deciding whether to trust a tool again.
import { loadTaxonomy } from '../classify/index.js';
import { canonicalJson } from '../model/index.js';
import type { KnownCategory } from '../model/index.js';
import { plural } from '../output/plural.js';
import { truncate } from '../output/safe-text.js';
import type { ToolChange } from './changes.js';
import type { Mention } from './mentions.js';

/**
 * Server text inside a line (names, values, titles) is cut to this many characters. The line is still raw:
 * renderers pass it through `safeText` (terminal) or escape it (HTML).
 */
const MAX_PIECE = 60;
/** Bound on the joined summary a drift finding carries. */
export const MAX_SUMMARY = 400;

/** What a category is about, for a mention a data rule saw without a verb to quote. */
const CATEGORY_PHRASE: Readonly<Record<KnownCategory, string>> = {
  Read: 'reading data',
  Write: 'changing data',
  Execute: 'running code or jobs',
  Destructive: 'destructive actions',
  Financial: 'moving money',
};

/**
 * Gerunds that the spelling rule in `gerund` gets wrong (stress on the last syllable, abbreviations,
 * phrasal verbs). Spelling only: which verbs count is decided by the lexicon, not here.
 */
const GERUND: Readonly<Record<string, string>> = {
  rm: 'removing',
  exec: 'executing',
  eval: 'evaluating',
  shell: 'running shell commands',
  rerun: 'rerunning',
  reset: 'resetting',
  transfer: 'transferring',
  commit: 'committing',
  submit: 'submitting',
  unstar: 'unstarring',
  unpin: 'unpinning',
  rollback: 'rolling back',
  payout: 'paying out',
  checkout: 'checking out',
};

/** delete -> deleting, run -> running, pay -> paying; see GERUND for the exceptions. */
export function gerund(lemma: string): string {
  const known = GERUND[lemma];
  if (known !== undefined) return known;
  if (lemma.endsWith('ie')) return `${lemma.slice(0, -2)}ying`;
  if (lemma.endsWith('e') && !lemma.endsWith('ee') && lemma.length > 2) return `${lemma.slice(0, -1)}ing`;
  // One syllable ending consonant-vowel-consonant doubles the consonant: run, drop, stop, shred.
  if (/^[^aeiou]*[aeiou][^aeiouwxy]$/.test(lemma)) return `${lemma}${lemma.at(-1)}ing`;
  return `${lemma}ing`;
}

const clip = (s: string, max = MAX_PIECE): string => truncate(s, max);

function code(name: string): string {
  return `\`${clip(name)}\``;
}

function quoted(s: string): string {
  return `"${clip(s)}"`;
}

function value(v: unknown): string {
  if (v === undefined) return 'none';
  if (typeof v === 'string') return quoted(v);
  return clip(canonicalJson(v));
}

function list(items: string[], max = 4): string {
  const shown = items.slice(0, max);
  return items.length > max ? `${shown.join(', ')}, …` : shown.join(', ');
}

/** "deleting, purging" for verbs; the category's phrase when a data rule saw it without a verb. */
function verbPhrase(mentions: Mention[]): string | undefined {
  const words: string[] = [];
  for (const m of mentions) {
    if (m.kind !== 'category') continue;
    if (m.verbs.length === 0) words.push(CATEGORY_PHRASE[m.category]);
    else words.push(...m.verbs.map(gerund));
  }
  return words.length === 0 ? undefined : list([...new Set(words)], 5);
}

/** "cannot be undone", "touches secrets or personal data": the taxonomy's signal, as a clause after "it". */
function capabilityPhrase(mentions: Mention[]): string | undefined {
  const capabilities = loadTaxonomy().capabilities;
  const clauses = mentions.flatMap((m) => {
    if (m.kind !== 'capability') return [];
    const signal = capabilities.get(m.capability)?.signal;
    if (signal === undefined || signal === '') return [`has the ${clip(m.capability)} capability`];
    return [signal.charAt(0).toLowerCase() + signal.slice(1)];
  });
  return clauses.length === 0 ? undefined : clauses.join(' and ');
}

function mentionClause(mentions: Mention[], lead: 'now' | 'no longer'): string | undefined {
  const verbs = verbPhrase(mentions);
  const says = capabilityPhrase(mentions);
  if (verbs !== undefined && says !== undefined) return `${lead} mentions ${verbs} and says it ${says}`;
  if (verbs !== undefined) return `${lead} mentions ${verbs}`;
  if (says !== undefined) return `${lead} says it ${says}`;
  return undefined;
}

function describeDescription(change: Extract<ToolChange, { kind: 'description' }>): string {
  const clauses = [mentionClause(change.mentions.added, 'now'), mentionClause(change.mentions.removed, 'no longer')].filter(
    (c): c is string => c !== undefined,
  );
  if (clauses.length > 0) return `description ${clauses.join('; ')}`;
  if (!change.before) return 'description added';
  if (!change.after) return 'description removed';
  return 'description reworded (no new actions mentioned)';
}

function describeParameterChange(change: Extract<ToolChange, { kind: 'parameter-changed' }>): string {
  const parts: string[] = [];
  const rest: string[] = [];
  for (const what of change.what) {
    if (what === 'type' && change.type) parts.push(`type ${clip(change.type.before ?? 'none')} -> ${clip(change.type.after ?? 'none')}`);
    else if (what === 'required' && change.required !== undefined) parts.push(change.required ? 'now required' : 'now optional');
    else if (what === 'default' && change.default) parts.push(`default ${value(change.default.before)} -> ${value(change.default.after)}`);
    else if (what === 'enum' && (change.enumAdded || change.enumRemoved)) {
      if (change.enumAdded) parts.push(`new values ${list(change.enumAdded.map(quoted))}`);
      if (change.enumRemoved) parts.push(`values dropped ${list(change.enumRemoved.map(quoted))}`);
    } else rest.push(clip(what, 30));
  }
  if (rest.length > 0) parts.push(`${list(rest)} changed`);
  return `parameter ${code(change.name)}: ${parts.join('; ')}`;
}

/** One short line, e.g. "description now mentions deleting", "`readOnlyHint` changed from true to false". Raw text. */
export function describeChange(change: ToolChange): string {
  switch (change.kind) {
    case 'description':
      return describeDescription(change);
    case 'title':
      if (change.before === undefined) return `title now ${quoted(change.after ?? '')}`;
      if (change.after === undefined) return `title removed (was ${quoted(change.before)})`;
      return `title changed from ${quoted(change.before)} to ${quoted(change.after)}`;
    case 'parameter-added': {
      const detail = [change.type === undefined ? undefined : clip(change.type, 30), change.required ? 'required' : 'optional'].filter(Boolean);
      return `new parameter ${code(change.name)} (${detail.join(', ')})`;
    }
    case 'parameter-removed':
      return `parameter ${code(change.name)} removed`;
    case 'parameter-changed':
      return describeParameterChange(change);
    case 'annotation':
      if (change.before === undefined) return `${code(change.hint)} now declared ${value(change.after)}`;
      if (change.after === undefined) return `${code(change.hint)} no longer declared (was ${value(change.before)})`;
      return `${code(change.hint)} changed from ${value(change.before)} to ${value(change.after)}`;
    case 'output-schema':
      return `output schema ${change.what}`;
    case 'schema-other':
      return change.path === '(definition)' ? 'definition changed' : `definition changed at ${code(change.path)}`;
    case 'more':
      return `${plural(change.count, 'more change', 'more changes')} not listed`;
    case 'verdict': {
      const { before: b, after: a } = change;
      if (b.risk !== a.risk) return `risk ${b.risk} -> ${a.risk}${b.category !== a.category ? ` (category ${b.category} -> ${a.category})` : ''}`;
      return `category ${b.category} -> ${a.category} (risk ${a.risk} unchanged)`;
    }
  }
}

/** The changes of one tool as one bounded line, verdict left out (a finding states the risk itself). */
export function summariseChanges(changes: readonly ToolChange[], max = MAX_SUMMARY): string {
  return clip(
    changes
      .filter((c) => c.kind !== 'verdict')
      .map(describeChange)
      .join('; '),
    max,
  );
}
