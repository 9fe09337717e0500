// The five catalogue seed tools: Destructive / Critical, and hidden by the starter policy.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toToolRecord } from '../src/model/index.js';
import type { ToolDefinition } from '../src/model/index.js';
import { classifyTool } from '../src/classify/index.js';
import { buildStarterPolicy } from '../src/output/index.js';

const seeds = JSON.parse(readFileSync(new URL('./fixtures/seeds.json', import.meta.url), 'utf8')) as {
  servers: Array<{ server: string; tool: ToolDefinition }>;
};

describe('catalogue seed tools', () => {
  it.each(seeds.servers.map((s) => [s.tool.name, s] as const))('%s is Destructive / Critical and hidden', (_name, seed) => {
    const classification = classifyTool(toToolRecord(seed.tool), { serverName: seed.server });
    expect(classification.category).toBe('Destructive');
    expect(classification.risk).toBe('Critical');
    expect(classification.signals.length).toBeGreaterThan(0);
    const policy = buildStarterPolicy([{ name: seed.tool.name, category: classification.category }]);
    expect(policy.default).toBe('deny');
    expect(policy.hide).toEqual([seed.tool.name]);
    expect(policy.tools?.[seed.tool.name]).toBeUndefined();
  });
});
