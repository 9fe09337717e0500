// Field-level changes of one tool and their wording: every changed field is named, nothing changed is.
import { describe, expect, it } from 'vitest';
import { definitionChanges, describeChange, descriptionMentions, firstDifference, gerund, MAX_CHANGES } from '../../src/history/index.js';
import type { ToolChange } from '../../src/history/index.js';
import type { ToolDefinition } from '../../src/model/index.js';
import { def } from './make.js';

function only(changes: ToolChange[]): ToolChange {
  expect(changes).toHaveLength(1);
  return changes[0] as ToolChange;
}

function lines(before: ToolDefinition, after: ToolDefinition): string[] {
  return definitionChanges(before, after).map(describeChange);
}

describe('definitionChanges', () => {
  it('finds nothing between equal definitions, whatever the key order', () => {
    const a = def('t', { inputSchema: { type: 'object', properties: { x: { type: 'string', description: 'x' } } } });
    const b = def('t', { inputSchema: { properties: { x: { description: 'x', type: 'string' } }, type: 'object' } });
    expect(definitionChanges(a, b)).toEqual([]);
  });

  it('words title changes', () => {
    expect(lines(def('t'), def('t', { title: 'Note' }))).toEqual(['title now "Note"']);
    expect(lines(def('t', { title: 'Note' }), def('t', { title: 'Notes' }))).toEqual(['title changed from "Note" to "Notes"']);
    expect(lines(def('t', { title: 'Note' }), def('t'))).toEqual(['title removed (was "Note")']);
  });

  it('says a description now mentions deleting when it changes from archiving to deleting', () => {
    const change = only(
      definitionChanges(
        def('archive_note', { description: 'Archives a note so it no longer appears in the list.' }),
        def('archive_note', { description: 'Permanently deletes a note.' }),
      ),
    );
    expect(change.kind).toBe('description');
    if (change.kind !== 'description') return;
    expect(change.mentions.added).toContainEqual({ kind: 'category', category: 'Destructive', verbs: ['delete'] });
    expect(change.mentions.removed).toContainEqual({ kind: 'category', category: 'Write', verbs: ['archive'] });
    expect(describeChange(change)).toMatch(/^description now mentions deleting\b/);
    expect(describeChange(change)).toContain('no longer mentions archiving');
  });

  it('does not count a negated verb as a mention, and counts it once the negation goes', () => {
    const negated = descriptionMentions(def('t', { description: 'Returns the list.' }), def('t', { description: 'Returns the list; never deletes anything.' }));
    expect(negated.added).toEqual([]);
    const unnegated = descriptionMentions(def('t', { description: 'Does not delete the list.' }), def('t', { description: 'Deletes the list.' }));
    expect(unnegated.added).toContainEqual({ kind: 'category', category: 'Destructive', verbs: ['delete'] });
  });

  it('reports a new hard verb inside a category already mentioned, but not a reworded soft one', () => {
    const hard = descriptionMentions(
      def('t', { description: 'Removes a tag from a note.' }),
      def('t', { description: 'Removes a tag and purges its history.' }),
    );
    expect(hard.added).toEqual([{ kind: 'category', category: 'Destructive', verbs: ['purge'] }]);
    const soft = definitionChanges(def('t', { description: 'Creates a note.' }), def('t', { description: 'Adds a note.' }));
    expect(soft.map(describeChange)).toEqual(['description reworded (no new actions mentioned)']);
  });

  it('names money and commands by what they do', () => {
    const money = definitionChanges(def('t', { description: 'Returns an invoice.' }), def('t', { description: 'Charges the customer for an invoice.' }));
    expect(money.map(describeChange)[0]).toContain('now mentions charging');
    const run = definitionChanges(def('t', { description: 'Returns a report.' }), def('t', { description: 'Runs a report script.' }));
    expect(run.map(describeChange)[0]).toContain('now mentions running');
  });

  it('reports capabilities the classifier newly sees in the description', () => {
    const change = only(
      definitionChanges(def('t', { description: 'Returns the config.' }), def('t', { description: 'Returns the config including API keys and passwords.' })),
    );
    if (change.kind !== 'description') throw new Error('expected a description change');
    expect(change.mentions.added).toContainEqual({ kind: 'capability', capability: 'sensitive-data' });
    expect(describeChange(change)).toContain('now says it touches secrets or personal data');
  });

  it('words an added and a removed description', () => {
    expect(lines(def('t', { description: undefined }), def('t', { description: 'Returns notes.' }))).toEqual(['description added']);
    expect(lines(def('t', { description: 'Returns notes.' }), def('t', { description: undefined }))).toEqual(['description removed']);
  });

  it('reports added and removed parameters with type and whether they are required', () => {
    const before = def('t', { inputSchema: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } });
    const after = def('t', {
      inputSchema: { type: 'object', properties: { command: { type: 'string' }, dryRun: { type: ['boolean', 'null'] } }, required: ['command'] },
    });
    const changes = definitionChanges(before, after);
    expect(changes).toEqual([
      { kind: 'parameter-added', name: 'command', type: 'string', required: true },
      { kind: 'parameter-added', name: 'dryRun', type: 'boolean|null', required: false },
      { kind: 'parameter-removed', name: 'id', required: true },
    ]);
    expect(changes.map(describeChange)).toEqual([
      'new parameter `command` (string, required)',
      'new parameter `dryRun` (boolean|null, optional)',
      'parameter `id` removed',
    ]);
  });

  it('reports what changed inside a parameter: type, enum, default, required, description', () => {
    const before = def('t', {
      inputSchema: { type: 'object', properties: { mode: { type: 'string', enum: ['soft', 'archive'], default: 'soft', description: 'How' } } },
    });
    const after = def('t', {
      inputSchema: {
        type: 'object',
        properties: { mode: { type: 'string', enum: ['soft', 'purge'], default: 'purge', description: 'How to delete' } },
        required: ['mode'],
      },
    });
    const change = only(definitionChanges(before, after));
    expect(change).toMatchObject({ kind: 'parameter-changed', name: 'mode', required: true, enumAdded: ['purge'], enumRemoved: ['archive'] });
    if (change.kind !== 'parameter-changed') return;
    expect([...change.what].sort()).toEqual(['default', 'description', 'enum', 'required']);
    const line = describeChange(change);
    expect(line).toContain('parameter `mode`:');
    expect(line).toContain('now required');
    expect(line).toContain('new values "purge"');
    expect(line).toContain('default "soft" -> "purge"');
    expect(line).toContain('description changed');

    const typed = only(
      definitionChanges(
        def('t', { inputSchema: { type: 'object', properties: { n: { type: 'integer' } } } }),
        def('t', { inputSchema: { type: 'object', properties: { n: { type: 'string', pattern: '.*' } } } }),
      ),
    );
    expect(describeChange(typed)).toBe('parameter `n`: type integer -> string; pattern changed');
  });

  it('follows nested object parameters and array items', () => {
    const before = def('t', {
      inputSchema: {
        type: 'object',
        properties: {
          options: { type: 'object', properties: { verbose: { type: 'boolean' } } },
          edits: { type: 'array', items: { type: 'object', properties: { oldText: { type: 'string' } } } },
        },
      },
    });
    const after = def('t', {
      inputSchema: {
        type: 'object',
        properties: {
          options: { type: 'object', properties: { verbose: { type: 'boolean' }, command: { type: 'string' } }, required: ['command'] },
          edits: { type: 'array', items: { type: 'object', properties: { oldText: { type: 'string', description: 'exact text' } } } },
        },
      },
    });
    expect(lines(before, after)).toEqual(['new parameter `options.command` (string, required)', 'parameter `edits[].oldText`: description changed']);
  });

  it('treats parameter names like constructor or __proto__ as plain names', () => {
    const after = JSON.parse(
      '{"name":"t","description":"Does t.","inputSchema":{"type":"object","properties":{"constructor":{"type":"string"},"__proto__":{"type":"string"}}}}',
    ) as ToolDefinition;
    expect(definitionChanges(def('t'), after).map((c) => c.kind === 'parameter-added' && c.name)).toEqual(['constructor', '__proto__']);
  });

  it('words annotation changes, including a hint newly declared or dropped', () => {
    const before = def('t', { annotations: { readOnlyHint: true, openWorldHint: false } });
    const after = def('t', { annotations: { readOnlyHint: false, destructiveHint: true } });
    expect(lines(before, after)).toEqual([
      '`destructiveHint` now declared true',
      '`openWorldHint` no longer declared (was false)',
      '`readOnlyHint` changed from true to false',
    ]);
  });

  it('reports output schema changes', () => {
    const schema = { type: 'object', properties: { ok: { type: 'boolean' } } };
    expect(lines(def('t'), def('t', { outputSchema: schema }))).toEqual(['output schema added']);
    expect(lines(def('t', { outputSchema: schema }), def('t'))).toEqual(['output schema removed']);
    expect(lines(def('t', { outputSchema: schema }), def('t', { outputSchema: { type: 'object' } }))).toEqual(['output schema changed']);
  });

  it('explains any other input schema change by the path of its first difference', () => {
    const before = def('t', { inputSchema: { type: 'object', additionalProperties: false, $defs: { a: { type: 'string' } } } });
    const after = def('t', { inputSchema: { type: 'object', additionalProperties: true, $defs: { a: { type: 'number' } } } });
    expect(definitionChanges(before, after)).toEqual([
      { kind: 'schema-other', path: 'inputSchema.$defs.a.type' },
      { kind: 'schema-other', path: 'inputSchema.additionalProperties' },
    ]);
    expect(lines(before, after)[0]).toBe('definition changed at `inputSchema.$defs.a.type`');
    // A `required` entry that names no property still changes the hash.
    expect(definitionChanges(def('t'), def('t', { inputSchema: { type: 'object', required: ['ghost'] } }))).toEqual([
      { kind: 'schema-other', path: 'inputSchema.required' },
    ]);
  });

  it('bounds the list for a hostile, very wide schema and counts the rest', () => {
    const properties = Object.fromEntries(Array.from({ length: MAX_CHANGES + 10 }, (_, i) => [`p${i}`, { type: 'string' }]));
    const changes = definitionChanges(def('t'), def('t', { inputSchema: { type: 'object', properties } }));
    expect(changes).toHaveLength(MAX_CHANGES + 1);
    expect(changes.at(-1)).toEqual({ kind: 'more', count: 10 });
    expect(describeChange(changes.at(-1) as ToolChange)).toBe('10 more changes not listed');
  });

  it('cuts long server text inside a line', () => {
    const long = 'x'.repeat(500);
    const line = describeChange({ kind: 'parameter-added', name: long, type: 'string', required: false });
    expect(line.length).toBeLessThan(120);
    expect(line).toContain('…');
  });
});

describe('firstDifference', () => {
  it('returns the path of the first difference in sorted key order, and undefined for equal values', () => {
    expect(firstDifference({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 })).toBeUndefined();
    expect(firstDifference({ a: 1, b: [1, 2] }, { a: 1, b: [1, 3] }, 'x')).toBe('x.b[1]');
    expect(firstDifference({ 'odd key': 1 }, { 'odd key': 2 }, 'x')).toBe('x["odd key"]');
    expect(firstDifference(1, 2)).toBe('');
  });
});

describe('verdict wording', () => {
  it('states the risk move first and the category move beside it', () => {
    expect(describeChange({ kind: 'verdict', before: { category: 'Write', risk: 'Medium' }, after: { category: 'Destructive', risk: 'Critical' } })).toBe(
      'risk Medium -> Critical (category Write -> Destructive)',
    );
    expect(describeChange({ kind: 'verdict', before: { category: 'Read', risk: 'Medium' }, after: { category: 'Read', risk: 'Critical' } })).toBe(
      'risk Medium -> Critical',
    );
    expect(describeChange({ kind: 'verdict', before: { category: 'Destructive', risk: 'Critical' }, after: { category: 'Financial', risk: 'Critical' } })).toBe(
      'category Destructive -> Financial (risk Critical unchanged)',
    );
  });
});

describe('gerund', () => {
  it('spells the -ing form of lexicon verbs', () => {
    expect(['delete', 'run', 'drop', 'pay', 'kill', 'charge', 'copy', 'transfer', 'rollback', 'rm'].map(gerund)).toEqual([
      'deleting',
      'running',
      'dropping',
      'paying',
      'killing',
      'charging',
      'copying',
      'transferring',
      'rolling back',
      'removing',
    ]);
  });
});
