// Migration 4: scans stored under a server's own serverInfo name move to the server named by their source.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrations, openStore } from '../../src/store/index.js';
import { recordLegacyScan } from './legacy.js';
import { snapshot, tool, verdict } from './make.js';

describe('migrating servers named by serverInfo', () => {
  it('splits a generic name shared by unrelated servers, joins one package scanned two ways, and keeps every scan', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'mcp-risk-names-')), 'old.db');
    openStore(path, { migrations: migrations.slice(0, 3) }).close();
    const read = tool('read_note');
    const scanAs = (name: string, source: { kind: 'stdio' | 'npm' | 'http' | 'manifest'; target: string }, startedAt: string, serverInfo = name): number =>
      recordLegacyScan(path, snapshot(name, [read], { source, serverInfo: { name: serverInfo }, startedAt }), [verdict(read, 'Read', 'Low')]);
    const memory = '/cache/node_modules/@modelcontextprotocol/server-memory/dist/index.js';
    // Three unrelated servers that all call themselves "mcp-server".
    const a = scanAs('mcp-server', { kind: 'stdio', target: `node ${memory}` }, '2026-01-01T00:00:00.000Z');
    const b = scanAs('mcp-server', { kind: 'http', target: 'https://api.example.com/mcp' }, '2026-01-02T00:00:00.000Z');
    const c = scanAs('mcp-server', { kind: 'manifest', target: '/x/notes.json' }, '2026-01-03T00:00:00.000Z');
    // The memory package again, through npm:, under its serverInfo name.
    const d = scanAs('memory-server', { kind: 'npm', target: 'npm:@modelcontextprotocol/server-memory@2026.8.31' }, '2026-01-04T00:00:00.000Z');
    // Named by the user (--name): its serverInfo says otherwise, and it is left alone.
    const e = scanAs('my-name', { kind: 'stdio', target: "node '/path with space/server.js'" }, '2026-01-05T00:00:00.000Z', 'weather');
    // Named by its serverInfo, with a quoted path in its command line.
    const f = scanAs('weather', { kind: 'stdio', target: "node '/home/me/weather tools/build/index.js'" }, '2026-01-06T00:00:00.000Z');

    const store = openStore(path);
    const ids = (name: string): number[] => store.listScans(name).map((s) => s.id);
    expect(ids('@modelcontextprotocol/server-memory')).toEqual([a, d]);
    expect(ids('api.example.com/mcp')).toEqual([b]);
    expect(ids('notes')).toEqual([c]);
    expect(ids('my-name')).toEqual([e]);
    expect(ids('weather tools')).toEqual([f]);
    expect(
      store
        .listServers()
        .map((s) => s.name)
        .sort(),
    ).toEqual(['@modelcontextprotocol/server-memory', 'api.example.com/mcp', 'my-name', 'notes', 'weather tools']);
    // The server's source follows its latest scan; the verdicts came along.
    const memoryServer = store.listServers().find((s) => s.name === '@modelcontextprotocol/server-memory')!;
    expect(memoryServer.source.kind).toBe('npm');
    expect(store.scanResult(a).tools[0]?.classification).toMatchObject({ category: 'Read' });
    store.close();
  });
});
