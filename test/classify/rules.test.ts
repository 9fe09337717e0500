// Rule tester, ESLint RuleTester style: every rule, code or data, carries a case that fires and one that must
// not; a firing case states what must be reported (field path, category, hard or not); known misses run as
// expected failures.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Evidence, ToolDefinition } from '../../src/model/index.js';
import { allRules, defineRule } from '../../src/classify/index.js';
import type { FireCase, Rule, RuleCase } from '../../src/classify/index.js';
import { DataFileError } from '../../src/classify/data-files.js';
import { compileDataRules } from '../../src/classify/data-rules.js';
import { CODE_RULES } from '../../src/classify/registry.js';
import { compileRule } from '../../src/classify/rule.js';
import { buildView } from '../../src/classify/view.js';

function run(rule: Rule, c: RuleCase): Evidence[] {
  const tool: ToolDefinition = { inputSchema: { type: 'object' }, ...c.tool };
  const out: Evidence[] = [];
  compileRule(rule)(buildView(tool, c.context), out);
  return out;
}

/** The evidence a firing case expects, with the category a fixed-category rule always reports filled in. */
function expected(rule: Rule, c: FireCase): Partial<Evidence> {
  const category = rule.meta.category === 'per-match' ? c.report.category : rule.meta.category;
  return {
    rule: rule.meta.id,
    path: c.report.path,
    ...(category ? { category } : {}),
    ...(rule.meta.capability ? { capability: rule.meta.capability } : {}),
    hard: c.report.hard ?? false,
  };
}

const reported = (e: Evidence): Partial<Evidence> => ({
  rule: e.rule,
  path: e.path,
  ...(e.category ? { category: e.category } : {}),
  ...(e.capability ? { capability: e.capability } : {}),
  hard: e.hard === true,
});

const label = (c: RuleCase): string => `${c.tool.name}${c.tool.description ? `: ${c.tool.description.slice(0, 50)}` : ''}${c.note ? ` (${c.note})` : ''}`;

describe('rule set', () => {
  it('has unique ids', () => {
    const ids = allRules().map((r) => r.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('has one code rule per file under src/classify/rules/, the file named by the rule id', () => {
    const files = readdirSync(new URL('../../src/classify/rules/', import.meta.url)).sort();
    expect(files).toEqual(CODE_RULES.map((r) => `${r.meta.id}.ts`).sort());
    for (const r of CODE_RULES) expect(r.meta.source).toBe(`src/classify/rules/${r.meta.id}.ts`);
  });
});

describe('data rule patterns', () => {
  it('refuse an escape that lowercasing would change', () => {
    const problems = (pattern: string, unless?: string): string[] => {
      try {
        compileDataRules({ rules: [{ id: 'x', category: 'Read', confidence: 'low', fields: ['name'], pattern, ...(unless ? { unless } : {}) }] });
        return [];
      } catch (error) {
        expect(error).toBeInstanceOf(DataFileError);
        return (error as DataFileError).problems;
      }
    };
    expect(problems('\\bfoo\\s')).toEqual([]);
    expect(problems('\\\\S')).toEqual([]);
    expect(problems('\\Sfoo')).toEqual(['x: \\S would read as \\s, since patterns are lowercased']);
    expect(problems('a\\\\\\Bb')).toEqual(['x: \\B would read as \\b, since patterns are lowercased']);
    expect(problems('foo', '\\W')).toEqual(['x: \\W would read as \\w, since patterns are lowercased']);
  });
});

describe('the reporter holds a rule to its meta', () => {
  const tool = { name: 'delete_thing', description: 'Deletes a thing.', inputSchema: { type: 'object' as const } };
  const view = buildView(tool);
  const cases = { fire: [], pass: [] };

  it('fills category, capability and modifier from meta', () => {
    const rule = defineRule({
      meta: { id: 't.fixed', docs: 'test rule', confidence: 'low', category: 'Write', capability: 'bulk', modifier: 'bulk', version: 1 },
      check: (_v, ctx) => ctx.report({ path: 'name', match: 'x' }),
      cases,
    });
    const out: Evidence[] = [];
    compileRule(rule)(view, out);
    expect(out).toEqual([
      { rule: 't.fixed', path: 'name', match: 'x', category: 'Write', capability: 'bulk', modifier: { id: 'bulk', delta: expect.any(Number) } },
    ]);
  });

  it('refuses a category the meta did not declare, hard evidence from a rule not declared hard, and a per-match report without a category', () => {
    const wrongCategory: Rule = {
      meta: { id: 't.a', docs: 'x', confidence: 'low', category: 'Read', source: 't' },
      check: (_v, ctx) => ctx.report({ path: 'name', match: 'x', category: 'Destructive' }),
      cases,
    };
    const notHard: Rule = {
      meta: { id: 't.b', docs: 'x', confidence: 'low', category: 'Read', source: 't' },
      check: (_v, ctx) => ctx.report({ path: 'name', match: 'x', hard: true }),
      cases,
    };
    const noCategory: Rule = {
      meta: { id: 't.c', docs: 'x', confidence: 'low', category: 'per-match', source: 't' },
      check: (_v, ctx) => ctx.report({ path: 'name', match: 'x' }),
      cases,
    };
    for (const rule of [wrongCategory, notHard, noCategory]) expect(() => compileRule(rule)(view, [])).toThrow(rule.meta.id);
  });

  it('refuses a modifier or capability the taxonomy does not define', () => {
    const rule: Rule = { meta: { id: 't.d', docs: 'x', confidence: 'low', modifier: 'no-such-modifier', source: 't' }, check: () => undefined, cases };
    expect(() => compileRule(rule)).toThrow('no-such-modifier');
  });
});

for (const rule of allRules()) {
  describe(`${rule.meta.id} (${rule.meta.source})`, () => {
    it('declares a firing case and a non-firing case', () => {
      expect(rule.cases.fire.length, 'needs at least one `fire` case').toBeGreaterThan(0);
      expect(rule.cases.pass.length, 'needs at least one `pass` case').toBeGreaterThan(0);
      expect(rule.meta.docs.length).toBeGreaterThan(10);
    });
    if (rule.meta.category === 'per-match') {
      it('names the category every firing case must report (a per-match rule)', () => {
        for (const c of [...rule.cases.fire, ...(rule.cases.todo ?? [])]) expect(c.report.category, label(c)).toBeDefined();
      });
    }
    for (const c of rule.cases.fire) {
      it(`reports ${c.report.category ?? rule.meta.category ?? rule.meta.capability ?? rule.meta.modifier} at ${c.report.path}${c.report.hard ? ' (hard)' : ''} on ${label(c)}`, () => {
        expect(run(rule, c).map(reported)).toContainEqual(expected(rule, c));
      });
    }
    for (const c of rule.cases.pass) {
      it(`does not fire on ${label(c)}`, () => {
        expect(run(rule, c)).toEqual([]);
      });
    }
    for (const c of rule.cases.todo ?? []) {
      it.fails(`known miss: should report at ${c.report.path} on ${label(c)}`, () => {
        expect(run(rule, c).map(reported)).toContainEqual(expected(rule, c));
      });
    }
  });
}
