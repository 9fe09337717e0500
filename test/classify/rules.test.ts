// Rule tester: every rule, code or data, must carry a case that fires and one that must not; known misses run as expected failures.
import { describe, expect, it } from 'vitest';
import type { Evidence, ToolDefinition } from '../../src/model/index.js';
import { allRules } from '../../src/classify/index.js';
import type { RuleCase } from '../../src/classify/index.js';
import { buildView } from '../../src/classify/view.js';

function run(ruleId: string, c: RuleCase): Evidence[] {
  const rule = allRules().find((r) => r.meta.id === ruleId)!;
  const tool: ToolDefinition = { inputSchema: { type: 'object' }, ...c.tool };
  const out: Evidence[] = [];
  rule.check(buildView(tool, c.context), out);
  return out.filter((e) => e.rule === ruleId);
}

const label = (c: RuleCase): string => `${c.tool.name}${c.tool.description ? `: ${c.tool.description.slice(0, 50)}` : ''}${c.note ? ` (${c.note})` : ''}`;

describe('rule set', () => {
  it('has unique ids', () => {
    const ids = allRules().map((r) => r.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

for (const rule of allRules()) {
  describe(`${rule.meta.id} (${rule.meta.source})`, () => {
    it('declares a firing case and a non-firing case', () => {
      expect(rule.cases.fire.length, 'needs at least one `fire` case').toBeGreaterThan(0);
      expect(rule.cases.pass.length, 'needs at least one `pass` case').toBeGreaterThan(0);
      expect(rule.meta.docs.length).toBeGreaterThan(10);
    });
    for (const c of rule.cases.fire) {
      it(`fires on ${label(c)}`, () => {
        expect(run(rule.meta.id, c).length).toBeGreaterThan(0);
      });
    }
    for (const c of rule.cases.pass) {
      it(`does not fire on ${label(c)}`, () => {
        expect(run(rule.meta.id, c)).toEqual([]);
      });
    }
    for (const c of rule.cases.todo ?? []) {
      it.fails(`known miss: should fire on ${label(c)}`, () => {
        expect(run(rule.meta.id, c).length).toBeGreaterThan(0);
      });
    }
  });
}
