// Validation of what a model sends back: entry by entry, never a silent default.
import { describe, expect, it } from 'vitest';
import { loadTaxonomy } from '../../src/classify/index.js';
import { parseReply, replySchema } from '../../src/llm/index.js';

const caps = new Set(loadTaxonomy().capabilities.keys());
const entry = (id: string, over: Record<string, unknown> = {}) => ({
  id,
  category: 'Read',
  risk: 'Low',
  capabilities: [],
  signals: ['Reads'],
  rationale: 'Reads.',
  confidence: 0.9,
  ...over,
});

describe('parseReply', () => {
  it('accepts a good reply, also wrapped in a code fence with chatter around it', () => {
    const text = 'Here you go:\n```json\n' + JSON.stringify({ tools: [entry('t1'), entry('t2', { category: 'Write', risk: 'Medium' })] }) + '\n```';
    const r = parseReply(text, ['t1', 't2'], caps);
    expect(r.problems.size).toBe(0);
    expect(r.verdicts.get('t2')).toMatchObject({ category: 'Write', risk: 'Medium' });
  });

  it('marks every tool when the reply is not JSON or has no tools list', () => {
    expect([...parseReply('{oops', ['t1', 't2'], caps).problems.values()]).toEqual([
      expect.stringMatching(/not valid JSON/),
      expect.stringMatching(/not valid JSON/),
    ]);
    expect(parseReply('{"result": []}', ['t1'], caps).problems.get('t1')).toMatch(/no "tools" list/);
    expect(parseReply('', ['t1'], caps).problems.get('t1')).toMatch(/no JSON object/);
  });

  it('judges entries one by one: a bad entry costs one tool; unknown and repeated ids are ignored', () => {
    const r = parseReply(
      JSON.stringify({ tools: [entry('t1', { category: 'Harmless' }), entry('t2'), entry('t2', { category: 'Write', risk: 'Medium' }), entry('t99')] }),
      ['t1', 't2', 't3'],
      caps,
    );
    expect(r.problems.get('t1')).toMatch(/invalid category/);
    expect(r.verdicts.get('t2')).toMatchObject({ category: 'Read' });
    expect(r.problems.get('t3')).toBe('missing from the reply');
    expect(r.verdicts.has('t99')).toBe(false);
  });

  it('keeps a manipulation verdict with a known kind and a quote, and reads none, a bad kind or none given as no verdict', () => {
    const r = parseReply(
      JSON.stringify({
        tools: [
          entry('t1', { manipulation: { kind: 'exfiltration', quote: 'copy every invoice to\u001b[31m audit@x.example' } }),
          entry('t2', { manipulation: { kind: 'none', quote: '' } }),
          entry('t3', { manipulation: { kind: 'mind-control', quote: 'obey' } }),
          entry('t4'),
          entry('t5', { manipulation: { kind: 'overt', quote: 'q'.repeat(1000) } }),
        ],
      }),
      ['t1', 't2', 't3', 't4', 't5'],
      caps,
    );
    expect(r.problems.size).toBe(0);
    expect(r.verdicts.get('t1')!.manipulation).toMatchObject({ kind: 'exfiltration', quote: expect.stringContaining('audit@x.example') });
    expect(r.verdicts.get('t1')!.manipulation!.quote).not.toContain('\u001b');
    for (const id of ['t2', 't3', 't4']) expect(r.verdicts.get(id)!.manipulation).toBeUndefined();
    expect(r.verdicts.get('t5')!.manipulation!.quote.length).toBeLessThanOrEqual(240);
  });

  it('asks classify-tools@1 for no manipulation verdict, and classify-tools@2 for one', () => {
    const required = (v: number) => (replySchema(v) as { properties: { tools: { items: { required: string[] } } } }).properties.tools.items.required;
    expect(required(1)).not.toContain('manipulation');
    expect(required(2)).toContain('manipulation');
    expect(required(1)).toEqual(required(2).filter((k) => k !== 'manipulation'));
  });

  it('refuses a known category with an Unknown risk, and a missing confidence', () => {
    const r = parseReply(JSON.stringify({ tools: [entry('t1', { risk: 'Unknown' }), entry('t2', { confidence: 'high' })] }), ['t1', 't2'], caps);
    expect(r.problems.get('t1')).toMatch(/with risk Unknown/);
    expect(r.problems.get('t2')).toMatch(/confidence/);
  });

  it('cleans what it keeps: unknown capabilities dropped, control characters gone, lengths bounded, confidence clamped', () => {
    const r = parseReply(
      JSON.stringify({
        tools: [
          entry('t1', {
            capabilities: ['filesystem', 'made-up'],
            signals: ['\u001b[31mred\u001b[0m', 'x'.repeat(500), 'a', 'b'],
            rationale: 'y'.repeat(5000),
            confidence: 7,
          }),
        ],
      }),
      ['t1'],
      caps,
    );
    const v = r.verdicts.get('t1')!;
    expect(v.capabilities).toEqual(['filesystem']);
    expect(v.signals).toHaveLength(3);
    expect(v.signals[0]).not.toContain('\u001b');
    expect(v.signals[1]!.length).toBeLessThanOrEqual(80);
    expect(v.rationale.length).toBeLessThanOrEqual(600);
    expect(v.confidence).toBe(1);
  });
});
