// `mcp-risk scan` with an LLM endpoint, end to end: real server, real SQLite file, our fake model on loopback;
// run() in process, and one real process for the key, so it sits in the environment the program inherited.
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLlm, status } from '../support/fake-llm.js';
import type { FakeLlm } from '../support/fake-llm.js';
import { fakeModel, fencedTools, userContent } from '../support/fake-model.js';
import { mcpRisk, mcpRiskProcess } from '../support/cli.js';
import { everythingStored, storedDefinition } from '../support/stored.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const memory = join(root, 'node_modules/@modelcontextprotocol/server-memory/dist/index.js');
const envReporter = join(root, 'test/servers/env-reporter.mjs');
const KEY = 'sk-test-never-leaks-4242';

describe('mcp-risk scan with an LLM endpoint', () => {
  let fake: FakeLlm;
  let dir: string;
  let db: string;
  let llmArgs: string[];

  beforeAll(async () => {
    fake = await startFakeLlm({ respond: fakeModel() });
    dir = mkdtempSync(join(tmpdir(), 'mcp-risk-scan-llm-'));
    db = join(dir, 'results.db');
    llmArgs = ['--llm-base-url', fake.baseURL, '--llm-model', 'fake-model'];
  });
  afterAll(async () => {
    await fake.close();
  });

  it('classifies with rules+llm, records provenance and usage, prints the usage line', async () => {
    const table = await mcpRisk(['scan', '--db', db, ...llmArgs, '--name', 'memory', '--', process.execPath, memory], { OPENAI_API_KEY: KEY });
    expect(table.stderr).toBe('');
    expect(table.code).toBe(0);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(fencedTools(userContent(fake.requests[0]!)).map((t) => t.data.name)).toContain('delete_entities');
    expect(table.stdout).toMatch(/LLM: fake-model with classify-tools@2 · 1 request · 0 cached · [\d,]+ prompt \+ [\d,]+ completion tokens/);
    expect(table.stdout).not.toContain('Rules only');

    const shown = await mcpRisk(['show', 'memory', '--json', '--db', db]);
    const json = JSON.parse(shown.stdout) as {
      scan: { llm: Record<string, unknown> };
      tools: Array<{ name: string; method: string; provenance: Record<string, string>; llm?: { status: string } }>;
    };
    expect(json.scan.llm).toMatchObject({ status: 'ok', model: 'fake-model', prompt: 'classify-tools@2', requests: 1 });
    expect(json.tools.every((t) => t.method === 'rules+llm' && t.provenance.model === 'fake-model' && t.llm?.status === 'ok')).toBe(true);
  });

  it('a second scan of the unchanged server makes zero LLM requests', async () => {
    const again = await mcpRisk(['scan', '--db', db, '--json', ...llmArgs, '--name', 'memory', '--', process.execPath, memory], { OPENAI_API_KEY: KEY });
    expect(again.code).toBe(0);
    expect(fake.requests).toHaveLength(1);
    const json = JSON.parse(again.stdout) as { scan: { llm: Record<string, unknown> } };
    // The same per-server pipeline as refresh: unchanged definitions keep their verdicts, so nothing is asked.
    expect(json.scan.llm).toMatchObject({ status: 'ok', requests: 0, promptTokens: 0 });
  });

  it('our API key reaches the LLM endpoint, never the scanned server, the database or the output', async () => {
    const result = await mcpRiskProcess(['scan', '--db', db, '--json', ...llmArgs, '--', process.execPath, envReporter], { OPENAI_API_KEY: KEY });
    expect(result.code).toBe(0);
    expect(fake.requests.at(-1)!.headers.authorization).toBe(`Bearer ${KEY}`);
    const serverEnv = JSON.parse(storedDefinition(db, 'env')?.description ?? '') as Record<string, string>;
    expect(serverEnv.OPENAI_API_KEY).toBeUndefined();
    expect(Object.values(serverEnv)).not.toContain(KEY);
    // Nowhere in the database, packed definitions and verdicts included.
    expect(everythingStored(db)).not.toContain(KEY);
    // Not in the prompt either: the fenced tool text is what the server saw, not what we have.
    expect(JSON.stringify(fake.requests.at(-1)!.body)).not.toContain(KEY);
    expect(result.stdout + result.stderr).not.toContain(KEY);
    for (const file of readdirSync(dir)) expect(readFileSync(join(dir, file)).includes(KEY), file).toBe(false);
  });

  it('an endpoint that stays down: rules-only verdicts, a one-line warning, status failed, exit 0', async () => {
    fake.script(...Array.from({ length: 3 }, () => status(503)));
    const result = await mcpRisk(
      [
        'scan',
        '--db',
        join(dir, 'down.db'),
        '--json',
        ...llmArgs,
        '--llm-model',
        'other-model',
        '--llm-retries',
        '2',
        '--name',
        'memory-down',
        '--',
        process.execPath,
        memory,
      ],
      { OPENAI_API_KEY: KEY },
    );
    expect(result.code).toBe(0);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(
      /^mcp-risk: warning: memory-down: LLM part failed: LLM endpoint unavailable: 503 .* after 3 attempts; rules-only verdicts kept/,
    );
    const json = JSON.parse(result.stdout) as { scan: { llm: { status: string } }; tools: Array<{ name: string; category: string; method: string }> };
    expect(json.scan.llm.status).toBe('failed');
    expect(json.tools.find((t) => t.name === 'delete_entities')).toMatchObject({ category: 'Destructive', method: 'rules' });
  });

  it('says once that it runs on rules alone when no endpoint is configured', async () => {
    const result = await mcpRisk(['scan', '--db', join(dir, 'rules.db'), '--name', 'memory', '--', process.execPath, memory]);
    expect(result.code).toBe(0);
    expect(result.stdout.match(/Rules only: no LLM endpoint configured/g)).toHaveLength(1);
  });
});
