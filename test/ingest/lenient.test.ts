// validateTools: each bad tool becomes a finding while the good ones are kept.
import { describe, expect, it } from 'vitest';
import { validateTools } from '../../src/ingest/index.js';

describe('validateTools', () => {
  it('keeps a well-formed tool as listed, minus unknown fields', () => {
    const raw = { name: 'echo', title: 'Echo', description: 'Echoes', inputSchema: { type: 'object' }, annotations: { readOnlyHint: true }, execution: {} };
    const { tools, findings } = validateTools([raw]);
    expect(findings).toEqual([]);
    expect(tools).toEqual([{ name: 'echo', title: 'Echo', description: 'Echoes', inputSchema: { type: 'object' }, annotations: { readOnlyHint: true } }]);
  });

  it('rejects each kind of malformed tool with a reason', () => {
    const { tools, findings } = validateTools([
      null,
      { name: '' },
      { name: 'a', inputSchema: [] },
      { name: 'b', inputSchema: {}, description: 5 },
      { name: 'c', inputSchema: {}, annotations: 'yes' },
    ]);
    expect(tools).toEqual([]);
    expect(findings.map((f) => [f.code, (f.args as Record<string, unknown>).index])).toEqual([
      ['ingest.malformed-tool', 0],
      ['ingest.malformed-tool', 1],
      ['ingest.malformed-tool', 2],
      ['ingest.malformed-tool', 3],
      ['ingest.malformed-tool', 4],
    ]);
    expect(findings[3]?.tool).toBe('b');
  });

  it('keeps a tool without inputSchema but says so', () => {
    const { tools, findings } = validateTools([{ name: 'bare' }]);
    expect(tools[0]?.inputSchema).toEqual({ type: 'object' });
    expect(findings.map((f) => f.code)).toEqual(['ingest.missing-input-schema']);
  });

  it('drops non-boolean hints and keeps every definition of a duplicate name, with a finding', () => {
    const { tools, findings } = validateTools([
      { name: 'x', inputSchema: {}, annotations: { readOnlyHint: 'true', destructiveHint: false } },
      { name: 'x', inputSchema: {}, description: 'second' },
    ]);
    expect(tools.map((t) => t.description)).toEqual([undefined, 'second']);
    expect(tools[0]?.annotations).toEqual({ destructiveHint: false });
    expect(findings.map((f) => f.code)).toEqual(['ingest.invalid-annotation', 'ingest.duplicate-tool']);
  });
});
