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
