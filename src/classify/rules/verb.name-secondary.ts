// Verbs elsewhere in the name are often nouns there (`list_commits`, `get_deleted_items`): weak, never hard.
import { defineRule } from '../rule.js';
import { leadingNameVerbs, nameIdiomAt } from '../verb-position.js';

export default defineRule({
  meta: {
    id: 'verb.name-secondary',
    docs: 'Verbs elsewhere in the name (often nouns there: `list_commits`, `get_deleted_items`) are weak, never hard.',
    confidence: 'low',
    category: 'per-match',
    version: 4,
  },
  check(view, ctx) {
    const lead = leadingNameVerbs(view);
    // A verb the name leads with is counted by verb.name: repeated later (`merge_merge_request`), it is
    // the same evidence again, not a second verb.
    const seen = new Set<string>(lead.map((i) => view.lexicon.forms.get(view.nameWords[i] as string)?.lemma).filter((l) => l !== undefined));
    for (let i = 0; i < view.nameWords.length; i++) {
      if (lead.includes(i)) continue;
      const word = view.nameWords[i] as string;
      const entry = view.lexicon.forms.get(word);
      // An agent noun counts only as the name's last word, where it names the action (see leadingNameVerbs).
      // "go forward", "fast forward": a direction, not a second action.
      if (!entry || entry.agent === true || seen.has(entry.lemma) || nameIdiomAt(view, i)) continue;
      seen.add(entry.lemma);
      ctx.report({ path: 'name', match: word, category: entry.category });
    }
  },
  cases: {
    fire: [
      { tool: { name: 'get_deleted_items' }, report: { path: 'name', category: 'Destructive' } },
      { tool: { name: 'list_commits' }, report: { path: 'name', category: 'Write' } },
    ],
    pass: [{ tool: { name: 'delete_entities' } }, { tool: { name: 'refresh_refresh_token' } }, { tool: { name: 'browser_go_forward' } }],
  },
});
