// diffScans on hand-built stored scans: matching by name, drift, the Unknown cases and scans that did not list.
import { describe, expect, it } from 'vitest';
import { diffScans, MAX_SUMMARY, riskRose } from '../../src/history/index.js';
import type { ToolDiff } from '../../src/history/index.js';
import { def, scan, stored } from './make.js';

function tool(diff: { tools: ToolDiff[] }, name: string): ToolDiff {
  const t = diff.tools.find((x) => x.name === name);
  if (!t) throw new Error(`no tool ${name} in the diff`);
  return t;
}

describe('diffScans', () => {
  it('matches tools by name and sorts them; same hash is unchanged', () => {
    const keep = stored(def('list_notes'), ['Read', 'Low']);
    const before = scan(1, [stored(def('zeta'), ['Read', 'Low']), keep, stored(def('gone'), ['Write', 'Medium'])]);
    const after = scan(2, [keep, stored(def('zeta', { description: 'Returns zeta.' }), ['Read', 'Low']), stored(def('new_one'), ['Read', 'Low'])]);
    const d = diffScans(before, after);
    expect(d.tools.map((t) => [t.name, t.status])).toEqual([
      ['gone', 'removed'],
      ['list_notes', 'unchanged'],
      ['new_one', 'added'],
      ['zeta', 'changed'],
    ]);
    expect(d.counts).toEqual({ added: 1, removed: 1, changed: 1, unchanged: 1, drift: 0 });
    expect(d.from).toEqual({ scanId: 1, startedAt: '2026-01-01T00:00:00.000Z', status: 'ok' });
    expect(d.to.scanId).toBe(2);
    expect(tool(d, 'list_notes').changes).toEqual([]);
    expect(tool(d, 'gone')).toMatchObject({ riskBefore: 'Medium', categoryBefore: 'Write', drift: false });
    expect(tool(d, 'gone').riskAfter).toBeUndefined();
    expect(d.findings).toEqual([]);
  });

  it('flags a changed definition whose risk rose as drift, with a bounded summary of what changed', () => {
    const before = scan(1, [stored(def('archive_note', { description: 'Archives a note.' }), ['Write', 'Medium'])]);
    const after = scan(2, [stored(def('archive_note', { description: 'Permanently deletes a note.' }), ['Destructive', 'Critical'])]);
    const d = diffScans(before, after);
    const t = tool(d, 'archive_note');
    expect(t.drift).toBe(true);
    expect(t.changes.map((c) => c.kind)).toEqual(['description', 'verdict']);
    expect(d.counts.drift).toBe(1);
    expect(d.findings).toEqual([
      {
        code: 'history.drift',
        severity: 'warning',
        tool: 'archive_note',
        args: {
          riskBefore: 'Medium',
          riskAfter: 'Critical',
          categoryBefore: 'Write',
          categoryAfter: 'Destructive',
          changes: expect.stringContaining('description now mentions deleting') as unknown as string,
        },
      },
    ]);
    expect(String((d.findings[0]?.args as Record<string, unknown>).changes)).not.toContain('risk ');
  });

  it('bounds the summary a drift finding carries', () => {
    const properties = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`parameter_with_a_long_name_${i}`, { type: 'string' }]));
    const before = scan(1, [stored(def('t'), ['Read', 'Low'])]);
    const after = scan(2, [stored(def('t', { inputSchema: { type: 'object', properties } }), ['Execute', 'High'])]);
    const summary = String((diffScans(before, after).findings[0]?.args as Record<string, unknown>).changes);
    expect([...summary].length).toBeLessThanOrEqual(MAX_SUMMARY);
    expect(summary.endsWith('…')).toBe(true);
  });

  it('does not flag a change whose risk stayed or fell', () => {
    const before = scan(1, [stored(def('a'), ['Write', 'Medium']), stored(def('b'), ['Execute', 'High'])]);
    const after = scan(2, [stored(def('a', { title: 'A' }), ['Write', 'Medium']), stored(def('b', { title: 'B' }), ['Write', 'Medium'])]);
    const d = diffScans(before, after);
    expect(d.tools.every((t) => t.status === 'changed' && !t.drift)).toBe(true);
    expect(tool(d, 'a').changes.map((c) => c.kind)).toEqual(['title']);
    expect(tool(d, 'b').changes.map((c) => c.kind)).toEqual(['title', 'verdict']);
    expect(d.findings).toEqual([]);
  });

  it('reports a known risk turning Unknown for review, not as drift', () => {
    const before = scan(1, [stored(def('t', { description: 'Returns notes.' }), ['Read', 'Low'])]);
    const after = scan(2, [stored(def('t', { description: '' }), ['Unknown', 'Unknown'])]);
    const d = diffScans(before, after);
    expect(tool(d, 't').drift).toBe(false);
    expect(d.findings.map((f) => [f.code, f.severity, (f.args as Record<string, unknown>).riskBefore])).toEqual([['history.risk-unknown', 'info', 'Low']]);
  });

  it('counts a move from Unknown as drift only up to High or Critical', () => {
    const before = scan(1, [stored(def('x'), ['Unknown', 'Unknown']), stored(def('y'))]);
    const after = scan(2, [stored(def('x', { title: 'X' }), ['Write', 'Medium']), stored(def('y', { title: 'Y' }), ['Destructive', 'Critical'])]);
    const d = diffScans(before, after);
    expect(tool(d, 'x').drift).toBe(false);
    // An unclassified stored tool reads as Unknown.
    expect(tool(d, 'y')).toMatchObject({ riskBefore: 'Unknown', riskAfter: 'Critical', drift: true });
    expect(d.findings.map((f) => [f.code, f.tool])).toEqual([['history.drift', 'y']]);
  });

  it('shows a new verdict for an unchanged definition without calling it drift', () => {
    const t = def('t');
    const d = diffScans(scan(1, [stored(t, ['Read', 'Low'])]), scan(2, [stored(t, ['Write', 'Medium'])]));
    expect(tool(d, 't')).toMatchObject({ status: 'unchanged', drift: false });
    expect(tool(d, 't').changes).toEqual([{ kind: 'verdict', before: { category: 'Read', risk: 'Low' }, after: { category: 'Write', risk: 'Medium' } }]);
    expect(d.counts.unchanged).toBe(1);
    expect(d.findings).toEqual([]);
  });

  it('explains a changed hash even when the pinned fields compare equal', () => {
    const t = def('t');
    const d = diffScans(scan(1, [stored(t, ['Read', 'Low'], 'a'.repeat(64))]), scan(2, [stored(t, ['Read', 'Low'], 'b'.repeat(64))]));
    expect(tool(d, 't')).toMatchObject({ status: 'changed', changes: [{ kind: 'schema-other', path: '(definition)' }] });
  });

  it('reports a new High or Critical tool on a server already seen, and nothing on a first scan', () => {
    const tools = [
      stored(def('purge_notes'), ['Destructive', 'Critical']),
      stored(def('run_job'), ['Execute', 'High']),
      stored(def('add_note'), ['Write', 'Medium']),
    ];
    const d = diffScans(scan(1, []), scan(2, tools));
    expect(d.findings.map((f) => [f.code, f.severity, f.tool, (f.args as Record<string, unknown>).risk])).toEqual([
      ['history.new-risky-tool', 'info', 'purge_notes', 'Critical'],
      ['history.new-risky-tool', 'info', 'run_job', 'High'],
    ]);
    const first = diffScans(null, scan(1, tools));
    expect(first.from).toBeNull();
    expect(first.counts.added).toBe(3);
    expect(first.findings).toEqual([]);
  });

  it('does not compare when a scan did not list tools, so a timeout is not "every tool removed"', () => {
    const before = scan(1, [stored(def('a'), ['Read', 'Low'])]);
    const d = diffScans(before, scan(2, [], 'timeout'));
    expect(d.comparable).toBe(false);
    expect(d.tools).toEqual([]);
    expect(d.findings).toEqual([]);
    expect(diffScans(scan(1, [], 'failed'), before).comparable).toBe(false);
    expect(diffScans(scan(1, [], 'no-tools'), before).comparable).toBe(true);
  });
});

describe('riskRose', () => {
  it('compares known risks by rank and treats Unknown explicitly', () => {
    expect(riskRose('Low', 'Medium')).toBe(true);
    expect(riskRose('High', 'High')).toBe(false);
    expect(riskRose('Critical', 'Low')).toBe(false);
    expect(riskRose('Low', 'Unknown')).toBe(false);
    expect(riskRose('Unknown', 'Medium')).toBe(false);
    expect(riskRose('Unknown', 'High')).toBe(true);
  });
});
