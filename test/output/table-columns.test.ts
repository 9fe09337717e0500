// The table's columns: capabilities abbreviated with a legend, low confidence marked, columns aligned by
// display width (wide characters and emoji take two), and what the server sent wrong listed under it.
import { describe, expect, it } from 'vitest';
import { renderScanTable, viewFromSnapshot } from '../../src/output/index.js';
import { textWidth } from '../../src/output/terminal.js';
import { finding, snapshot, tool, verdict } from '../store/make.js';

describe('table columns', () => {
  it('abbreviates capabilities, explains them, and marks a verdict of low confidence', () => {
    const send = tool('send_email');
    const guess = tool('do_thing');
    const snap = snapshot('mail', [send, guess]);
    const out = renderScanTable(
      viewFromSnapshot(snap, [
        verdict(send, 'Write', 'Medium', { capabilities: ['external-communication', 'network-egress'], confidence: 0.9 }),
        verdict(guess, 'Write', 'Medium', { confidence: 0.3 }),
      ]),
    );
    expect(out).toMatch(/^send_email\s+Write\s+Medium\s+comm,net\s/m);
    expect(out).toMatch(/^do_thing\s+Write\s+Medium\?/m);
    expect(out).toContain('CAPS: comm=external-communication net=network-egress');
    expect(out).toContain('? = low confidence (below 0.6)');
  });

  it('aligns columns by display width', () => {
    expect(textWidth('abc')).toBe(3);
    expect(textWidth('日本語')).toBe(6);
    expect(textWidth('🔥x')).toBe(3);
    expect(textWidth('e\u0301')).toBe(1);
    const wide = tool('検索_ツール');
    const plain = tool('search_tool');
    const out = renderScanTable(viewFromSnapshot(snapshot('s', [wide, plain]), [verdict(wide, 'Read', 'Low'), verdict(plain, 'Read', 'Low')]));
    const rows = out.split('\n').filter((l) => /Read\s+Low/.test(l));
    const categoryColumn = rows.map((r) => textWidth(r.slice(0, r.indexOf('Read'))));
    expect(new Set(categoryColumn).size).toBe(1);
  });

  it('lists the tools the server sent malformed under the table, with the reason', () => {
    const ok = tool('get_item');
    const snap = snapshot('s', [ok], {
      findings: [
        finding('ingest.malformed-tool', {
          severity: 'error',
          tool: 'broken_tool',
          path: 'tools[1]',
          args: { index: 1, reason: 'inputSchema is a string, not an object', name: 'broken_tool' },
        }),
      ],
    });
    const out = renderScanTable(viewFromSnapshot(snap, [verdict(ok, 'Read', 'Low')]));
    expect(out).toMatch(/^Findings:$/m);
    expect(out).toMatch(/^ {2}error {3}broken_tool ingest\.malformed-tool: Tool "broken_tool" was skipped because its definition is malformed/m);
  });
});
