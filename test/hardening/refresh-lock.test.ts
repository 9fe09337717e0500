// Two refreshes on one database: the second refuses (exit 2) without resuming, reaping or storing
// anything, and the first finishes with one scan per server. A lock left by a dead run is taken over.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { runningWith } from '../ingest/helpers.js';
import { mcpRisk } from '../support/cli.js';

const slow = fileURLToPath(new URL('../servers/slow-tools.mjs', import.meta.url));

async function waitFor(what: string, condition: () => boolean, deadlineMs = 60_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function gatedCatalogue(dir: string, count: number): { path: string; started: string; gate: string } {
  const started = join(dir, 'started');
  const gate = join(dir, 'gate');
  mkdirSync(started, { recursive: true });
  const servers = Array.from({ length: count }, (_, i) => ({
    name: `slow-${i}`,
    command: process.execPath,
    args: [slow, `s${i}`, started],
    env: { PID_DIR: started, GATE: gate },
  }));
  const path = join(dir, 'catalogue.yaml');
  writeFileSync(path, stringify({ version: 1, servers }));
  return { path, started, gate };
}

describe('one refresh per database', () => {
  it('refuses a second refresh while the first runs, and leaves the first one alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-lock-'));
    const db = join(dir, 'r.db');
    const { path, started, gate } = gatedCatalogue(dir, 4);
    const first = mcpRisk(['refresh', path, '--db', db, '--concurrency', '2', '--no-progress', '--no-sandbox']);
    await waitFor('the first refresh has two servers waiting', () => existsSync(started) && readdirSync(started).length === 2);

    const second = await mcpRisk(['refresh', path, '--db', db, '--concurrency', '2', '--no-progress', '--no-sandbox']);
    expect(second.code).toBe(2);
    const lines = second.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^mcp-risk: another refresh \\(pid ${process.pid}, started \\S+\\) is running on .*r\\.db \\(Wait for it`));
    expect(second.stderr).not.toContain('resuming');
    // Its servers were not ended by the second run: both still wait at the gate.
    expect(runningWith(started).length).toBeGreaterThanOrEqual(2);

    writeFileSync(gate, '');
    const done = await first;
    expect(done.code, done.stderr).toBe(0);
    const store = openStore(db);
    try {
      for (let i = 0; i < 4; i++) expect(store.listScans(`slow-${i}`), `slow-${i}`).toHaveLength(1);
      expect(store.listScans(`slow-0`)[0]?.status).toBe('ok');
    } finally {
      store.close();
    }
    expect(existsSync(`${db}.lock`)).toBe(false);
  }, 180_000);

  it('takes over a lock whose refresh is gone, and removes it when done', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-lock-'));
    const db = join(dir, 'r.db');
    const { path, gate } = gatedCatalogue(dir, 1);
    writeFileSync(gate, '');
    // A pid that ran and is gone: the lock a refresh killed outright leaves behind.
    const gone = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    const pid = Number(gone.stdout.trim());
    writeFileSync(`${db}.lock`, JSON.stringify({ pid, startTime: '1', host: hostname(), startedAt: '2026-01-01T00:00:00.000Z' }));
    const result = await mcpRisk(['refresh', path, '--db', db, '--no-progress', '--no-sandbox']);
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(`${db}.lock`)).toBe(false);
  }, 120_000);
});
