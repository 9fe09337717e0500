// Verb rules: the name's leading verb is strong evidence, a description's leading verbs weaker, other verbs weakest.
import type { Evidence } from '../../model/index.js';
import type { LexEntry } from '../lexicon.js';
import { bounded } from '../rule.js';
import type { Rule } from '../rule.js';
import type { DescToken } from '../text.js';
import type { ToolView } from '../view.js';
import { quote } from '../view.js';

/** Sentences after the second are usage notes and lists; only hard verbs still lead there. */
const LEADING_SENTENCES = 2;

function isLeading(t: DescToken, entry: LexEntry): boolean {
  return t.lead && (t.sentence < LEADING_SENTENCES || entry.hard);
}

function verbEvidence(rule: string, path: string, match: string, entry: LexEntry, hard: boolean): Evidence {
  const ev: Evidence = { rule, path, match: bounded(match), category: entry.category };
  if (hard && entry.hard) ev.hard = true;
  return ev;
}

/**
 * Index of the name's leading verb and any verbs joined to it by and/or (`create_or_update_file`).
 * Past the first word only a bare verb leads (`user_remove`, `repo.delete`): an -s form there is
 * a plural noun (`console_messages`), an -ing form a gerund.
 */
function leadingNameVerbs(view: ToolView): number[] {
  const { nameWords, lexicon } = view;
  const lead: number[] = [];
  for (let i = 0; i < nameWords.length; i++) {
    const entry = lexicon.forms.get(nameWords[i] as string);
    if (!entry?.finite) continue;
    if (i > 0 && nameWords[i] !== entry.lemma) continue;
    lead.push(i);
    for (let j = i + 1; j + 1 < nameWords.length && lexicon.conjunctions.has(nameWords[j] as string); j += 2) {
      if (lexicon.forms.get(nameWords[j + 1] as string)?.finite) lead.push(j + 1);
      else break;
    }
    break;
  }
  return lead;
}

export const nameVerbRule: Rule = {
  meta: {
    id: 'verb.name',
    docs: "The tool name's leading verb (after any server prefix) says what the tool does; destructive and payment verbs are hard evidence.",
    impact: 'high',
    confidence: 'high',
    source: 'src/classify/rules/verbs.ts',
  },
  check(view, out) {
    for (const i of leadingNameVerbs(view)) {
      const word = view.nameWords[i] as string;
      const entry = view.lexicon.forms.get(word) as LexEntry;
      out.push(verbEvidence('verb.name', 'name', word, entry, true));
    }
  },
  cases: {
    fire: [
      { tool: { name: 'cancel_run' } },
      { tool: { name: 'flowforge_cancel_run' }, context: { serverName: 'Flowforge' } },
      { tool: { name: 'deleteUserById' } },
      { tool: { name: 'repo.delete' } },
    ],
    pass: [{ tool: { name: 'sequentialthinking' } }, { tool: { name: 'deleted_items_report' } }],
  },
};

export const nameSecondaryVerbRule: Rule = {
  meta: {
    id: 'verb.name-secondary',
    docs: 'Verbs elsewhere in the name (often nouns there: `list_commits`, `get_deleted_items`) are weak, never hard.',
    impact: 'low',
    confidence: 'low',
    source: 'src/classify/rules/verbs.ts',
  },
  check(view, out) {
    const lead = leadingNameVerbs(view);
    const seen = new Set<string>();
    for (let i = 0; i < view.nameWords.length; i++) {
      if (lead.includes(i)) continue;
      const word = view.nameWords[i] as string;
      const entry = view.lexicon.forms.get(word);
      if (!entry || seen.has(entry.lemma)) continue;
      seen.add(entry.lemma);
      out.push(verbEvidence('verb.name-secondary', 'name', word, entry, false));
    }
  },
  cases: {
    fire: [{ tool: { name: 'get_deleted_items' } }, { tool: { name: 'list_commits' } }],
    pass: [{ tool: { name: 'delete_entities' } }],
  },
};

export const descriptionLeadVerbRule: Rule = {
  meta: {
    id: 'verb.description-lead',
    docs: 'A verb that leads a sentence of the description ("Cancel a run", "Use this to abort", "it will overwrite") unless negated.',
    impact: 'medium',
    confidence: 'medium',
    source: 'src/classify/rules/verbs.ts',
  },
  check(view, out) {
    let seen: Set<string> | undefined;
    for (const t of view.descTokens) {
      if (!t.lead || t.negated) continue;
      const entry = view.lexicon.forms.get(t.word);
      if (!entry || !isLeading(t, entry)) continue;
      seen ??= new Set();
      if (seen.has(entry.lemma)) continue;
      seen.add(entry.lemma);
      out.push(verbEvidence('verb.description-lead', 'description', quote(view.description, t.start), entry, true));
    }
  },
  cases: {
    fire: [
      { tool: { name: 'x', description: 'Cancel a Serverless job that is queued or in progress.' } },
      { tool: { name: 'x', description: 'Create a new file or completely overwrite an existing file.' } },
      { tool: { name: 'x', description: 'This tool permanently deletes the record.' }, note: 'adverb before the verb' },
    ],
    pass: [
      { tool: { name: 'x', description: 'Does not delete anything; read-only.' } },
      { tool: { name: 'x', description: 'Has no effect; does not delete or cancel anything.' } },
      { tool: { name: 'x', description: '' } },
    ],
    todo: [],
  },
};

export const descriptionVerbRule: Rule = {
  meta: {
    id: 'verb.description',
    docs: 'Any other verb form in the description (not leading, not negated) is weak supporting evidence.',
    impact: 'low',
    confidence: 'weak',
    source: 'src/classify/rules/verbs.ts',
  },
  check(view, out) {
    let seen: Set<string> | undefined;
    for (const t of view.descTokens) {
      if (t.negated) continue;
      const entry = view.lexicon.forms.get(t.word);
      if (!entry || isLeading(t, entry)) continue;
      seen ??= new Set();
      if (seen.has(entry.lemma)) continue;
      seen.add(entry.lemma);
      out.push(verbEvidence('verb.description', 'description', quote(view.description, t.start, 3), entry, false));
    }
  },
  cases: {
    fire: [{ tool: { name: 'x', description: 'Running tasks are aborted and marked cancelled.' } }],
    pass: [
      { tool: { name: 'x', description: 'The entity is never deleted.' } },
      { tool: { name: 'x', description: 'Echoes the input.' }, note: 'leading verb belongs to verb.description-lead' },
    ],
  },
};
