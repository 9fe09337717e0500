// Packed definitions and verdicts round-trip; a damaged or oversized blob is one DB_ERROR, not a crash.
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { MAX_UNPACKED_BYTES, packJson, unpackJson } from '../../src/store/packed-json.js';
import { thrownMcpRiskError } from '../support/errors.js';

describe('packed JSON', () => {
  it('round-trips a value, text outside ASCII included, and packs repetitive JSON smaller', () => {
    const value = { name: 'read_file', description: 'Reads ünïcödé, 中文 and emoji 🦀. '.repeat(20), n: [1, 2.5, null, true] };
    const packed = packJson(value);
    expect(unpackJson(packed)).toEqual(value);
    expect(packed.length).toBeLessThan(JSON.stringify(value).length / 2);
  });

  it('refuses bytes that are not a packed blob with one line of DB_ERROR', () => {
    const err = thrownMcpRiskError(() => unpackJson(Buffer.from([0xff, 0xfe, 0xfd, 0x00, 0x01])));
    expect(err.code).toBe('DB_ERROR');
    expect(err.message).not.toContain('\n');
  });

  it('refuses a blob that unpacks past the bound instead of filling memory', () => {
    // A few kilobytes that inflate to more than the bound: what a hostile merged file could hold.
    const bomb = deflateRawSync(Buffer.alloc(MAX_UNPACKED_BYTES + 1024, 0x20), { level: 9 });
    expect(bomb.length).toBeLessThan(200_000);
    expect(thrownMcpRiskError(() => unpackJson(bomb)).code).toBe('DB_ERROR');
  });

  it('refuses a blob that unpacks to something other than JSON', () => {
    expect(thrownMcpRiskError(() => unpackJson(deflateRawSync('not json'))).message).toContain('not JSON');
  });
});
