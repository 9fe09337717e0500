// Any other verb form in the description (not leading, not negated) is weak supporting evidence.
import { defineRule } from '../rule.js';
import { quote } from '../view.js';
import { isLeading } from '../verb-position.js';

export default defineRule({
  meta: {
    id: 'verb.description',
    docs: 'Any other verb form in the description (not leading, not negated) is weak supporting evidence.',
    confidence: 'weak',
    category: 'per-match',
    version: 2,
  },
  check(view, ctx) {
    let seen: Set<string> | undefined;
    for (const t of view.descTokens) {
      if (t.negated) continue;
      const entry = view.lexicon.forms.get(t.word);
      if (!entry || isLeading(t)) continue;
      seen ??= new Set();
      if (seen.has(entry.lemma)) continue;
      seen.add(entry.lemma);
      ctx.report({ path: 'description', match: quote(view.description, t.start, 3), category: entry.category });
    }
  },
  cases: {
    fire: [
      { tool: { name: 'x', description: 'Running tasks are aborted and marked cancelled.' }, report: { path: 'description', category: 'Destructive' } },
      {
        tool: { name: 'x', description: 'List WordPress themes available to install.' },
        report: { path: 'description', category: 'Execute' },
        note: 'a verb after "to" once the sentence has its verb is a complement',
      },
      {
        tool: { name: 'x', description: 'List comments on a task or run.' },
        report: { path: 'description', category: 'Execute' },
        note: 'a noun ending the clause after "or" is not joined to the lead verb',
      },
      {
        tool: { name: 'x', description: 'Updates on issues in a project, newest first.' },
        report: { path: 'description', category: 'Write' },
        note: 'an -s form before a preposition is a plural noun',
      },
      {
        tool: { name: 'x', description: 'Lists clusters. Deletes stale ones when asked.' },
        report: { path: 'description', category: 'Destructive' },
        note: 'only the lead sentence says what the tool does; later ones are notes',
      },
      {
        tool: { name: 'x', description: 'Cluster tools. See the docs. Delete one with delete_cluster when finished.' },
        report: { path: 'description', category: 'Destructive' },
        note: 'a third sentence is advice: weak, never hard',
      },
    ],
    pass: [
      { tool: { name: 'x', description: 'The entity is never deleted.' } },
      { tool: { name: 'x', description: 'Echoes the input.' }, note: 'leading verb belongs to verb.description-lead' },
    ],
  },
});
