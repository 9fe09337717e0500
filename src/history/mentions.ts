// What a tool description newly mentions (or stopped mentioning): action verbs by category, and capabilities.
import { collectEvidence, loadTaxonomy } from '../classify/index.js';
import { loadLexicon } from '../classify/lexicon.js';
import type { LexEntry } from '../classify/lexicon.js';
import { tokenizeDescription } from '../classify/text.js';
import { toToolRecord } from '../model/index.js';
import type { KnownCategory, ToolDefinition } from '../model/index.js';

/**
 * One thing a description talks about. `verbs` are lexicon lemmas (`delete`, `charge`), empty when only
 * a data rule saw the category; `capability` is a taxonomy capability id (`irreversible`, `sensitive-data`).
 */
export type Mention = { kind: 'category'; category: KnownCategory; verbs: string[] } | { kind: 'capability'; capability: string };

export interface MentionDelta {
  added: Mention[];
  removed: Mention[];
}

/** Verbs kept per category: enough to act on, bounded because descriptions are hostile. */
const MAX_VERBS = 5;
/** Descriptions are bounded at ingest (16 KiB); this keeps a stored oversize one from costing much. */
const MAX_TEXT = 16 * 1024;

interface Mentioned {
  verbs: Map<string, LexEntry>;
  categories: Set<KnownCategory>;
  capabilities: Set<string>;
}

/**
 * Uses the classifier's own tokenizer (so "does not delete" is no mention of deleting, and identifiers
 * like `delete_after` are not verbs) and the classifier's evidence on the description (capabilities, and
 * categories a data rule saw). Read verbs are left out: reading is never what a re-review is about.
 */
function mentioned(definition: ToolDefinition | undefined): Mentioned {
  const out: Mentioned = { verbs: new Map(), categories: new Set(), capabilities: new Set() };
  const text = typeof definition?.description === 'string' ? definition.description.slice(0, MAX_TEXT) : '';
  if (definition === undefined || text.trim() === '') return out;
  const lexicon = loadLexicon();
  for (const token of tokenizeDescription(text, lexicon)) {
    if (token.negated) continue;
    const entry = lexicon.forms.get(token.word);
    if (entry === undefined || entry.nameOnly === true || entry.category === 'Read') continue;
    if (!out.verbs.has(entry.lemma)) out.verbs.set(entry.lemma, entry);
    out.categories.add(entry.category);
  }
  for (const ev of collectEvidence(toToolRecord({ ...definition, description: text }))) {
    if (ev.path !== 'description') continue;
    if (ev.capability !== undefined) out.capabilities.add(ev.capability);
    if (ev.category !== undefined && ev.category !== 'Read') out.categories.add(ev.category);
  }
  return out;
}

/**
 * Mentions present in `to` and absent in `from`. A whole category counts when `from` never mentioned it;
 * inside a category `from` already mentioned, only hard verbs count (a note tool that "archives" and now
 * also "purges" matters; "creates" reworded to "adds" does not).
 */
function gained(from: Mentioned, to: Mentioned): Mention[] {
  const taxonomy = loadTaxonomy();
  const byCategory = new Map<KnownCategory, string[]>();
  for (const [lemma, entry] of to.verbs) {
    if (from.verbs.has(lemma)) continue;
    if (from.categories.has(entry.category) && !entry.hard) continue;
    const verbs = byCategory.get(entry.category) ?? [];
    if (verbs.length < MAX_VERBS) verbs.push(lemma);
    byCategory.set(entry.category, verbs);
  }
  for (const category of to.categories) {
    if (!from.categories.has(category) && !byCategory.has(category)) byCategory.set(category, []);
  }
  const categories = [...byCategory.entries()]
    .sort(([a], [b]) => taxonomy.rank(b) - taxonomy.rank(a))
    .map(([category, verbs]): Mention => ({ kind: 'category', category, verbs }));
  const capabilities = [...to.capabilities]
    .filter((c) => !from.capabilities.has(c))
    .sort()
    .map((capability): Mention => ({ kind: 'capability', capability }));
  return [...categories, ...capabilities];
}

/** What the description of a tool newly mentions, and what it no longer mentions. */
export function descriptionMentions(before: ToolDefinition | undefined, after: ToolDefinition | undefined): MentionDelta {
  const b = mentioned(before);
  const a = mentioned(after);
  return { added: gained(b, a), removed: gained(a, b) };
}
