// Drift through the real pipeline (manifest -> rules -> SQLite -> diff) and the terminal and JSON reports.
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { classifySnapshot } from '../../src/classify/index.js';
import { diffScans } from '../../src/history/index.js';
import type { ScanDiff } from '../../src/history/index.js';
import { loadManifest } from '../../src/ingest/index.js';
import type { ServerSnapshot } from '../../src/model/index.js';
import { DIFF_JSON_SCHEMA, renderDiff, renderDiffJson, toDiffJson } from '../../src/output/diff.js';
import { renderFinding } from '../../src/output/findings.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/index.js';
import { def, scan, stored } from './make.js';

const stores: Store[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

async function fixture(name: string): Promise<ServerSnapshot> {
  const content = await loadManifest(fileURLToPath(new URL(`../fixtures/drift/${name}.json`, import.meta.url)));
  if (content.kind !== 'snapshot') throw new Error(`expected a tool list in ${name}.json`);
  return content.snapshot;
}

/** Both fixtures classified by the rules, stored, read back and diffed. */
async function driftDiff(): Promise<ScanDiff> {
  const store = openStore(':memory:');
  stores.push(store);
  const before = await fixture('before');
  const after = await fixture('after');
  const first = store.recordScan(before, classifySnapshot(before));
  const second = store.recordScan(after, classifySnapshot(after));
  return diffScans(store.scanResult(first), store.scanResult(second));
}

describe('drift through the real pipeline', () => {
  it('finds the tool whose description now deletes, the new command parameter, the flipped hint, the removed and added tools', async () => {
    const d = await driftDiff();
    expect(d.server).toBe('notes');
    expect(d.comparable).toBe(true);
    expect(d.tools.map((t) => [t.name, t.status])).toEqual([
      ['archive_note', 'changed'],
      ['get_note', 'changed'],
      ['list_notes', 'unchanged'],
      ['purge_notes', 'added'],
      ['render_report', 'changed'],
      ['search_notes', 'removed'],
    ]);

    const archive = d.tools.find((t) => t.name === 'archive_note');
    expect(archive).toMatchObject({ riskBefore: 'Medium', riskAfter: 'Critical', categoryAfter: 'Destructive', drift: true });
    expect(archive?.changes.map((c) => c.kind)).toEqual(['description', 'verdict']);

    const report = d.tools.find((t) => t.name === 'render_report');
    expect(report?.changes[0]).toEqual({ kind: 'parameter-added', name: 'command', type: 'string', required: true });
    expect(report?.drift).toBe(true);

    const getNote = d.tools.find((t) => t.name === 'get_note');
    expect(getNote?.changes).toEqual([{ kind: 'annotation', hint: 'readOnlyHint', before: true, after: false }]);

    const drift = d.findings.filter((f) => f.code === 'history.drift');
    expect(drift.map((f) => f.tool)).toEqual(['archive_note', 'render_report']);
    expect(drift[0]).toMatchObject({
      severity: 'warning',
      args: { riskBefore: 'Medium', riskAfter: 'Critical', categoryBefore: 'Write', categoryAfter: 'Destructive' },
    });
    expect(d.findings.filter((f) => f.code === 'history.new-risky-tool').map((f) => f.tool)).toEqual(['purge_notes']);
  });

  it('renders the changes in words a person can act on, without colour when asked', async () => {
    const text = renderDiff(await driftDiff(), { color: false });
    expect(text).not.toContain('\x1b');
    expect(text).toMatch(/^notes: scan #1 \(.+\) -> scan #2 \(.+\)$/m);
    expect(text).toContain('1 added, 1 removed, 3 changed (2 with higher risk), 1 unchanged.');
    expect(text).toContain('  archive_note  Medium -> Critical  DRIFT');
    expect(text).toContain('    - description now mentions deleting');
    expect(text).toContain('    - new parameter `command` (string, required)');
    expect(text).toContain('    - `readOnlyHint` changed from true to false');
    expect(text).toContain('    - risk Medium -> Critical');
    expect(text).toContain('  + purge_notes  Critical (Destructive)');
    expect(text).toContain('  - search_notes  (was Low, Read)');
    expect(text).toMatch(/warning {2}"archive_note" changed its definition and its risk rose from Medium to Critical/);
    expect(text).not.toContain('list_notes');
    expect(renderDiff(await driftDiff(), { showUnchanged: true })).toContain('Unchanged:\n  list_notes');
  });

  it('colours risks and DRIFT only when asked', async () => {
    const text = renderDiff(await driftDiff(), { color: true });
    expect(text).toContain('\x1b[1;31mCritical\x1b[0m');
    expect(text).toContain('\x1b[1mDRIFT\x1b[0m');
  });

  it('has a stable JSON shape', async () => {
    const json = toDiffJson(await driftDiff());
    expect(Object.keys(json)).toEqual(['schema', 'server', 'from', 'to', 'comparable', 'counts', 'tools', 'findings']);
    expect(json.schema).toBe(DIFF_JSON_SCHEMA);
    expect(Object.keys(json.from ?? {})).toEqual(['scanId', 'startedAt', 'status']);
    expect(Object.keys(json.counts)).toEqual(['added', 'removed', 'changed', 'unchanged', 'drift']);
    for (const t of json.tools) {
      expect(Object.keys(t)).toEqual([
        'name',
        'status',
        'beforeHash',
        'afterHash',
        'categoryBefore',
        'riskBefore',
        'categoryAfter',
        'riskAfter',
        'drift',
        'changes',
      ]);
      for (const c of t.changes) {
        expect(Object.keys(c)[0]).toBe('kind');
        expect(typeof c.summary).toBe('string');
      }
    }
    const added = json.tools.find((t) => t.status === 'added');
    expect(added).toMatchObject({ beforeHash: null, riskBefore: null, categoryBefore: null, riskAfter: 'Critical' });
    expect(json.findings.every((f) => Object.keys(f).slice(0, 2).join() === 'code,severity')).toBe(true);
    const drift = json.findings.find((f) => f.code === 'history.drift');
    expect(Object.keys(drift?.args ?? {})).toEqual(['categoryAfter', 'categoryBefore', 'changes', 'riskAfter', 'riskBefore']);
    const text = renderDiffJson(await driftDiff());
    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text)).toMatchObject({ schema: 'mcp-risk/diff@1', counts: { drift: 2 } });
  });
});

describe('renderDiff', () => {
  it('neutralises hostile server text', () => {
    const evil = 'evil\x1b[2J\u202ename';
    const before = scan(1, [stored(def(evil, { description: 'Returns notes.' }), ['Read', 'Low'])]);
    const after = scan(2, [
      stored(def(evil, { description: 'Deletes notes.', inputSchema: { type: 'object', properties: { 'cmd\x1b]0;x\x07': { type: 'string' } } } }), [
        'Destructive',
        'Critical',
      ]),
    ]);
    const text = renderDiff(diffScans(before, after));
    expect(text).not.toMatch(/[\x1b\x07\u202e]/);
    expect(text).toContain('evil\\x1b[2J\\u202ename');
    expect(text).toContain('new parameter `cmd\\x1b]0;x\\x07`');
  });

  it('says there is nothing to compare on a first scan or when a scan did not list', () => {
    const tools = [stored(def('a'), ['Read', 'Low'])];
    expect(renderDiff(diffScans(null, scan(1, tools)))).toBe(
      'notes: scan #1 (2026-01-01T00:00:00.000Z) is the first scan; nothing to compare.\n1 tool, all new.',
    );
    const failed = renderDiff(diffScans(scan(1, tools), scan(2, [], 'timeout')));
    expect(failed).toContain('Scan #2 did not list tools (status timeout); nothing to compare.');
    const same = renderDiff(diffScans(scan(1, tools), scan(2, tools)));
    expect(same).toContain('No tool definitions changed.');
  });
});

describe('history finding messages', () => {
  it('has its own wording for each code, not the generic fallback', () => {
    const drift = renderFinding({
      code: 'history.drift',
      severity: 'warning',
      tool: 'archive_note',
      args: {
        riskBefore: 'Medium',
        riskAfter: 'Critical',
        categoryBefore: 'Write',
        categoryAfter: 'Destructive',
        changes: 'description now mentions deleting',
      },
    });
    expect(drift).toBe(
      '"archive_note" changed its definition and its risk rose from Medium to Critical (Write -> Destructive): description now mentions deleting. Review it before trusting it again.',
    );
    const unknown = renderFinding({
      code: 'history.risk-unknown',
      severity: 'info',
      tool: 't',
      args: { riskBefore: 'Low', categoryBefore: 'Read', changes: 'description removed' },
    });
    expect(unknown).toContain('can no longer be classified (it was Low)');
    const added = renderFinding({ code: 'history.new-risky-tool', severity: 'info', tool: 'purge_notes', args: { risk: 'Critical', category: 'Destructive' } });
    expect(added).toBe('New tool "purge_notes" appeared with Critical risk (Destructive) since the previous scan.');
  });
});
