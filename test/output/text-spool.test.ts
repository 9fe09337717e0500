import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { McpRiskError } from '../../src/model/errors.js';
import { TextSpool } from '../../src/output/text-spool.js';

/** A piece whose text says which it is, with multi-byte characters so byte and character counts differ. */
const piece = (i: number): string => `${i}:${'é'.repeat(i % 7)}${'x'.repeat((i * 37) % 300)}\u{1F600}`;

describe('TextSpool', () => {
  it('gives every piece back, in any order, past its first blocks and its first table size', () => {
    const spool = new TextSpool();
    try {
      // 5,000 pieces: past the 1,024 slots the offset table starts with, and several 1 MiB blocks.
      const count = 5000;
      const numbers = Array.from({ length: count }, (_, i) => spool.add(piece(i)));
      expect(numbers).toEqual(Array.from({ length: count }, (_, i) => i));
      expect([...spool.read(numbers)]).toEqual(numbers.map(piece));
      // A fixed shuffle: out-of-order pieces are read one by one, runs in file order together.
      const shuffled = numbers.map((i) => (i * 7919) % count);
      expect(new Set(shuffled).size).toBe(count);
      expect([...spool.read(Uint32Array.from(shuffled))]).toEqual(shuffled.map(piece));
      // Reading again, and adding after a read, still work.
      expect(spool.add('after')).toBe(count);
      expect([...spool.read([count, 0])]).toEqual(['after', piece(0)]);
    } finally {
      spool.dispose();
    }
  });

  it('keeps an empty piece and leaves nothing under TMPDIR, even before it is disposed', () => {
    // A TMPDIR of this test's own, so spools of other tests running meanwhile are not seen.
    const base = mkdtempSync(join(tmpdir(), 'mcp-risk-spool-test-'));
    try {
      const spool = withTmpdir(base, () => new TextSpool());
      // The file was unlinked with its private directory as soon as it was open: a killed run leaves no trace.
      expect(readdirSync(base)).toEqual([]);
      try {
        expect(spool.add('')).toBe(0);
        expect(spool.add('b')).toBe(1);
        expect([...spool.read([1, 0, 1])]).toEqual(['b', '', 'b']);
      } finally {
        spool.dispose();
      }
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });

  it('says in one line, naming TMPDIR, when it cannot make its file there', () => {
    const base = mkdtempSync(join(tmpdir(), 'mcp-risk-spool-test-'));
    try {
      const missing = join(base, 'missing');
      const error = catchError(() => withTmpdir(missing, () => new TextSpool()));
      expect(error).toBeInstanceOf(McpRiskError);
      expect((error as McpRiskError).code).toBe('OUTPUT_FAILED');
      expect((error as McpRiskError).message).toContain(`could not be made under ${missing}: ENOENT`);
      expect((error as McpRiskError).message).not.toContain('\n');
      expect(readdirSync(base)).toEqual([]);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});

function withTmpdir<T>(dir: string, work: () => T): T {
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  try {
    return work();
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
}

function catchError(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  return undefined;
}
