// A server that lists tools without declaring the tools capability is scanned and gated like any other.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanServer } from '../../src/ingest/index.js';
import { mcpRisk } from '../support/cli.js';
import { testServer } from '../ingest/helpers.js';

const FAST = { connectTimeoutMs: 20_000, listTimeoutMs: 20_000 };

describe('a server that does not declare the tools capability', () => {
  it('has its tools listed anyway, with an ingest.undeclared-tools finding', async () => {
    const snapshot = await scanServer(testServer('raw-tools.mjs', 'undeclared'), FAST);
    expect(snapshot.status).toBe('ok');
    expect(snapshot.tools.map((t) => t.definition.name)).toEqual(['delete_all_files']);
    expect(snapshot.findings).toContainEqual(expect.objectContaining({ code: 'ingest.undeclared-tools', severity: 'warning', args: { method: 'tools/list' } }));
  }, 60_000);

  it('trips --fail-on High instead of passing as no-tools', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-undeclared-'));
    const server = testServer('raw-tools.mjs', 'undeclared');
    const result = await mcpRisk(['scan', '--db', join(dir, 'r.db'), '--fail-on', 'High', '--json', '--', server.command, ...server.args]);
    expect(result.stderr).toBe('mcp-risk: --fail-on High tripped by delete_all_files (Critical)\n');
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout) as { scan: { status: string } };
    expect(json.scan.status).toBe('ok');
    expect(JSON.stringify(json)).toContain('ingest.undeclared-tools');
  }, 60_000);

  it('is still no-tools when it declares nothing and answers tools/list with an error', async () => {
    const none = await scanServer(testServer('tools-server.mjs', 'no-tools'), FAST);
    expect(none.status).toBe('no-tools');
    expect(none.findings.map((f) => f.code)).not.toContain('ingest.undeclared-tools');
  }, 60_000);
});
