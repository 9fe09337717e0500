// The server list and the one-tool detail view, read back from a real store.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderServerList, renderToolDetail, viewFromSnapshot, viewFromStored } from '../../src/output/index.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/index.js';
import { finding, snapshot, tool, verdict } from '../store/make.js';

let dir: string;
let store: Store;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mcp-risk-detail-'));
  store = openStore(join(dir, 'db.sqlite'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('renderServerList', () => {
  it('shows one row per server; a never-listed server is Unknown, not blank', () => {
    const r = tool('read');
    const d = tool('drop');
    store.recordScan(snapshot('db', [r, d]), [verdict(r, 'Read', 'Low'), verdict(d, 'Destructive', 'Critical')]);
    store.recordScan(snapshot('db', [], { status: 'timeout', error: 'x', startedAt: '2026-02-01T00:00:00.000Z' }), []);
    store.recordScan(snapshot('bad\x1b[2J', [], { status: 'failed', error: 'x' }), []);
    const out = renderServerList(store.listServers());
    expect(out).toMatch(/^SERVER\s+TOOLS\s+HIGHEST RISK\s+LAST SCAN\s+STATUS\s+SOURCE$/m);
    expect(out).toMatch(/^bad\\x1b\[2J\s+-\s+Unknown\s+\S+\s+failed\s+stdio: /m);
    expect(out).toMatch(/^db\s+2\s+Critical\s+2026-02-01T00:00:00.000Z\s+timeout \(last ok 2026-01-01T00:00:00.000Z\)/m);
    expect(out).not.toContain('\x1b');
  });

  it('says what to do when nothing is stored', () => {
    expect(renderServerList([])).toContain('mcp-risk scan');
  });
});

describe('renderToolDetail', () => {
  it('shows verdict, evidence, findings and history with the current version marked', () => {
    const v1 = tool('run_query', 'Run SQL');
    const v2 = tool('run_query', 'Run SQL\x1b]8;;http://evil\x07', { annotations: { readOnlyHint: true } });
    store.recordScan(snapshot('db', [v1]), [verdict(v1, 'Execute', 'High')]);
    const id = store.recordScan(snapshot('db', [v2], { startedAt: '2026-02-01T00:00:00.000Z' }), [
      verdict(v2, 'Execute', 'Critical', {
        evidence: [{ rule: 'param.sql', path: 'inputSchema.properties.sql', match: 'sql', category: 'Execute', hard: true }],
        findings: [
          finding('annotation.contradiction', {
            tool: 'run_query',
            args: { hint: 'readOnlyHint', declared: true, conflicting: 'Execute', evidencePath: 'inputSchema.properties.sql', evidence: 'sql' },
          }),
        ],
      }),
    ]);
    const view = viewFromStored(store.scanResult(id));
    const out = renderToolDetail(view.tools[0]!, store.toolHistory('db', 'run_query'));
    expect(out).toContain('Category: Execute   Risk: Critical');
    expect(out).toContain('param.sql at inputSchema.properties.sql: "sql" (→ Execute, hard)');
    expect(out).toContain('Annotations: readOnlyHint=true');
    expect(out).toContain('annotation.contradiction: "run_query" declares readOnlyHint: true');
    expect(out).toContain('History (2 versions):');
    expect(out).toMatch(new RegExp(`${v2.hash.slice(0, 12)}.*Critical  \\[current\\]`));
    expect(out).toMatch(new RegExp(`${v1.hash.slice(0, 12)}.*first seen 2026-01-01T00:00:00.000Z.*High$`, 'm'));
    expect(out).not.toContain('\x1b');
  });

  it('shows an unclassified tool as Unknown', () => {
    const t = tool('mystery', '');
    const out = renderToolDetail(viewFromSnapshot(snapshot('s', [t]), []).tools[0]!);
    expect(out).toContain('Category: Unknown   Risk: Unknown   (not classified)');
    expect(out).toContain('Description: (none)');
  });
});
