// When the LLM runs, and with what: flags over environment over the config file; keys only from the environment.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLlmConfigFile, resolveLlmChoice } from '../../src/llm/index.js';

describe('resolveLlmChoice', () => {
  it('is off, with the reason, when nothing is configured', () => {
    expect(resolveLlmChoice({}, {})).toEqual({ enabled: false, reason: expect.stringMatching(/no LLM endpoint configured/) });
  });

  it('turns on with an API key, with defaults', () => {
    const c = resolveLlmChoice({}, { OPENAI_API_KEY: 'sk-x' });
    expect(c.enabled && c.settings).toMatchObject({
      model: 'gpt-4o-mini',
      prompt: 'classify-tools@2',
      batchSize: 20,
      endpoint: { apiKey: 'sk-x', concurrency: 4 },
    });
  });

  it('turns on with only a base URL (a local server needs no key)', () => {
    const c = resolveLlmChoice({ baseUrl: 'http://127.0.0.1:11434/v1', model: 'llama3' }, {});
    expect(c.enabled && c.settings).toMatchObject({ model: 'llama3', where: 'http://127.0.0.1:11434/v1', endpoint: { baseURL: 'http://127.0.0.1:11434/v1' } });
  });

  it('--no-llm wins over a configured key; --llm without an endpoint is a usage error', () => {
    expect(resolveLlmChoice({ noLlm: true }, { OPENAI_API_KEY: 'sk-x' })).toMatchObject({ enabled: false, reason: 'disabled with --no-llm' });
    expect(() => resolveLlmChoice({ llm: true }, {})).toThrow(/--llm needs an endpoint/);
  });

  it('takes flags over environment over file', () => {
    const c = resolveLlmChoice(
      { batchSize: 5 },
      { OPENAI_API_KEY: 'k', MCP_RISK_LLM_MODEL: 'env-model' },
      { model: 'file-model', batchSize: 9, concurrency: 2 },
    );
    expect(c.enabled && c.settings).toMatchObject({ model: 'env-model', batchSize: 5, endpoint: { concurrency: 2 } });
  });

  it('uses Azure OpenAI from its environment variables', () => {
    const c = resolveLlmChoice({}, { AZURE_OPENAI_ENDPOINT: 'https://x.openai.azure.com', AZURE_OPENAI_API_KEY: 'az', AZURE_OPENAI_DEPLOYMENT: 'gpt4o' });
    expect(c.enabled && c.settings).toMatchObject({
      model: 'gpt4o',
      endpoint: { apiKey: 'az', azure: { endpoint: 'https://x.openai.azure.com', deployment: 'gpt4o' } },
    });
  });

  it('never shows the key where the endpoint is named', () => {
    const c = resolveLlmChoice({}, { OPENAI_API_KEY: 'sk-secret-value' });
    expect(c.enabled && c.settings.where).not.toContain('sk-secret-value');
  });
});

describe('config file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-config-'));

  it('reads the llm section', () => {
    const path = join(dir, 'ok.yaml');
    writeFileSync(path, 'llm:\n  model: m\n  requestsPerMinute: 30\n');
    expect(readLlmConfigFile(path)).toEqual({ model: 'm', requestsPerMinute: 30 });
  });

  it('refuses a key in the file, and unknown keys', () => {
    const withKey = join(dir, 'key.yaml');
    writeFileSync(withKey, 'llm:\n  apiKey: sk-in-a-file\n');
    expect(() => readLlmConfigFile(withKey)).toThrow(/not read from files/);
    const typo = join(dir, 'typo.yaml');
    writeFileSync(typo, 'llm:\n  modle: m\n');
    expect(() => readLlmConfigFile(typo)).toThrow(/unknown key llm.modle/);
    expect(() => readLlmConfigFile(join(dir, 'missing.yaml'))).toThrow(/does not exist/);
  });
});
