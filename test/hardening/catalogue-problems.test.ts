// A catalogue with many problems: the CLI lists every one of them, not the first and a count.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mcpRisk } from '../support/cli.js';

describe('catalogue problems', () => {
  it('prints every problem of a catalogue, one per line, after a line with the count', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-problems-'));
    const path = join(dir, 'catalogue.yaml');
    const servers = Array.from({ length: 49 }, (_, i) => `  - {name: s${i}, npm: x, url: "https://x.example"}`);
    writeFileSync(path, ['version: 1', 'servers:', ...servers].join('\n'));
    const result = await mcpRisk(['refresh', path, '--db', join(dir, 'r.db'), '--no-progress']);
    expect(result.code).toBe(2);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^mcp-risk: ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: 49 problems \\(`));
    expect(lines).toHaveLength(50);
    for (let i = 0; i < 49; i += 1) expect(lines[i + 1]).toBe(`  - servers[${i}] (s${i}): has both npm and url`);
    expect(result.stderr).not.toContain('more problem');
  }, 60_000);

  it('shows a single problem on the error line itself', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-problems-'));
    const path = join(dir, 'catalogue.yaml');
    writeFileSync(path, ['version: 1', 'servers:', '  - {name: foo, npm: x, url: "https://x.example"}'].join('\n'));
    const result = await mcpRisk(['refresh', path, '--db', join(dir, 'r.db'), '--no-progress']);
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toEqual([expect.stringContaining(`${path}: servers[0] (foo): has both npm and url (`)]);
  }, 60_000);
});
