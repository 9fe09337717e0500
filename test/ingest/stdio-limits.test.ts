// Output bounds of the stdio scan: an over-long line is dropped as noise, a flood ends the session.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCAN_OPTIONS } from '../../src/ingest/index.js';
import { scanStdio } from '../../src/ingest/stdio.js';
import { testServer } from './helpers.js';

const LIMITS = { ...DEFAULT_SCAN_OPTIONS, connectTimeoutMs: 5000, listTimeoutMs: 5000 };

describe('stdio output bounds', () => {
  it('drops a line longer than maxLineBytes and still lists', async () => {
    const outcome = await scanStdio(testServer('long-line.mjs'), { ...LIMITS, maxLineBytes: 64 * 1024 });
    expect(outcome.status).toBe('ok');
    expect(outcome.tools.map((t) => t.definition.name)).toEqual(['fine']);
    expect(outcome.findings.find((f) => f.code === 'ingest.stdout-noise')?.args).toMatchObject({ count: 1, oversized: 1 });
  });

  it('ends a session whose stdout exceeds maxTotalBytes', async () => {
    const outcome = await scanStdio(testServer('garbage.mjs'), { ...LIMITS, maxTotalBytes: 100_000 });
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toContain('stdout limit');
  });
});
