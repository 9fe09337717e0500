// Migration 6: definitions and verdicts packed, scans listing definitions by integer id, the copied
// verdict findings and two unused indexes gone. What was stored reads back the same.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrations, openStore } from '../../src/store/index.js';
import { recordLegacyScan } from './legacy.js';
import { finding, snapshot, tool, verdict } from './make.js';

describe('migrating to packed tool storage', () => {
  it('keeps every scan, definition, verdict, finding and history, and drops the copies', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'mcp-risk-packed-')), 'old.db');
    openStore(path, { migrations: migrations.slice(0, 5) }).close();
    const write1 = tool('write_file', 'Write a file', { annotations: { destructiveHint: false } });
    const write2 = tool('write_file', 'Write or overwrite a file');
    const read = tool('read_file', 'Read a file. Ünïcödé and "quotes" survive.');
    const bare = tool('mystery', '');
    const v1 = verdict(write1, 'Write', 'Medium', { findings: [finding('annotation.missing', { tool: 'write_file', args: { readOnlyHint: false } })] });
    const v2 = verdict(write2, 'Destructive', 'Critical');
    const vr = verdict(read, 'Read', 'Low');
    const first = recordLegacyScan(
      path,
      snapshot('fs', [write1, read, bare], { findings: [finding('ingest.truncated', { tool: 'read_file', path: 'description' })] }),
      [v1, vr],
    );
    const second = recordLegacyScan(path, snapshot('fs', [write2, read], { startedAt: '2026-02-01T00:00:00.000Z' }), [v2, vr]);
    const other = recordLegacyScan(path, snapshot('other', [read], { startedAt: '2026-03-01T00:00:00.000Z' }), [vr]);

    const store = openStore(path);
    try {
      const one = store.scanResult(first);
      expect(one.tools.map((t) => [t.definition, t.hash, t.classification])).toEqual([
        [write1.definition, write1.hash, v1],
        [read.definition, read.hash, vr],
        [bare.definition, bare.hash, undefined],
      ]);
      expect(one.findings).toEqual([finding('ingest.truncated', { tool: 'read_file', path: 'description' })]);
      expect(store.scanResult(second).tools.map((t) => t.classification)).toEqual([v2, vr]);
      expect(store.scanResult(other).tools.map((t) => t.hash)).toEqual([read.hash]);
      expect(store.toolHistory('fs', 'write_file').map((h) => [h.hash, h.firstSeenAt, h.scans.map((s) => s.id), h.classification?.risk])).toEqual([
        [write1.hash, '2026-01-01T00:00:00.000Z', [first], 'Medium'],
        [write2.hash, '2026-02-01T00:00:00.000Z', [second], 'Critical'],
      ]);
      // Still writable, and a definition seen before is not stored again.
      store.recordScan(snapshot('fs', [write2, read], { startedAt: '2026-04-01T00:00:00.000Z' }), [v2, vr]);
      expect(store.toolHistory('fs', 'read_file')[0]!.scans).toHaveLength(3);
    } finally {
      store.close();
    }

    const db = new Database(path, { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
      expect(db.pragma('foreign_key_check')).toEqual([]);
      expect(db.prepare('SELECT count(*) AS n FROM tool_versions').get()).toEqual({ n: 4 });
      expect(db.prepare("SELECT count(*) AS n FROM findings WHERE origin = 'classification'").get()).toEqual({ n: 0 });
      const indexes = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").all() as Array<{ name: string }>).map((r) => r.name);
      expect(indexes).not.toContain('scan_tools_by_hash');
      expect(indexes).not.toContain('tool_versions_by_name');
      // Deleting a definition makes SQLite look for scans still listing it: by index, not by reading them all.
      expect(indexes).toContain('scan_tools_by_tool');
      // The verdicts and scan lists refer to the renamed table, not to the one the migration built.
      const parents = (table: string): string[] => (db.pragma(`foreign_key_list(${table})`) as Array<{ table: string }>).map((r) => r.table);
      expect(parents('classifications')).toEqual(['tool_versions']);
      expect(parents('scan_tools').sort()).toEqual(['scans', 'tool_versions']);
      expect(parents('findings').sort()).toEqual(['scans', 'tool_versions']);
    } finally {
      db.close();
    }
  });
});
