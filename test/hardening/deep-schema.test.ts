// One tool nested 10,000 levels deep is dropped with a finding; its siblings are still scanned and classified.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifest, scanServer, validateTools } from '../../src/ingest/index.js';
import { canonicalJson } from '../../src/model/tool-hash.js';
import { mcpRisk } from '../support/cli.js';
import { testServer } from '../ingest/helpers.js';

const DEPTH = 10_000;
/** Built as a string, without recursion, so the test itself cannot overflow. */
const deepSchemaJson = (depth: number): string => `${'{"type":"object","properties":{"x":'.repeat(depth)}{"type":"string"}${'}}'.repeat(depth)}`;
const NORMAL = {
  name: 'delete_all_files',
  description: 'Deletes every file in the workspace permanently.',
  inputSchema: { type: 'object', properties: { path: { type: 'string' } } },
};

function manifest(): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-deep-'));
  const path = join(dir, 'deep.json');
  writeFileSync(path, `{"tools":[{"name":"deep_tool","description":"Reads a value.","inputSchema":${deepSchemaJson(DEPTH)}},${JSON.stringify(NORMAL)}]}`);
  return { dir, path };
}

function expectDeepDropped(findings: ReadonlyArray<{ code: string; args: unknown }>): void {
  const malformed = findings.filter((f) => f.code === 'ingest.malformed-tool');
  expect(malformed).toHaveLength(1);
  expect(malformed[0]?.args).toMatchObject({ index: 0, name: 'deep_tool', reason: expect.stringContaining('too deep') });
}

describe('a tool nested deeper than the limit', () => {
  it('canonicalJson does not overflow on deep values', () => {
    const deep = JSON.parse(deepSchemaJson(DEPTH)) as unknown;
    // Same length as the input: only the key order changes (properties before type).
    expect(canonicalJson(deep)).toHaveLength(deepSchemaJson(DEPTH).length);
    expect(canonicalJson({ b: [1, { d: null, c: 'x' }], a: undefined, e: true })).toBe('{"b":[1,{"c":"x","d":null}],"e":true}');
  });

  it('is dropped by validateTools while a schema 64 deep is kept', () => {
    const atLimit = JSON.parse(`{"name":"ok","inputSchema":${deepSchemaJson(31)}}`) as unknown; // tool 1 + 2 per level + leaf
    const result = validateTools([JSON.parse(`{"name":"deep_tool","inputSchema":${deepSchemaJson(DEPTH)}}`), atLimit, NORMAL]);
    expect(result.tools.map((t) => t.name)).toEqual(['ok', 'delete_all_files']);
    expectDeepDropped(result.findings);
  });

  it('loadManifest keeps the sibling', async () => {
    const content = await loadManifest(manifest().path);
    if (content.kind !== 'snapshot') throw new Error('expected a snapshot');
    expect(content.snapshot.tools.map((t) => t.definition.name)).toEqual(['delete_all_files']);
    expectDeepDropped(content.snapshot.findings);
  });

  it('classify FILE classifies the sibling and prints no internal error', async () => {
    const { path } = manifest();
    const result = await mcpRisk(['classify', path, '--json']);
    expect(result.stderr).not.toContain('internal error');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('delete_all_files');
    expect(result.stdout).toContain('too deep');
  }, 60_000);

  it('scan FILE stores the sibling and the finding', async () => {
    const { dir, path } = manifest();
    const result = await mcpRisk(['scan', path, '--db', join(dir, 'r.db'), '--json']);
    expect(result.stderr).not.toContain('internal error');
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as { scan: { status: string } };
    expect(json.scan.status).toBe('ok');
    expect(result.stdout).toContain('delete_all_files');
    expect(result.stdout).toContain('too deep');
  }, 60_000);

  it('over stdio, the sibling is listed and the deep tool becomes a finding', async () => {
    const snapshot = await scanServer(testServer('raw-tools.mjs', 'deep'), { connectTimeoutMs: 20_000, listTimeoutMs: 20_000 });
    expect(snapshot.error).toBeUndefined();
    expect(snapshot.status).toBe('ok');
    expect(snapshot.tools.map((t) => t.definition.name)).toEqual(['delete_all_files']);
    expectDeepDropped(snapshot.findings);
  }, 60_000);
});
