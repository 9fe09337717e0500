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
