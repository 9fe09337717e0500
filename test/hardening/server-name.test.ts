// A server name taken from a file or a server is bounded (200 code points), with an ingest.truncated finding.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadManifest, scanServer } from '../../src/ingest/index.js';
import { MAX_SERVER_NAME_CHARS } from '../../src/ingest/server-name.js';
import { mcpRisk } from '../support/cli.js';
import { testServer } from '../ingest/helpers.js';

const HUGE = 'n'.repeat(99_999) + '😀'; // 100,000 code points, the last one two UTF-16 units
const TOOL = { name: 'read_file', description: 'Reads a file and returns its contents.', inputSchema: { type: 'object' } };

function storedNames(db: string): string[] {
  const handle = new Database(db, { readonly: true });
  try {
    return (handle.prepare('SELECT name FROM servers').all() as Array<{ name: string }>).map((r) => r.name);
  } finally {
    handle.close();
  }
}

const nameFinding = expect.objectContaining({ code: 'ingest.truncated', args: { field: 'name', originalLength: 100_000, keptLength: MAX_SERVER_NAME_CHARS } });

describe('server names are bounded', () => {
  it("cuts a manifest's name, with a finding, through loadManifest and scan FILE", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-name-'));
    const path = join(dir, 'tools.json');
    writeFileSync(path, JSON.stringify({ name: HUGE, tools: [TOOL] }));
    const content = await loadManifest(path);
    if (content.kind !== 'snapshot') throw new Error('expected a snapshot');
    expect([...content.snapshot.name]).toHaveLength(MAX_SERVER_NAME_CHARS);
    expect(content.snapshot.findings).toContainEqual(nameFinding);

    const db = join(dir, 'r.db');
    const result = await mcpRisk(['scan', path, '--db', db, '--json']);
    expect(result.code).toBe(0);
    expect(storedNames(db)).toEqual(['n'.repeat(MAX_SERVER_NAME_CHARS)]);
    expect(result.stdout).toContain('"field": "name"');
  }, 60_000);

  it("cuts a client config's key, and the scan of that server carries the finding", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-name-'));
    const server = testServer('raw-tools.mjs', 'declared');
    const path = join(dir, 'claude.json');
    writeFileSync(path, JSON.stringify({ mcpServers: { [HUGE]: { command: server.command, args: server.args } } }));
    const db = join(dir, 'r.db');
    const result = await mcpRisk(['scan', path, '--db', db, '--json']);
    expect(result.code).toBe(0);
    expect(storedNames(db)).toEqual(['n'.repeat(MAX_SERVER_NAME_CHARS)]);
    expect(result.stdout).toContain('"field": "name"');
    expect(result.stdout).not.toContain('n'.repeat(MAX_SERVER_NAME_CHARS + 1));
  }, 60_000);

  it('cuts a name given to scanServer, with a finding', async () => {
    const snapshot = await scanServer({ ...testServer('raw-tools.mjs', 'declared'), name: HUGE }, { connectTimeoutMs: 20_000, listTimeoutMs: 20_000 });
    expect(snapshot.status).toBe('ok');
    expect(snapshot.name).toBe('n'.repeat(MAX_SERVER_NAME_CHARS));
    expect(snapshot.findings).toContainEqual(nameFinding);
  }, 60_000);
});
