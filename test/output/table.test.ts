// The terminal table: risk order, Unknown shown as Unknown, failed scans never look clean, hostile text.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderScanTable, viewFromSnapshot } from '../../src/output/index.js';
import { openStore } from '../../src/store/index.js';
import { finding, snapshot, tool, verdict } from '../store/make.js';

const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function sample() {
  const read = tool('read_file');
  const del = tool('delete_file');
  const run = tool('run_command');
  const mystery = tool('mystery');
  const abort = tool('abort_job');
  const snap = snapshot('fs', [read, del, run, mystery, abort], {
    findings: [finding('ingest.stdout-noise', { args: { count: 2, oversized: 0, sample: 'hello' } })],
  });
  const classifications = [
    verdict(read, 'Read', 'Low'),
    verdict(del, 'Destructive', 'Critical', { signals: ['Deletes files permanently'], findings: [finding('annotation.missing', { tool: 'delete_file' })] }),
    verdict(run, 'Execute', 'High', { signals: [] }),
    verdict(abort, 'Destructive', 'Critical', { signals: ['Aborts in-progress task execution'] }),
  ];
  return { snap, classifications };
}

describe('renderScanTable', () => {
  it('renders header, tools sorted by risk then name, and a footer', () => {
    const { snap, classifications } = sample();
    const out = renderScanTable(viewFromSnapshot(snap, classifications));
    const lines = out.split('\n');
    expect(lines[0]).toBe('fs 1.2.3 (fs-server) · ok · 5 tools · scanned 2026-01-01T00:00:00.000Z in 1.2 s');
    const rows = lines.filter((l) => /^(read_file|delete_file|run_command|mystery|abort_job)\b/.test(l));
    expect(rows.map((l) => l.split(/\s+/)[0])).toEqual(['abort_job', 'delete_file', 'run_command', 'mystery', 'read_file']);
    expect(out).toMatch(/^TOOL\s+CATEGORY\s+RISK\s+CAPS\s+MAIN SIGNAL$/m);
    expect(out).toMatch(/^abort_job\s+Destructive\s+Critical\s+Aborts in-progress task execution$/m);
    expect(out).toMatch(/^mystery\s+Unknown\s+Unknown\s+Not classified$/m);
    expect(out).toContain('Categories: Read 1 · Execute 1 · Destructive 2 · Unknown 1');
    expect(out).toContain('Risk: Critical 2 · High 1 · Low 1 · Unknown 1');
    expect(out).toMatch(/^2 findings$/m);
    expect(out.endsWith('\n')).toBe(false);
    expect(out).not.toContain('\x1b');
  });

  it('renders a stored scan the same as the fresh one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-table-'));
    const store = openStore(join(dir, 'db.sqlite'));
    try {
      const { snap, classifications } = sample();
      const id = store.recordScan(snap, classifications);
      const stored = renderScanTable(store.scanResult(id));
      const fresh = renderScanTable(viewFromSnapshot(snap, classifications));
      expect(stored).toBe(fresh.replace(' in 1.2 s', ` in 1.2 s #${id}`));
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['failed', 'Scan failed: exited with code 1'],
    ['timeout', 'Scan timed out: exited with code 1'],
    ['auth-required', 'The server requires authentication: exited with code 1'],
  ] as const)('a %s scan shows its status and error, no table, and no all-clear', (status, line) => {
    const out = renderScanTable(viewFromSnapshot(snapshot('srv', [], { status, error: 'exited with code 1' }), []));
    expect(out).toContain(`· ${status} ·`);
    expect(out).toContain(line);
    expect(out).toContain('Unknown');
    expect(out).not.toMatch(/TOOL\s+CATEGORY/);
    expect(out).not.toMatch(/no risky|all clear|safe/i);
  });

  it('says so when the server listed no tools', () => {
    const out = renderScanTable(viewFromSnapshot(snapshot('srv', [], { status: 'no-tools' }), []));
    expect(out).toContain('The server listed no tools.');
    expect(out).toContain('0 findings');
  });

  it('passes every piece of server text through safeText', () => {
    const evil = tool('evil\x1b[2J\u202etool', 'x', {});
    const snap = snapshot('srv\x1b]8;;http://evil\x07', [evil], {
      serverInfo: { name: 'n\x9b', version: '1\r\n2' },
      status: 'ok',
    });
    const out = renderScanTable(viewFromSnapshot(snap, [verdict(evil, 'Write', 'Medium', { signals: ['sig\x07nal\nnext'] })]), { showFindings: true });
    expect(out).not.toMatch(CONTROL);
    expect(out).toContain('evil\\x1b[2J\\u202etool');
    expect(out).toContain('sig\\x07nal next');
  });

  it('colours risk only when asked', () => {
    const { snap, classifications } = sample();
    const out = renderScanTable(viewFromSnapshot(snap, classifications), { color: true });
    expect(out).toContain('\x1b[1;31mCritical');
    expect(out).toContain('\x1b[35mUnknown');
  });

  it('lists findings with their rendered message on request', () => {
    const { snap, classifications } = sample();
    const out = renderScanTable(viewFromSnapshot(snap, classifications), { showFindings: true });
    expect(out).toContain('ingest.stdout-noise: The server wrote 2 lines');
    expect(out).toContain('annotation.missing: "delete_file" does not declare');
  });
});
