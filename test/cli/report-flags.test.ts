// --format and --output on scan and classify: the choices, the contradictions, files written whole, and
// exit codes that do not depend on the format.
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { batched } from '../../src/cli/report-flags.js';
import { mcpRisk, ROOT } from '../support/cli.js';
import type { CliResult } from '../support/cli.js';

const MEMORY = join(ROOT, 'test/fixtures/servers/memory.json');
const SERVER = join(ROOT, 'test/servers/tools-server.mjs');

/** Two runs differ only in when they ran and how long they took. */
const timeless = (text: string): string =>
  text
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, 'WHEN')
    .replace(/"durationMs": \d+/g, '"durationMs": 0')
    .replace(/ in \d+ ms/g, ' in 0 ms');

function expectOneLineUsage(result: CliResult, message: RegExp): void {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(message);
}

describe('--format and --output', () => {
  it.each([
    ['an unknown format', ['--format', 'xml'], /^mcp-risk: --format takes one of table, json, markdown, sarif, got 'xml'/],
    ['--json against another --format', ['--json', '--format', 'sarif'], /^mcp-risk: --json and --format sarif contradict each other/],
    ['an empty --output', ['--output', ''], /^mcp-risk: --output needs a file name/],
  ])('%s is one usage line, exit 2', async (_what, flags, message) => {
    expectOneLineUsage(await mcpRisk(['classify', MEMORY, ...flags]), message);
  });

  it('refuses a contradiction before any server starts or any database is made', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-format-usage-'));
    const db = join(dir, 'r.db');
    expectOneLineUsage(await mcpRisk(['scan', '--db', db, '--json', '--format', 'markdown', '--', process.execPath, SERVER, 'many']), /contradict each other/);
    expect(existsSync(db)).toBe(false);
  });

  it('takes --json with --format json, and --format in any case', async () => {
    const json = await mcpRisk(['classify', MEMORY, '--json', '--format', 'json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ schema: 'mcp-risk/scan@1' });
    expect(timeless((await mcpRisk(['classify', MEMORY, '--format', 'JSON'])).stdout)).toBe(timeless(json.stdout));
    expect((await mcpRisk(['classify', MEMORY, '--format', 'table'])).stdout).toMatch(/^memory 0\.6\.3/);
  });

  it.each(['table', 'json', 'markdown', 'sarif'])('--output writes the %s report whole, says so on stderr, and prints nothing', async (format) => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-output-'));
    const out = join(dir, `report.${format}`);
    const result = await mcpRisk(['classify', MEMORY, '--format', format, '--output', out]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`mcp-risk: wrote the ${format} report to ${out}\n`);
    expect(timeless(readFileSync(out, 'utf8'))).toBe(timeless((await mcpRisk(['classify', MEMORY, '--format', format])).stdout));
    // No temporary file left beside it.
    expect(readdirSync(dir)).toEqual([`report.${format}`]);
  });

  it('writes a table to a file without colours, even from a terminal', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-output-table-'));
    const out = join(dir, 'scan.txt');
    const result = await mcpRisk(['scan', '--db', join(dir, 'r.db'), '--no-llm', '--output', out, '--', process.execPath, SERVER, 'many']);
    expect(result.code, result.stderr).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/50 tools/);
    expect(text).toContain('Rules only: disabled with --no-llm.');
    expect(text).not.toContain('\u001b[');
  });

  it('an --output that cannot be written is one line, exit 2', async () => {
    const result = await mcpRisk(['classify', MEMORY, '--format', 'sarif', '--output', join(tmpdir(), 'no-such-dir-mcp-risk', 'x.sarif')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^mcp-risk: cannot write .*x\.sarif: ENOENT\n$/);
  });

  it.each(['table', 'json', 'markdown', 'sarif'])('--fail-on gives the same exit code with --format %s', async (format) => {
    expect((await mcpRisk(['classify', MEMORY, '--format', format, '--fail-on', 'Critical'])).code).toBe(1);
    expect((await mcpRisk(['classify', join(ROOT, 'test/fixtures/servers/sequential-thinking.json'), '--format', format, '--fail-on', 'High'])).code).toBe(0);
  });

  it('help lists the formats on scan and classify', async () => {
    for (const command of ['scan', 'classify']) {
      const help = (await mcpRisk([command, '--help'])).stdout;
      expect(help).toContain('--format <format>');
      expect(help.replace(/\s+/g, ' ')).toContain('markdown (for a pull-request comment) or sarif (SARIF 2.1.0, for code scanning)');
      expect(help).toContain('--output <file>');
      expect(help).toContain('--json');
    }
  });
});

describe('batched', () => {
  it('joins small chunks into few writes and loses or reorders nothing', () => {
    const chunks = Array.from({ length: 5000 }, (_, i) => `{"tool":${i}},`);
    const out = [...batched(chunks)];
    expect(out.join('')).toBe(chunks.join(''));
    expect(out.length).toBeLessThan(10);
    expect(out.slice(0, -1).every((piece) => piece.length >= 1 << 16)).toBe(true);
  });

  it('passes a large chunk whole and writes nothing for no chunks', () => {
    const big = 'x'.repeat(200_000);
    expect([...batched(['a', big, 'b'])]).toEqual([`a${big}`, 'b']);
    expect([...batched([])]).toEqual([]);
  });
});
