// Every JSON output carries a schema tag and validates against its shipped schema (schemas/), checked on
// real outputs: a live test server, manifests, the database read back, a diff, a refresh, a merge.
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { JSON_SCHEMA_TAGS } from '../../src/output/index.js';
import { mcpRisk, ROOT } from '../support/cli.js';
import { writePairConfig } from '../support/config-pair.js';
import type { CliResult } from '../support/cli.js';
import { errorLines, ourSchemas, SCHEMA_DIR, validatorFor } from '../support/schemas.js';
import { markVerdictsStale } from '../support/stale-verdicts.js';

type Json = Record<string, unknown>;
const testServer = (name: string): string => join(ROOT, 'test/servers', name);

/** The command's stdout as JSON, checked against the schema its own tag names. */
function expectValid(result: CliResult, tag: string): Json | Json[] {
  expect(result.code, result.stderr).toBe(0);
  const value = JSON.parse(result.stdout) as Json | Json[];
  for (const doc of Array.isArray(value) ? value : [value]) expect(doc.schema).toBe(tag);
  expectMatches(value, tag);
  return value;
}

function expectMatches(value: unknown, tag: string): void {
  const validate = validatorFor(tag);
  expect(validate(value), errorLines(validate.errors).join('\n')).toBe(true);
}

function expectRejected(value: unknown, tag: string): void {
  expect(validatorFor(tag)(value)).toBe(false);
}

describe('the shipped schemas', () => {
  it('one file per tag, named after it, with the tag as a constant; nothing else but the shared definitions', () => {
    const schemas = ourSchemas();
    const tags = Object.values(JSON_SCHEMA_TAGS);
    for (const tag of tags) {
      const name = tag.replace(/^mcp-risk\//, '');
      const file = join(SCHEMA_DIR, `${name.replace(/@\d+$/, '')}.schema.json`);
      expect(existsSync(file), file).toBe(true);
      const schema = JSON.parse(readFileSync(file, 'utf8')) as Json;
      expect(schema.$id).toBe(`urn:mcp-risk:schema:${name}`);
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(JSON.stringify(schema)).toContain(`"schema":{"const":"${tag}"}`);
    }
    expect([...schemas.keys()].sort()).toEqual(
      [...tags.map((t) => `urn:mcp-risk:schema:${t.replace(/^mcp-risk\//, '')}`), 'urn:mcp-risk:schema:common'].sort(),
    );
  });

  it('ship with the package', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('schemas');
  });
});

describe('real outputs validate against their schemas', () => {
  let dir: string;
  let db: string;
  let scan: Json;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mcp-risk-schemas-'));
    db = join(dir, 'r.db');
    // A live stdio server with findings in every place, stored under a name.
    scan = expectValid(
      await mcpRisk(['scan', '--db', db, '--name', 'weather', '--no-llm', '--format', 'json', '--', process.execPath, testServer('poisoned-server.mjs')]),
      JSON_SCHEMA_TAGS.scan,
    ) as Json;
    // A manifest scanned before and after a rug pull, for diff.
    const manifest = join(dir, 'notes.json');
    copyFileSync(join(ROOT, 'test/fixtures/drift/before.json'), manifest);
    expect((await mcpRisk(['scan', manifest, '--db', db, '--no-llm'])).code).toBe(0);
    copyFileSync(join(ROOT, 'test/fixtures/drift/after.json'), manifest);
    expect((await mcpRisk(['scan', manifest, '--db', db, '--no-llm'])).code).toBe(0);
  });

  it('scan over stdio (mcp-risk/scan@1), with findings, serverInfo, isolation and the LLM run', () => {
    expect(scan).toMatchObject({ server: { name: 'weather' }, scan: { status: 'ok', llm: { status: 'off' } } });
    expect((scan.findings as unknown[]).length).toBeGreaterThan(0);
  });

  it('scan of a client config: an array of mcp-risk/scan@1', async () => {
    const config = writePairConfig(dir);
    const views = expectValid(await mcpRisk(['scan', config, '--db', join(dir, 'config.db'), '--no-llm', '--json']), JSON_SCHEMA_TAGS.scan);
    expect(views).toHaveLength(2);
  });

  it('scan of a server that failed (mcp-risk/scan@1 with the error)', async () => {
    const result = await mcpRisk(['scan', '--db', join(dir, 'failed.db'), '--no-llm', '--json', '--', process.execPath, testServer('exit-at-once.mjs')]);
    expect(result.code).toBe(2);
    const json = JSON.parse(result.stdout) as Json;
    expectMatches(json, JSON_SCHEMA_TAGS.scan);
    expect(json.scan).toMatchObject({ status: 'failed', error: expect.any(String) as unknown });
  });

  it.each(['memory', 'everything', 'github', 'stripe'])('classify of the captured %s manifest (mcp-risk/scan@1)', async (name) => {
    expectValid(await mcpRisk(['classify', join(ROOT, `test/fixtures/servers/${name}.json`), '--json']), JSON_SCHEMA_TAGS.scan);
  });

  it('show: the servers (mcp-risk/servers@1), one server (mcp-risk/scan@1) and one tool with its history (mcp-risk/tool@1)', async () => {
    const servers = expectValid(await mcpRisk(['show', '--db', db, '--json']), JSON_SCHEMA_TAGS.servers) as Json;
    expect((servers.servers as Json[]).map((s) => s.name).sort()).toEqual(['notes', 'weather']);
    const server = expectValid(await mcpRisk(['show', 'notes', '--db', db, '--json']), JSON_SCHEMA_TAGS.scan) as Json;
    expect(server.scan).toMatchObject({ id: expect.any(Number) as unknown });
    const tool = expectValid(await mcpRisk(['show', 'notes/archive_note', '--db', db, '--json']), JSON_SCHEMA_TAGS.tool) as Json;
    expect(tool).toMatchObject({ name: 'archive_note', category: 'Destructive' });
    expect(tool.history).toHaveLength(2);
  });

  it('diff with drift (mcp-risk/diff@1)', async () => {
    const diff = expectValid(await mcpRisk(['diff', 'notes', '--db', db, '--json']), JSON_SCHEMA_TAGS.diff) as Json;
    expect(diff.counts).toMatchObject({ drift: 2 });
  });

  it('refresh summary, with a server not covered (mcp-risk/refresh@1)', async () => {
    const catalogue = join(dir, 'catalogue.yaml');
    writeFileSync(
      catalogue,
      stringify({
        version: 1,
        servers: [
          { name: 'memory', manifest: join(ROOT, 'test/fixtures/servers/memory.json') },
          { name: 'broken', command: process.execPath, args: [testServer('exit-at-once.mjs')] },
        ],
      }),
    );
    const summary = expectValid(
      await mcpRisk(['refresh', catalogue, '--db', join(dir, 'refresh.db'), '--json', '--no-progress', '--no-sandbox', '--retries', '0']),
      JSON_SCHEMA_TAGS.refresh,
    ) as Json;
    expect(summary.notCovered).toEqual([expect.objectContaining({ name: 'broken', status: 'failed' })]);
  });

  it('merge (mcp-risk/merge@1) and reclassify (mcp-risk/reclassify@1)', async () => {
    const merged = join(dir, 'merged.db');
    const report = expectValid(await mcpRisk(['merge', merged, db, '--json']), JSON_SCHEMA_TAGS.merge) as Json;
    expect(report.servers).toBe(2);
    markVerdictsStale(merged);
    const again = expectValid(await mcpRisk(['reclassify', '--db', merged, '--no-llm', '--json']), JSON_SCHEMA_TAGS.reclassify) as Json;
    expect((again.reclassified as unknown[]).length).toBe(2);
  });

  it('are strict: an unknown category or severity, a missing or an extra key is refused; server data stays open', () => {
    const copy = (): Json => JSON.parse(JSON.stringify(scan)) as Json;
    const tools = (doc: Json): Json[] => doc.tools as Json[];
    const refuse = (change: (doc: Json) => void): void => {
      const doc = copy();
      change(doc);
      expectRejected(doc, JSON_SCHEMA_TAGS.scan);
    };
    refuse((d) => (tools(d)[0]!.category = 'Safe'));
    refuse((d) => (tools(d)[0]!.risk = 'None'));
    refuse((d) => delete tools(d)[0]!.risk);
    refuse((d) => (tools(d)[0]!.extra = 1));
    refuse((d) => ((d.findings as Json[])[0]!.severity = 'critical'));
    refuse((d) => (d.schema = 'mcp-risk/scan@2'));
    refuse((d) => delete (d.summary as { byRisk: Json }).byRisk.Unknown);
    // Finding arguments and annotations are the producer's and the server's: any key may appear.
    const open = copy();
    ((open.findings as Json[])[0]!.args as Json).somethingNew = 'x';
    tools(open)[0]!.annotations = { readOnlyHint: true, vendorHint: 'x' };
    expectMatches(open, JSON_SCHEMA_TAGS.scan);
  });
});
