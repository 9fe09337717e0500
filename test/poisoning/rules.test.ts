// The poisoning rules as data: every rule fires on its `fire` cases and stays quiet on its `pass` cases,
// through the whole analyser (normalisation, `unless`, quoted mentions), and the file's shape is checked.
import { describe, expect, it } from 'vitest';
import { DataFileError } from '../../src/classify/data-files.js';
import { buildView } from '../../src/classify/view.js';
import type { ToolDefinition } from '../../src/model/index.js';
import { compilePoisoningRules, loadPoisoningRules, poisoningFindings, POISONING_CODES, toolPoisoningFindings } from '../../src/poisoning/index.js';
import type { PoisoningRule } from '../../src/poisoning/index.js';
import { poisoningLayout } from '../../src/poisoning/analyse.js';
import { scanToolFields } from '../../src/poisoning/fields.js';
import { ScanState, triggerIndex } from '../../src/poisoning/scan.js';

const rules = loadPoisoningRules();
const PATHS = { text: 'description', name: 'inputSchema.properties.p', value: 'inputSchema.properties.p.default' } as const;
/** The case in every kind of field the rule reads: a description, a name, a default. */
const fieldsFor = (rule: PoisoningRule, text: string) => [...rule.in].map((role) => ({ path: PATHS[role], text, role }));
/** The case as a tool, in every kind of field the rule reads: what classifyTool analyses. */
const toolsFor = (rule: PoisoningRule, text: string): ToolDefinition[] =>
  [...rule.in].map((role) => {
    const param = role === 'name' ? { [text]: { type: 'string' } } : role === 'value' ? { p: { type: 'string', default: text } } : {};
    return { name: 't', ...(role === 'text' && { description: text }), inputSchema: { type: 'object', properties: param } };
  });
/** The codes the per-tool path (scan, then only the sentences that woke a rule) gives the case. */
const fastCodes = (rule: PoisoningRule, text: string): string[] =>
  toolsFor(rule, text).flatMap((tool) => toolPoisoningFindings(tool, buildView(tool, {}), [], [rule]).map((f) => f.code));

/** Whether one scan of the tool's texts wakes any of `rules`. */
function wakes(rules: readonly PoisoningRule[], def: ToolDefinition): boolean {
  const layout = poisoningLayout(rules);
  const state = new ScanState(triggerIndex(layout.triggers, layout.reads));
  scanToolFields(def, buildView(def, {}), state);
  return state.anyWoken(layout.orders);
}

describe('data/poisoning.yaml', () => {
  it('has rules of every kind, each with cases', () => {
    expect(new Set(rules.map((r) => r.kind))).toEqual(new Set(Object.keys(POISONING_CODES)));
    for (const rule of rules) {
      expect(rule.fire.length, rule.id).toBeGreaterThan(0);
      expect(rule.pass.length, rule.id).toBeGreaterThan(0);
    }
  });

  for (const rule of rules) {
    describe(rule.id, () => {
      it.each(rule.fire)('fires on %j', (text) => {
        // Through the analyser, with the rule's own finding code, in at least one field it reads.
        const codes = poisoningFindings(fieldsFor(rule, text), 'tool', {}, [rule]).map((f) => f.code);
        expect(codes).toContain(POISONING_CODES[rule.kind]);
        // The per-tool path tries the pattern only on the sentences that woke the rule: the case's
        // match must lie in one of them (a pattern that needs two sentences would be missed there).
        expect(fastCodes(rule, text)).toContain(POISONING_CODES[rule.kind]);
      });
      it.each(rule.pass)('stays quiet on %j', (text) => {
        expect(poisoningFindings(fieldsFor(rule, text), 'tool', {}, [rule]).filter((f) => f.code === POISONING_CODES[rule.kind])).toEqual([]);
        expect(fastCodes(rule, text)).not.toContain(POISONING_CODES[rule.kind]);
      });
    });
  }

  it('rejects unknown keys, kinds, roles and rules without cases', () => {
    const base = { id: 'x', kind: 'overt', severity: 'error', pattern: 'x', triggers: ['x'], fire: ['x'], pass: ['y'] };
    const problems = (rule: object): string[] => {
      try {
        compilePoisoningRules({ version: 'poisoning@1', rules: [rule] });
        return [];
      } catch (error) {
        expect(error).toBeInstanceOf(DataFileError);
        return (error as DataFileError).problems;
      }
    };
    expect(problems(base)).toEqual([]);
    expect(problems({ ...base, colour: 'red' })).toEqual(['x: unknown key colour']);
    expect(problems({ ...base, kind: 'rude' })[0]).toMatch(/^x: kind must be one of/);
    expect(problems({ ...base, in: ['header'] })[0]).toMatch(/^x: in takes text, name, value/);
    expect(problems({ ...base, pass: [] })).toEqual(['x: needs fire and pass cases']);
    expect(problems({ ...base, pattern: '(' })[0]).toMatch(/^x: Invalid regular expression/);
    expect(problems({ ...base, triggers: [] })).toEqual(['x: needs triggers: 1 to 3 lists of words']);
    expect(problems({ ...base, triggers: ['Two words'] })).toEqual(['x: trigger "Two words" is not one lowercase word']);
    expect(problems({ ...base, triggers: [['a'], ['b'], ['c'], ['d']] })).toEqual(['x: needs triggers: 1 to 3 lists of words']);
    // YAML reads `1` and `false` as a number and a boolean: they must be quoted, not dropped.
    expect(problems({ ...base, triggers: [1, 'x'] })).toContain("x: every trigger must be a string (quote numbers: '1')");
    // Sets: one per kind of match, each written as a list or a list of lists.
    expect(problems({ ...base, triggers: [{ all: ['x'] }, { all: [['a'], ['b']] }] })).toEqual([]);
    expect(problems({ ...base, triggers: [{ any: ['x'] }] })).toContain('x: a trigger set is written {all: [...]}');
    expect(problems({ ...base, triggers: [{ all: [] }] })).toEqual(['x: needs triggers: 1 to 3 lists of words']);
    expect(problems({ ...base, triggers: Array.from({ length: 11 }, () => ({ all: ['x'] })) })).toEqual(['x: at most 10 trigger sets']);
    // More sets in all than the scan's masks hold is a data error, not a crash on the first tool.
    const many = Array.from({ length: 31 }, (_, i) => ({ ...base, id: `r${i}`, triggers: Array.from({ length: 10 }, () => ({ all: ['x'] })) }));
    expect(() => compilePoisoningRules({ version: 'poisoning@1', rules: many })).toThrow(/310 trigger sets in all: at most 303/);
  });

  it('wakes a rule on any one of its trigger sets, and not on words of two sets mixed', () => {
    const rule = compilePoisoningRules({
      version: 'poisoning@1',
      rules: [
        {
          id: 'two-kinds',
          kind: 'overt',
          severity: 'error',
          pattern: 'alpha beta|gamma delta',
          triggers: [{ all: [['alpha'], ['beta']] }, { all: [['gamma'], ['delta']] }],
          fire: ['alpha beta'],
          pass: ['alpha delta'],
        },
      ],
    }).rules;
    const codes = (description: string) => {
      const def: ToolDefinition = { name: 't', description, inputSchema: { type: 'object' } };
      return toolPoisoningFindings(def, buildView(def, {}), [], rule).map((f) => f.code);
    };
    expect(codes('The alpha beta.')).toEqual(['poisoning.overt']);
    expect(codes('The gamma delta.')).toEqual(['poisoning.overt']);
    // Each set is met apart: alpha with delta meets neither, so the rule is not woken at all (pooled
    // into one set of two lists, [alpha, gamma] and [beta, delta], it would be).
    const woken = (description: string): boolean => wakes(rule, { name: 't', description, inputSchema: { type: 'object' } });
    expect(woken('The alpha beta.')).toBe(true);
    expect(woken('The alpha delta.')).toBe(false);
  });

  it('wakes on non-Latin letters as the mark nonlatin, and ends a sentence at an ideographic full stop', () => {
    const rule = compilePoisoningRules({
      version: 'poisoning@1',
      rules: [
        { id: 'cjk', kind: 'overt', severity: 'error', pattern: '窃取.*alpha', triggers: [['nonlatin'], ['alpha']], fire: ['窃取 alpha'], pass: ['alpha'] },
      ],
    }).rules;
    const woken = (description: string): boolean => wakes(rule, { name: 't', description, inputSchema: { type: 'object' } });
    for (const letters of ['窃取', 'ユーザー', 'пароль', '사용자', 'λόγος', 'משתמש', 'المستخدم', 'उपयोगकर्ता', 'ผู้ใช้'])
      expect(woken(`${letters} alpha`)).toBe(true);
    // Latin letters with accents and emoji are not the mark.
    for (const letters of ['übergib', 'người', '🙂']) expect(woken(`${letters} alpha`)).toBe(false);
    // No space follows an ideographic full stop (or a fullwidth ! or ?), and it still ends the sentence.
    for (const stop of ['。', '！', '？']) expect(woken(`窃取${stop}alpha`)).toBe(false);
    expect(woken('窃取、alpha')).toBe(true);
  });

  it('limits a rule to the fields its `in` names', () => {
    const valueRule = rules.find((r) => r.id === 'secret-path-value')!;
    // The scan does not wake it on prose, only on a value.
    const woken = (def: ToolDefinition): boolean => wakes([valueRule], def);
    expect(woken({ name: 't', description: 'Reads ~/.aws/credentials', inputSchema: { type: 'object' } })).toBe(false);
    expect(woken({ name: 't', inputSchema: { type: 'object', properties: { p: { type: 'string', default: '~/.aws/credentials' } } } })).toBe(true);
    expect(poisoningFindings([{ path: 'description', text: '~/.aws/credentials', role: 'text' }], 't', {}, [valueRule])).toEqual([]);
    expect(poisoningFindings([{ path: 'p.default', text: '~/.aws/credentials', role: 'value' }], 't', {}, [valueRule])).toHaveLength(1);
  });
});
