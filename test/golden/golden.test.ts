// Whole-pipeline golden files: real captured tool lists in, normalised classifications out.
// Regenerate with `npm run golden:update` and review the diff.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadManifest } from '../../src/ingest/index.js';
import { classifySnapshot } from '../../src/classify/index.js';
import { canonicalJson } from '../../src/model/index.js';

const fixturesDir = fileURLToPath(new URL('../fixtures/servers/', import.meta.url));
const update = process.env['UPDATE_GOLDEN'] === '1';

/** Sorted keys, no timestamps, no absolute paths: only what a reviewer should see change. */
async function normalisedClassifications(file: string): Promise<unknown> {
  const manifest = await loadManifest(`${fixturesDir}${file}`);
  if (manifest.kind !== 'snapshot') throw new Error(`${file} is not a tool list`);
  const tools = classifySnapshot(manifest.snapshot)
    .map((c) => ({
      tool: c.tool,
      hash: c.hash,
      category: c.category,
      risk: c.risk,
      score: c.score,
      capabilities: c.capabilities,
      signals: c.signals,
      evidence: c.evidence,
      rationale: c.rationale,
      confidence: c.confidence,
      findings: c.findings,
    }))
    .sort((a, b) => (a.tool < b.tool ? -1 : 1));
  return JSON.parse(canonicalJson({ server: manifest.snapshot.name, findings: manifest.snapshot.findings, tools }));
}

describe('golden classifications of real servers', () => {
  const files = readdirSync(fixturesDir).filter((f) => f.endsWith('.json'));
  it('has fixtures for the required real servers', () => {
    for (const required of ['everything.json', 'filesystem.json', 'memory.json']) expect(files).toContain(required);
  });
  it.each(files)('%s', async (file) => {
    const actual = await normalisedClassifications(file);
    const goldenPath = fileURLToPath(new URL(`./${file}`, import.meta.url));
    if (update || !existsSync(goldenPath)) {
      if (!update) throw new Error(`missing golden file ${file}: run npm run golden:update`);
      writeFileSync(goldenPath, JSON.stringify(actual, null, 2) + '\n');
    }
    expect(actual).toEqual(JSON.parse(readFileSync(goldenPath, 'utf8')));
  });
});
