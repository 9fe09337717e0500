// A server is on record the moment it is spawned: a refresh SIGKILLed right after a spawn still has it
// in `<db>.children.json`, so the next run can end it (the wrapper also dies with us, see containment.ts).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { liveChildren, scrubbedEnv, useChildLedger } from '../../src/ingest/index.js';
import { StdioProcessTransport } from '../../src/ingest/stdio-transport.js';
import { testServer } from '../ingest/helpers.js';

describe('the child ledger', () => {
  afterEach(() => useChildLedger(undefined));

  it('records a server in the ledger file before start() has even returned', async () => {
    const ledger = join(mkdtempSync(join(tmpdir(), 'mcp-risk-ledger-')), 'r.db.children.json');
    useChildLedger(ledger);
    const target = testServer('slow-tools.mjs', 'ledger');
    const transport = new StdioProcessTransport({ command: target.command, args: target.args, env: scrubbedEnv() });
    const starting = transport.start();
    // Nothing awaited yet: no 'spawn' event can have fired, so this is the synchronous registration.
    const pid = transport.pid;
    expect(pid).toBeGreaterThan(0);
    expect(liveChildren()).toContain(pid);
    expect((JSON.parse(readFileSync(ledger, 'utf8')) as { pid: number }[]).map((e) => e.pid)).toContain(pid);
    await starting;
    await transport.close();
    expect(liveChildren()).not.toContain(pid);
    expect((JSON.parse(readFileSync(ledger, 'utf8')) as { pid: number }[]).map((e) => e.pid)).not.toContain(pid);
  });
});
