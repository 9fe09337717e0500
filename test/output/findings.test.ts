// Finding messages: every seeded code renders a sentence; unknown codes and odd args fall back safely.
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/index.js';
import { MESSAGES, renderFinding } from '../../src/output/index.js';

const SEEDED = [
  'ingest.malformed-tool',
  'ingest.stdout-noise',
  'ingest.cursor-loop',
  'ingest.too-many-pages',
  'ingest.too-many-tools',
  'ingest.truncated',
  'ingest.duplicate-tool',
  'quality.empty-description',
  'quality.uninformative-description',
  'annotation.contradiction',
  'annotation.missing',
];

describe('renderFinding', () => {
  it('has a message for every seeded code', () => {
    for (const code of SEEDED) expect(Object.keys(MESSAGES)).toContain(code);
  });

  it.each(SEEDED)('%s renders a sentence with and without args', (code) => {
    const bare = renderFinding({ code, severity: 'warning', args: {} });
    expect(bare).toMatch(/\.$/);
    expect(bare).not.toContain('undefined');
    const full = renderFinding({
      code,
      severity: 'warning',
      tool: 'delete_repo',
      path: 'annotations.readOnlyHint',
      args: { hint: 'readOnlyHint', declared: true, suggested: false, lines: 3, limit: 100, count: 2, reason: 'no name', total: 150 },
    });
    expect(full).not.toContain('undefined');
    expect(full.length).toBeGreaterThan(10);
  });

  it('uses the args it is given', () => {
    expect(renderFinding({ code: 'annotation.contradiction', severity: 'warning', tool: 'delete_repo', args: { hint: 'readOnlyHint', declared: true } })).toContain(
      '"delete_repo" declares readOnlyHint: true',
    );
    expect(renderFinding({ code: 'ingest.stdout-noise', severity: 'info', args: { lines: 1 } })).toContain('wrote 1 line to stdout that is not');
  });

  it('falls back to `code (k=v, …)` for an unknown code', () => {
    const f: Finding = { code: 'future.thing', severity: 'info', tool: 't', path: 'p', args: { b: 2, a: 'x' } };
    expect(renderFinding(f)).toBe('future.thing (tool=t, a=x, b=2, path=p)');
    expect(renderFinding({ code: 'future.bare', severity: 'info', args: {} })).toBe('future.bare');
  });

  it('is defensive about missing or odd args', () => {
    const odd = { code: 'ingest.truncated', severity: 'info', args: null } as unknown as Finding;
    expect(renderFinding(odd)).not.toContain('undefined');
    const nested = { code: 'x.y', severity: 'info', args: { o: { deep: 1 } } } as unknown as Finding;
    expect(renderFinding(nested)).toBe('x.y (o={"deep":1})');
    // A code that happens to be an Object.prototype key is not a message.
    expect(renderFinding({ code: 'constructor', severity: 'info', args: {} })).toBe('constructor');
  });
});
