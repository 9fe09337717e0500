// The streamed scan JSON is the whole document's text, byte for byte, pretty or compact, with hidden
// characters escaped in every piece; and classify writes it to stdout and to a file the same way.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifySnapshot } from '../../src/classify/index.js';
import { loadManifest } from '../../src/ingest/manifest.js';
import { scanJsonChunks, toScanJson } from '../../src/output/json.js';
import { jsonText } from '../../src/output/safe-text.js';
import { viewFromSnapshot } from '../../src/output/view.js';
import { mcpRisk, ROOT } from '../support/cli.js';
import { snapshot, tool } from '../store/make.js';

describe('scanJsonChunks', () => {
  it('joins to exactly the text of the whole document, for real servers, hostile text and no tools', async () => {
    const views = [];
    for (const name of ['stripe', 'github', 'memory']) {
      const m = await loadManifest(join(ROOT, `test/fixtures/servers/${name}.json`));
      if (m.kind !== 'snapshot') throw new Error('a tool list');
      views.push(viewFromSnapshot(m.snapshot, classifySnapshot(m.snapshot)));
    }
    const hostile = snapshot('x', [tool('a\u202eb'), tool('tag\u{e0041}')]);
    views.push(viewFromSnapshot(hostile, classifySnapshot(hostile)));
    views.push(viewFromSnapshot(snapshot('empty', []), []));
    for (const view of views) {
      for (const compact of [false, true]) {
        const chunks = [...scanJsonChunks(view, compact)];
        expect(chunks.join('')).toBe(jsonText(toScanJson(view), compact));
        // Head, middle and tail, then one chunk per tool and per finding, plus each list's closer.
        const list = (n: number): number => (n === 0 ? 1 : n + 1);
        expect(chunks.length).toBe(3 + list(view.tools.length) + list(view.findings.length));
      }
    }
  });

  it('is what classify writes, to stdout and to a file', async () => {
    const stripe = join(ROOT, 'test/fixtures/servers/stripe.json');
    const out = join(mkdtempSync(join(tmpdir(), 'mcp-risk-stream-')), 'report.json');
    const file = await mcpRisk(['classify', stripe, '--format', 'json', '--output', out, '--compact']);
    expect(file.code).toBe(0);
    const written = JSON.parse(readFileSync(out, 'utf8')) as { tools: unknown[]; schema: string };
    expect(written.schema).toBe('mcp-risk/scan@1');
    expect(written.tools).toHaveLength(22);
    const stdout = JSON.parse((await mcpRisk(['classify', stripe, '--json'])).stdout) as { tools: Array<{ name: string }> };
    expect(stdout.tools.map((t) => t.name)).toEqual((written.tools as Array<{ name: string }>).map((t) => t.name));
  });
});
