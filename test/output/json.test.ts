// The scan JSON: documented shape, fixed key order, sorted tools, and Unknown for unclassified tools.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderScanJson, toScanJson, viewFromSnapshot } from '../../src/output/index.js';
import type { ToolDefinition } from '../../src/model/index.js';
import { openStore } from '../../src/store/index.js';
import { finding, snapshot, tool, verdict } from '../store/make.js';

function sample() {
  const b = tool('b_write', 'Writes', { title: 'B', annotations: { readOnlyHint: false, title: 'ignored' } });
  const a = tool('a_read');
  const u = tool('c_unknown');
  const snap = snapshot('srv', [b, a, u], {
    findings: [finding('ingest.truncated', { args: { field: 'description', originalLength: 20000, keptLength: 16384 }, path: 'description', tool: 'a_read' })],
  });
  const vb = verdict(b, 'Write', 'Medium', {
    evidence: [{ hard: true, match: 'write', path: 'name', rule: 'verb.write', category: 'Write' }],
    findings: [finding('annotation.missing', { args: { readOnlyHint: false } })],
  });
  return { snap, classifications: [verdict(a, 'Read', 'Low'), vb] };
}

describe('toScanJson', () => {
  it('has the documented keys in a fixed order', () => {
    const { snap, classifications } = sample();
    const json = toScanJson(viewFromSnapshot(snap, classifications));
    expect(Object.keys(json)).toEqual(['schema', 'server', 'scan', 'summary', 'tools', 'findings']);
    expect(json.schema).toBe('mcp-risk/scan@1');
    expect(Object.keys(json.server)).toEqual(['name', 'source', 'serverInfo', 'protocolVersion', 'promptCount', 'resourceCount']);
    expect(Object.keys(json.scan)).toEqual(['status', 'startedAt', 'durationMs']);
    expect(Object.keys(json.summary)).toEqual(['tools', 'byCategory', 'byRisk', 'highestRisk', 'findings']);
    expect(Object.keys(json.tools[0]!)).toEqual([
      'name',
      'hash',
      'category',
      'risk',
      'score',
      'capabilities',
      'signals',
      'evidence',
      'rationale',
      'confidence',
      'method',
      'provenance',
      'findings',
      'annotations',
    ]);
    expect(Object.keys(json.tools[1]!)).toContain('title');
    expect(Object.keys(json.tools[1]!.evidence[0]!)).toEqual(['rule', 'path', 'match', 'category', 'hard']);
    expect(Object.keys(json.findings[0]!)).toEqual(['code', 'severity', 'tool', 'path', 'args']);
    // Sorted, whatever order the producer used.
    expect(Object.keys(json.findings[0]!.args)).toEqual(['field', 'keptLength', 'originalLength']);
  });

  it("sorts a server's annotation keys and keeps one named __proto__ as a key", () => {
    const annotations = JSON.parse('{"readOnlyHint":true,"__proto__":{"polluted":true},"destructiveHint":false}') as ToolDefinition['annotations'];
    const t = tool('odd', 'Reads', { annotations });
    const json = toScanJson(viewFromSnapshot(snapshot('srv', [t]), [verdict(t, 'Read', 'Low')]));
    const written = json.tools[0]!.annotations as Record<string, unknown>;
    expect(Object.keys(written)).toEqual(['__proto__', 'destructiveHint', 'readOnlyHint']);
    expect(Object.getPrototypeOf(written)).toBe(Object.prototype);
    expect(JSON.stringify(written)).toBe('{"__proto__":{"polluted":true},"destructiveHint":false,"readOnlyHint":true}');
  });

  it('sorts tools by name, summarises, and shows an unclassified tool as Unknown', () => {
    const { snap, classifications } = sample();
    const json = toScanJson(viewFromSnapshot(snap, classifications));
    expect(json.tools.map((t) => t.name)).toEqual(['a_read', 'b_write', 'c_unknown']);
    expect(json.tools[1]!.title).toBe('B');
    expect(json.tools[2]).toMatchObject({ category: 'Unknown', risk: 'Unknown', method: null, provenance: null, confidence: 0, rationale: 'Not classified.' });
    expect(json.summary).toEqual({
      tools: 3,
      byCategory: { Read: 1, Write: 1, Execute: 0, Destructive: 0, Financial: 0, Unknown: 1 },
      byRisk: { Critical: 0, High: 0, Medium: 1, Low: 1, Unknown: 1 },
      highestRisk: 'Medium',
      findings: 2,
    });
    expect(json.server).toEqual({
      name: 'srv',
      source: { kind: 'stdio', target: 'npx -y srv' },
      serverInfo: { name: 'srv-server', version: '1.2.3' },
      protocolVersion: '2025-06-18',
      promptCount: 2,
      resourceCount: 0,
    });
  });

  it('gives the same JSON for a stored scan, plus its id', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-json-'));
    const store = openStore(join(dir, 'db.sqlite'));
    try {
      const { snap, classifications } = sample();
      const id = store.recordScan(snap, classifications);
      const stored = toScanJson(store.scanResult(id));
      const fresh = toScanJson(viewFromSnapshot(snap, classifications));
      expect(Object.keys(stored.scan)).toEqual(['id', 'status', 'startedAt', 'durationMs']);
      expect({ ...stored, scan: { ...stored.scan, id: undefined } }).toEqual({ ...fresh, scan: { ...fresh.scan, id: undefined } });
      expect(JSON.stringify(stored)).toBe(JSON.stringify({ ...fresh, scan: { id, ...fresh.scan } }));
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps a failed scan with its error and no tools', () => {
    const json = toScanJson(viewFromSnapshot(snapshot('srv', [], { status: 'timeout', error: 'no reply', serverInfo: undefined, promptCount: undefined }), []));
    expect(json.scan).toEqual({ status: 'timeout', error: 'no reply', startedAt: '2026-01-01T00:00:00.000Z', durationMs: 1234 });
    expect(json.server.serverInfo).toBeNull();
    expect(json.server.promptCount).toBeNull();
    expect(json.summary.highestRisk).toBeNull();
  });

  it('renders pretty JSON with a trailing newline that parses back', () => {
    const { snap, classifications } = sample();
    const text = renderScanJson(viewFromSnapshot(snap, classifications));
    expect(text.endsWith('\n')).toBe(true);
    expect(JSON.parse(text)).toEqual(toScanJson(viewFromSnapshot(snap, classifications)));
  });
});
