// The prompt file: shipped versions are frozen, the taxonomy comes from data/, placeholders are all known.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadTaxonomy } from '../../src/classify/index.js';
import { buildRequest, compilePrompt, loadPrompt } from '../../src/llm/index.js';
import { tool } from '../store/make.js';

const promptsDir = fileURLToPath(new URL('../../prompts/', import.meta.url));

describe('prompts/', () => {
  it('holds every shipped prompt version to the bytes it shipped with', () => {
    const shipped = JSON.parse(readFileSync(`${promptsDir}shipped.json`, 'utf8')) as Record<string, string>;
    const files = readdirSync(promptsDir).filter((f) => /\.v\d+\.md$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const [, id, version] = /^(.+)\.v(\d+)\.md$/.exec(file)!;
      const ref = `${id}@${version}`;
      const sha = createHash('sha256')
        .update(readFileSync(`${promptsDir}${file}`))
        .digest('hex');
      expect(shipped[ref], `${file} is not recorded in prompts/shipped.json`).toBeDefined();
      expect(sha, `${file} changed after it shipped: make a new version instead`).toBe(shipped[ref]);
    }
  });

  it('fills the taxonomy from data/taxonomy.yaml, examples and do-not-flag examples included', () => {
    const taxonomy = loadTaxonomy();
    const p = loadPrompt('classify-tools@1');
    expect(p.ref).toBe('classify-tools@1');
    expect(p.system).not.toMatch(/\{\{/);
    expect(p.system).toContain(taxonomy.version);
    for (const c of taxonomy.categories.values()) {
      expect(p.system).toContain(`**${c.id}** (default risk ${c.defaultRisk})`);
      for (const e of [...c.examples, ...c.notExamples]) expect(p.system).toContain(e);
    }
    for (const id of taxonomy.capabilities.keys()) expect(p.system).toContain(`\`${id}\``);
  });

  it('refuses a prompt that uses a placeholder it does not declare', () => {
    const text = '---\nid: x\nversion: 1\nplaceholders:\n  system: []\n  user: []\n---\n<!-- system -->\nHello {{secret}}\n<!-- user -->\nx';
    expect(() => compilePrompt(text, loadTaxonomy())).toThrow(/does not declare/);
  });

  it('a missing prompt version is one clear error', () => {
    expect(() => loadPrompt('classify-tools@99')).toThrow(/no prompt classify-tools@99/);
    expect(() => loadPrompt('nonsense')).toThrow(/id@version/);
  });

  it('builds a request: system prompt, server context and tools as fenced data, reply schema', () => {
    const request = buildRequest(loadPrompt(), { name: 'srv', instructions: 'Be nice.', toolNames: ['a', 'b'] }, [
      tool('a', 'Reads a.'),
      tool('b', 'x'.repeat(10_000)),
    ]);
    expect(request.messages[0]!.role).toBe('system');
    const user = request.messages[1]!.content;
    expect(user).toMatch(/NONCE for this\nrequest is [0-9a-f]{24}/);
    expect(user.match(/^<<<data-[0-9a-f]{24} id=t\d>>>$/gm)).toHaveLength(2);
    expect(user).toContain('kind=server');
    // Bounded: a 10,000 character description is cut.
    expect(user.length).toBeLessThan(6_000);
    expect(user).toContain('[cut: 8000 more characters]');
    expect(request.schemaName).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
  });
});
