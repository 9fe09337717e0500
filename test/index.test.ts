// The package entry point exposes the pipeline: a manifest classified and turned into a policy through it alone.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { classifySnapshot, loadManifest, starterPolicyFor, viewFromSnapshot } from '../src/index.js';

describe('library entry point', () => {
  it('runs manifest -> classification -> policy through the public API', async () => {
    const manifest = await loadManifest(fileURLToPath(new URL('./fixtures/servers/memory.json', import.meta.url)));
    if (manifest.kind !== 'snapshot') throw new Error('expected a tool list');
    const classifications = classifySnapshot(manifest.snapshot);
    const policy = starterPolicyFor(viewFromSnapshot(manifest.snapshot, classifications));
    expect(policy.hide).toContain('delete_entities');
    expect(policy.tools?.['read_graph']).toEqual({});
  });
});

describe('library entry point, catalogue side', () => {
  it('exposes the refresh pipeline: a catalogue refreshed into a store, then diffed', async () => {
    const { openStore, runRefresh, diffScans } = await import('../src/index.js');
    const store = openStore(':memory:');
    const manifest = fileURLToPath(new URL('./fixtures/servers/memory.json', import.meta.url));
    const summary = await runRefresh(
      {
        entries: [{ name: 'memory', source: { kind: 'manifest', path: manifest }, args: [], env: {}, headers: {}, tags: [], needs: [] }],
        defaults: { tags: [] },
      },
      store,
      { enabled: false, reason: 'test' },
      { retries: 0, timeoutMs: 10_000, install: {}, env: {} },
    );
    expect(summary.byOutcome.ok).toBe(1);
    const scan = store.scanResult(store.latestScan('memory').id);
    expect(diffScans(null, scan).counts.added).toBe(scan.tools.length);
    store.close();
  });
});

describe('library entry point, the README example', () => {
  it('scans a real server, renders its table, policy and SARIF, stores it and publishes the site', async () => {
    const { mkdtempSync, existsSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-library-'));
    const server = fileURLToPath(new URL('../node_modules/@modelcontextprotocol/server-memory/dist/index.js', import.meta.url));
    // From here to the end, the README's "Library API" example (paths made absolute).
    const { scanServer, classifySnapshot, viewFromSnapshot, renderScanTable, policyDecisions, renderPolicyAs, toSarif, openStore, buildSite } =
      await import('../src/index.js');
    const snapshot = await scanServer({ kind: 'stdio', name: 'memory', command: process.execPath, args: [server] });
    const verdicts = classifySnapshot(snapshot);
    const view = viewFromSnapshot(snapshot, verdicts);
    const table = renderScanTable(view);
    const intercept = renderPolicyAs('intercept', policyDecisions(view));
    const sarif = toSarif([{ view }], { version: '0.1.0', cwd: process.cwd() });
    const store = openStore(join(dir, 'mcp-risk.db'));
    store.recordScan(snapshot, verdicts);
    const site = buildSite(store, join(dir, 'site'));
    store.close();
    expect(table).toMatch(/delete_entities\s+Destructive\s+Critical/);
    expect(intercept).toContain('hide:');
    expect(sarif.runs[0]!.results!.length).toBeGreaterThan(0);
    expect(site.servers).toBe(1);
    expect(existsSync(join(dir, 'site/servers/memory/tools/delete_entities/index.html'))).toBe(true);
  }, 60_000);
});
