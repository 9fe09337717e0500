// `history` lists a server's scans with the ids `diff` takes; `forget` removes a server stored by mistake
// with its scans, keeps every other server whole, and refuses a name it does not know.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { mcpRisk } from '../support/cli.js';
import { validatorFor } from '../support/schemas.js';

let dir: string;
let db: string;
const manifest = (name: string, description: string): string => {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify({ tools: [{ name: 'shared_tool', description, inputSchema: { type: 'object' } }] }));
  return path;
};

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mcp-risk-history-'));
  db = join(dir, 'db.sqlite');
  for (const text of ['List the notes.', 'List the notes, then delete them.'])
    expect((await mcpRisk(['scan', manifest('notes', text), '--db', db])).code).toBe(0);
  expect((await mcpRisk(['scan', manifest('typo', 'List the notes.'), '--db', db])).code).toBe(0);
});

describe('mcp-risk history', () => {
  it('lists the scans newest first with ids diff accepts', async () => {
    const r = await mcpRisk(['history', 'notes', '--db', db]);
    expect(r.code).toBe(0);
    const ids = [...r.stdout.matchAll(/^\s*(\d+)\s+\d{4}-/gm)].map((m) => Number(m[1]));
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBeGreaterThan(ids[1]!);
    const diff = await mcpRisk(['diff', 'notes', '--from', String(ids[1]), '--to', String(ids[0]), '--db', db]);
    expect(diff.code).toBe(0);
    expect(diff.stdout).toMatch(/shared_tool/);
    const json = JSON.parse((await mcpRisk(['history', 'notes', '--json', '--db', db])).stdout) as { schema: string; scans: Array<{ id: number }> };
    expect(json.schema).toBe('mcp-risk/history@1');
    const validate = validatorFor('mcp-risk/history@1');
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    expect(json.scans.map((s) => s.id)).toEqual(ids);
  });

  it('names the known servers for an unknown one', async () => {
    const r = await mcpRisk(['history', 'nope', '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/No server named "nope".*notes, typo/);
  });
});

describe('mcp-risk forget', () => {
  it('removes the server and its scans, and only what no other scan uses', async () => {
    const r = await mcpRisk(['forget', 'typo', '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/forgot typo: 1 scan removed/);
    expect((await mcpRisk(['show', 'typo', '--db', db])).code).toBe(2);
    // The definition typo shared with notes' first scan is still there: that scan reads back whole.
    const notes = await mcpRisk(['history', 'notes', '--json', '--db', db]);
    const first = (JSON.parse(notes.stdout) as { scans: Array<{ id: number }> }).scans.at(-1)!.id;
    const older = await mcpRisk(['diff', 'notes', '--from', String(first), '--db', db]);
    expect(older.code).toBe(0);
    const sql = new Database(db, { readonly: true });
    try {
      expect(sql.prepare('SELECT count(*) AS n FROM scans s JOIN servers v ON v.id = s.server_id WHERE v.name = ?').get('typo')).toEqual({ n: 0 });
      expect(sql.prepare('SELECT count(*) AS n FROM tool_versions WHERE id NOT IN (SELECT tool_id FROM scan_tools)').get()).toEqual({ n: 0 });
      expect(sql.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
    } finally {
      sql.close();
    }
  });

  it('refuses an unknown name and changes nothing', async () => {
    const r = await mcpRisk(['forget', 'note', '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/No server named "note"/);
    expect((await mcpRisk(['show', 'notes', '--db', db])).code).toBe(0);
  });
});
