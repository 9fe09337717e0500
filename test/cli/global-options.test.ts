// The global options: colour from --color / --no-color, then FORCE_COLOR, then NO_COLOR (only when not
// empty), then the terminal; --quiet drops the table, summary, progress and notes but never errors, the
// exit code or output asked for by name.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { colorFromEnv } from '../../src/cli/io.js';
import { mcpRisk, ROOT } from '../support/cli.js';

const STRIPE = join(ROOT, 'test/fixtures/servers/stripe.json');
const ESC = '\u001b[';

describe('colour', () => {
  it('follows FORCE_COLOR, then a non-empty NO_COLOR, then the terminal', () => {
    expect(colorFromEnv({}, true)).toBe(true);
    expect(colorFromEnv({}, false)).toBe(false);
    expect(colorFromEnv({ FORCE_COLOR: '1' }, false)).toBe(true);
    expect(colorFromEnv({ FORCE_COLOR: '0' }, true)).toBe(false);
    expect(colorFromEnv({ FORCE_COLOR: 'false' }, true)).toBe(false);
    expect(colorFromEnv({ NO_COLOR: '1' }, true)).toBe(false);
    // An empty NO_COLOR means nothing (no-color.org).
    expect(colorFromEnv({ NO_COLOR: '' }, true)).toBe(true);
    expect(colorFromEnv({ FORCE_COLOR: '', NO_COLOR: '' }, false)).toBe(false);
  });

  it('--color and --no-color win, before or after the command', async () => {
    expect((await mcpRisk(['--color', 'classify', STRIPE])).stdout).toContain(ESC);
    expect((await mcpRisk(['classify', STRIPE, '--color'])).stdout).toContain(ESC);
    expect((await mcpRisk(['classify', STRIPE, '--no-color'])).stdout).not.toContain(ESC);
  });
});

describe('--quiet', () => {
  it('prints no table but keeps the exit code and the line naming what tripped the gate', async () => {
    const r = await mcpRisk(['--quiet', 'classify', STRIPE, '--fail-on', 'High']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^mcp-risk: --fail-on High tripped by /);
  });

  it('keeps output asked for by name, and drops the notes about files written', async () => {
    const json = await mcpRisk(['classify', STRIPE, '-q', '--format', 'json']);
    expect((JSON.parse(json.stdout) as { schema: string }).schema).toBe('mcp-risk/scan@1');
    const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-quiet-'));
    const out = join(dir, 'report.sarif');
    const sarif = await mcpRisk(['classify', STRIPE, '--quiet', '--format', 'sarif', '--output', out]);
    expect(sarif.stderr).toBe('');
    expect((JSON.parse(readFileSync(out, 'utf8')) as { version: string }).version).toBe('2.1.0');
    const loud = await mcpRisk(['classify', STRIPE, '--format', 'sarif', '--output', out]);
    expect(loud.stderr).toMatch(/wrote the sarif report/);
  });

  it('still reports errors', async () => {
    const r = await mcpRisk(['--quiet', 'classify', join(ROOT, 'no-such-file.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^mcp-risk: /);
  });
});

describe('JSON layout', () => {
  it('is indented by default here (a terminal), compact with --compact, and the same value either way', async () => {
    const pretty = await mcpRisk(['classify', STRIPE, '--json', '--pretty']);
    const compact = await mcpRisk(['--compact', 'classify', STRIPE, '--json']);
    expect(pretty.stdout.split('\n').length).toBeGreaterThan(100);
    expect(compact.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(compact.stdout.length).toBeLessThan(pretty.stdout.length * 0.8);
    // The same value, but for when each was made.
    const made = (text: string): unknown => ({ ...(JSON.parse(text) as Record<string, unknown>), scan: undefined });
    expect(made(compact.stdout)).toEqual(made(pretty.stdout));
    const both = await mcpRisk(['classify', STRIPE, '--json', '--compact', '--pretty']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--compact and --pretty contradict each other/);
  });
});
