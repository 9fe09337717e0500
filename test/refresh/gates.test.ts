// The nightly gates: refresh --fail-on LEVEL and --fail-on-drift, and diff --fail-on-drift, each exit 1
// with one line naming what tripped, and 0 when nothing reaches them.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { beforeEach, describe, expect, it } from 'vitest';
import { mcpRisk } from '../support/cli.js';

let dir: string;
let db: string;
let catalogue: string;
const tool = (name: string, description: string) => ({ name, description, inputSchema: { type: 'object', properties: { id: { type: 'string' } } } });
const write = (file: string, tools: unknown[]): string => {
  const path = join(dir, file);
  writeFileSync(path, JSON.stringify({ tools }));
  return path;
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mcp-risk-gates-'));
  db = join(dir, 'db.sqlite');
  const reader = write('reader.json', [tool('get_note', 'Get one note by its id.')]);
  const notes = write('notes.json', [tool('fetch_note', 'Return the text of one archived note.')]);
  catalogue = join(dir, 'catalogue.yaml');
  writeFileSync(
    catalogue,
    stringify({
      version: 1,
      servers: [
        { name: 'reader', manifest: reader },
        { name: 'notes', manifest: notes },
      ],
    }),
  );
});

describe('refresh progress', () => {
  it('draws the bar at once, with the servers in flight, before the first is done', async () => {
    const r = await mcpRisk(['refresh', catalogue, '--db', db, '--progress', '--concurrency', '1']);
    expect(r.code).toBe(0);
    const frames = r.stderr.split('\r\u001b[2K').filter((f) => f !== '');
    expect(frames[0]).toMatch(/^\[\.+\] 0:\d\d · 0\/2 done · 0 failed · 2 remaining$/);
    expect(frames[1]).toMatch(/0\/2 done .* now: (?:reader|notes)$/);
  });
});

describe('scan and classify gates', () => {
  it('name the tools that tripped --fail-on and --fail-on-score in one line', async () => {
    const path = write('mixed.json', [tool('get_note', 'Get one note by its id.'), tool('purge_notes', 'Permanently delete every note.')]);
    const classify = await mcpRisk(['classify', path, '--fail-on', 'High']);
    expect(classify.code).toBe(1);
    expect(classify.stderr).toBe('mcp-risk: --fail-on High tripped by purge_notes (Critical)\n');
    const scan = await mcpRisk(['scan', path, '--db', db, '--fail-on-score', '4', '--format', 'json']);
    expect(scan.code).toBe(1);
    expect(scan.stderr).toMatch(/^mcp-risk: --fail-on-score 4 tripped by purge_notes \(score [45]\)$/m);
    expect((await mcpRisk(['classify', write('calm.json', [tool('get_note', 'Get one note by its id.')]), '--fail-on', 'High'])).code).toBe(0);
  });
});

describe('nightly gates', () => {
  it('refresh --fail-on trips on a tool at the level and names it, and passes below it', async () => {
    const ok = await mcpRisk(['refresh', catalogue, '--db', db, '--no-progress', '--fail-on', 'Medium']);
    expect(ok.code, ok.stderr).toBe(0);
    write('notes.json', [tool('fetch_note', 'Return one archived note, then permanently delete it.')]);
    const tripped = await mcpRisk(['refresh', catalogue, '--db', db, '--no-progress', '--fail-on', 'High']);
    expect(tripped.code).toBe(1);
    expect(tripped.stderr).toMatch(/--fail-on High tripped by notes\/fetch_note \(Critical\)/);
    expect(tripped.stderr).not.toMatch(/reader\/get_note/);
  });

  it('refresh --fail-on-drift and diff --fail-on-drift trip when a definition changes for the worse', async () => {
    expect((await mcpRisk(['refresh', catalogue, '--db', db, '--no-progress', '--fail-on-drift'])).code).toBe(0);
    write('notes.json', [tool('fetch_note', 'Return one archived note, then permanently delete it.')]);
    const refresh = await mcpRisk(['refresh', catalogue, '--db', db, '--no-progress', '--fail-on-drift']);
    expect(refresh.code).toBe(1);
    expect(refresh.stderr).toMatch(/--fail-on-drift: 1 tools drifted/);
    const diff = await mcpRisk(['diff', 'notes', '--db', db, '--fail-on-drift']);
    expect(diff.code).toBe(1);
    expect(diff.stderr).toMatch(/--fail-on-drift: 1 tools drifted: fetch_note/);
    expect((await mcpRisk(['diff', 'reader', '--db', db, '--fail-on-drift'])).code).toBe(0);
  });
});

describe('refresh --max-age', () => {
  it('rescans a command server once its last good scan is older than the age, and only then', async () => {
    const memory = fileURLToPath(new URL('../../node_modules/@modelcontextprotocol/server-memory/dist/index.js', import.meta.url));
    const reader = join(dir, 'reader.json');
    writeFileSync(
      catalogue,
      stringify({
        version: 1,
        servers: [
          { name: 'memory', command: process.execPath, args: [memory] },
          { name: 'reader', manifest: reader },
        ],
      }),
    );
    const outcomes = async (...extra: string[]): Promise<Record<string, number>> => {
      const r = await mcpRisk(['refresh', catalogue, '--db', db, '--no-progress', '--no-sandbox', '--json', ...extra]);
      expect(r.code, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as { byOutcome: Record<string, number> }).byOutcome;
    };
    expect((await outcomes()).ok).toBe(2);
    expect((await outcomes('--max-age', '7d')).unchanged).toBe(2);
    // Ten days pass for the stored scans.
    const sql = new Database(db);
    sql.prepare("UPDATE scans SET started_at = strftime('%Y-%m-%dT%H:%M:%fZ', started_at, '-10 days')").run();
    sql.close();
    expect(await outcomes('--max-age', '30d')).toMatchObject({ unchanged: 2 });
    // The command server is rescanned; the manifest has a content hash to say it is unchanged.
    expect(await outcomes('--max-age', '7d')).toMatchObject({ ok: 1, unchanged: 1 });
    const bad = await mcpRisk(['refresh', catalogue, '--db', db, '--max-age', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--max-age takes a duration such as 12h, 30d or 2w .*, got 'soon'/);
  }, 120_000);
});
