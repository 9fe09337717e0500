// Where a verb stands decides how much it says: the name's leading verb, a sentence's leading verb, or neither.
import type { LexEntry } from './lexicon.js';
import type { DescToken } from './text.js';
import type { ToolView } from './view.js';

/**
 * Sentences after the second are usage notes, pointers to sibling tools, caveats and examples ("delete
 * it with delete_cluster when finished"): what they say is not this tool's own action.
 */
const LEADING_SENTENCES = 2;

/** A description token that leads one of the first sentences. */
export function isLeading(t: DescToken): boolean {
  return t.lead && t.sentence < LEADING_SENTENCES;
}

/** Hard evidence comes from the lead sentence alone: later ones may describe other tools or advice. */
export function isHardLead(t: DescToken, entry: LexEntry): boolean {
  return entry.hard && t.lead && t.sentence === 0;
}

/**
 * Index of the name's leading verb and any verbs joined to it by and/or (`create_or_update_file`).
 * Past the first word only a bare verb leads (`user_remove`, `repo.delete`): an -s form there is
 * a plural noun (`console_messages`), an -ing form a gerund; a name-only verb leads only as the first word.
 */
export function leadingNameVerbs(view: ToolView): number[] {
  const { nameWords, lexicon } = view;
  const lead: number[] = [];
  for (let i = 0; i < nameWords.length; i++) {
    const entry = lexicon.forms.get(nameWords[i] as string);
    if (!entry?.finite) continue;
    if (i > 0 && nameWords[i] !== entry.lemma) continue;
    // Name-only verbs are nouns as often as verbs (`file_type`, `network_request`): they lead only first.
    if (i > 0 && entry.nameOnly === true) continue;
    lead.push(i);
    for (let j = i + 1; j + 1 < nameWords.length && lexicon.conjunctions.has(nameWords[j] as string); j += 2) {
      if (lexicon.forms.get(nameWords[j + 1] as string)?.finite) lead.push(j + 1);
      else break;
    }
    break;
  }
  return lead;
}
