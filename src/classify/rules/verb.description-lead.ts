// A verb that leads a sentence of the description says what the tool does, unless it is negated.
import { defineRule } from '../rule.js';
import { quote } from '../view.js';
import { categoryWithObject, isHardLead, isLeading, readsItsObject, wordsAfter } from '../verb-position.js';

export default defineRule({
  meta: {
    id: 'verb.description-lead',
    docs: 'A verb that leads a sentence of the description ("Cancel a run", "Use this to abort", "it will overwrite") unless negated.',
    confidence: 'medium',
    category: 'per-match',
    hard: true,
    version: 7,
  },
  check(view, ctx) {
    let seen: Set<string> | undefined;
    for (const t of view.descTokens) {
      if (!t.lead || t.negated) continue;
      const entry = view.lexicon.forms.get(t.word);
      if (!entry || !isLeading(t)) continue;
      seen ??= new Set();
      if (seen.has(entry.lemma)) continue;
      seen.add(entry.lemma);
      // Only a verb whose category can change with its object has the words after it read.
      const category = readsItsObject(entry) ? categoryWithObject(entry, wordsAfter(view.description, t.start, t.word)) : entry.category;
      ctx.report({ path: 'description', match: quote(view.description, t.start), category, hard: isHardLead(t, entry) });
    }
  },
  cases: {
    fire: [
      {
        tool: { name: 'x', description: 'Cancel a Serverless job that is queued or in progress.' },
        report: { path: 'description', category: 'Destructive', hard: true },
      },
      {
        tool: { name: 'x', description: 'Create a new file or completely overwrite an existing file.' },
        report: { path: 'description', category: 'Destructive', hard: true },
      },
      {
        tool: { name: 'x', description: 'This tool permanently deletes the record.' },
        note: 'adverb before the verb',
        report: { path: 'description', category: 'Destructive', hard: true },
      },
      {
        tool: { name: 'x', description: "Drops a foreign key constraint. Requires 'ddl' permission." },
        report: { path: 'description', category: 'Destructive', hard: true },
        note: 'the object ends with its sentence: the permission is not what is dropped',
      },
      { tool: { name: 'x', description: 'Lists the open issues of a repository.' }, report: { path: 'description', category: 'Read' } },
      { tool: { name: 'x', description: 'Run a find query against a collection.' }, report: { path: 'description', category: 'Read' } },
      {
        tool: { name: 'storage', description: 'Storage operations - Commands for creating, listing and getting storage accounts.' },
        report: { path: 'description', category: 'Write' },
        note: 'the gerunds after "for" list what a router tool does',
      },
      { tool: { name: 'x', description: 'Run a read-only SQL query.' }, report: { path: 'description', category: 'Read' } },
      { tool: { name: 'x', description: 'Schedule a meeting and send invites to the attendees.' }, report: { path: 'description', category: 'Write' } },
      { tool: { name: 'x', description: 'Schedule a job to run every night.' }, report: { path: 'description', category: 'Execute' } },
      {
        tool: { name: 'x', description: 'Generates a presigned URL to upload a file to the bucket.' },
        report: { path: 'description', category: 'Write' },
        note: 'a link that carries access is a grant',
      },
      { tool: { name: 'x', description: 'Generate a new API key for the project.' }, report: { path: 'description', category: 'Write' } },
      {
        tool: { name: 'x', description: 'Generate a cryptographically secure random password of the length given.' },
        report: { path: 'description', category: 'Read' },
        note: 'a random password made on the spot is handed back, not issued',
      },
      { tool: { name: 'x', description: 'Generate a short link to the report.' }, report: { path: 'description', category: 'Read' } },
      { tool: { name: 'x', description: 'Generates a cache key for the request.' }, report: { path: 'description', category: 'Read' } },
      {
        tool: { name: 'x', description: 'Restore a droplet from a backup.' },
        report: { path: 'description', category: 'Destructive' },
        note: 'its disk is overwritten',
      },
      { tool: { name: 'x', description: 'Restore a file from the trash.' }, report: { path: 'description', category: 'Write' } },
      { tool: { name: 'x', description: 'Schedules a message to be deleted.' }, report: { path: 'description', category: 'Execute' } },
      {
        tool: { name: 'x', description: 'Reset the settings to factory defaults, erasing all data.' },
        report: { path: 'description', category: 'Destructive' },
      },
      { tool: { name: 'x', description: 'Removes a reaction from a message.' }, report: { path: 'description', category: 'Write', hard: true } },
      { tool: { name: 'x', description: 'Deletes a message from a channel.' }, report: { path: 'description', category: 'Destructive', hard: true } },
      { tool: { name: 'x', description: 'Run a SQL query that may update rows.' }, report: { path: 'description', category: 'Execute' } },
    ],
    pass: [
      { tool: { name: 'x', description: 'Does not delete anything; read-only.' } },
      { tool: { name: 'x', description: 'Has no effect; does not delete or cancel anything.' } },
      { tool: { name: 'x', description: '' } },
      { tool: { name: 'x', description: 'Cluster tools. See the docs. Delete one with delete_cluster when finished.' }, note: 'advice in a later sentence' },
      { tool: { name: 'x', description: 'Tags are the way contacts are grouped.' }, note: 'a plural noun as the subject' },
    ],
  },
});
