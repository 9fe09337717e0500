// Rendered text kept in a temporary file instead of memory, read back piece by piece in any order:
// a streamed classify writes each tool's JSON here, then copies the pieces out sorted.
import { closeSync, mkdtempSync, openSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { McpRiskError } from '../model/errors.js';

/** Pieces are joined up to this many bytes before a write, and read back in windows of this size. */
const BLOCK = 1 << 20;

export class TextSpool {
  private readonly fd: number;
  private readonly base: string;
  /** Byte offset and length of each piece, by piece number: typed arrays grown by doubling, 12 bytes a piece. */
  private offsets = new Float64Array(1024);
  private lengths = new Uint32Array(1024);
  private count = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private written = 0;

  /** `base` is the directory to work in: the caller's TMPDIR. */
  constructor(base: string = tmpdir()) {
    // Made in a directory of our own (mode 0700), so nobody else on the machine opens or swaps the file,
    // then unlinked with its directory at once: the descriptor keeps the data, and a run that is killed
    // leaves nothing behind.
    let dir: string | undefined;
    let fd: number | undefined;
    try {
      dir = mkdtempSync(join(base, 'mcp-risk-spool-'));
      const path = join(dir, 'pieces');
      fd = openSync(path, 'w+', 0o600);
      unlinkSync(path);
    } catch (error) {
      if (fd !== undefined) closeSync(fd);
      throw spoolFailed('made', base, error);
    } finally {
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    }
    this.fd = fd;
    this.base = base;
  }

  /** Keeps `text`; returns its piece number (0, 1, 2, … in the order added). */
  add(text: string): number {
    const bytes = Buffer.from(text, 'utf8');
    if (this.count === this.offsets.length) this.grow();
    this.offsets[this.count] = this.written + this.pendingBytes;
    this.lengths[this.count] = bytes.length;
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    if (this.pendingBytes >= BLOCK) this.flush();
    return this.count++;
  }

  private grow(): void {
    const offsets = new Float64Array(this.offsets.length * 2);
    offsets.set(this.offsets);
    this.offsets = offsets;
    const lengths = new Uint32Array(this.lengths.length * 2);
    lengths.set(this.lengths);
    this.lengths = lengths;
  }

  private flush(): void {
    if (this.pendingBytes === 0) return;
    const block = Buffer.concat(this.pending, this.pendingBytes);
    try {
      for (let at = 0; at < block.length;) at += writeSync(this.fd, block, at, block.length - at, this.written + at);
    } catch (error) {
      throw spoolFailed('written', this.base, error);
    }
    this.written += block.length;
    this.pending = [];
    this.pendingBytes = 0;
  }

  /**
   * The pieces in the order given. Pieces that lie one after another in the file are read together,
   * up to a block at a time; a piece out of order costs one read of its own length.
   */
  *read(list: ArrayLike<number>): Generator<string> {
    this.flush();
    let window: Buffer = Buffer.alloc(0);
    let windowStart = 0;
    for (let k = 0; k < list.length; k++) {
      const piece = list[k]!;
      const start = this.offsets[piece]!;
      const end = start + this.lengths[piece]!;
      if (start < windowStart || end > windowStart + window.length) {
        // Extend the read over the following pieces while they continue this one in the file.
        let last = end;
        for (let j = k + 1; j < list.length && this.offsets[list[j]!] === last && last - start < BLOCK; j++) last += this.lengths[list[j]!]!;
        window = this.bytes(start, last);
        windowStart = start;
      }
      yield window.toString('utf8', start - windowStart, end - windowStart);
    }
  }

  private bytes(start: number, end: number): Buffer {
    const buf = Buffer.allocUnsafe(end - start);
    try {
      for (let at = 0; at < buf.length;) {
        const n = readSync(this.fd, buf, at, buf.length - at, start + at);
        if (n === 0) throw new Error('it is shorter than what was written to it');
        at += n;
      }
    } catch (error) {
      throw spoolFailed('read back', this.base, error);
    }
    return buf;
  }

  /** Closes the file, which frees its space; call once, when done (also after an error). */
  dispose(): void {
    closeSync(this.fd);
  }
}

/** One line for a user: the spool's place is TMPDIR, which they can point at a disk with room. */
function spoolFailed(what: string, base: string, error: unknown): McpRiskError {
  const reason = error instanceof Error ? error.message : String(error);
  return new McpRiskError('OUTPUT_FAILED', `the temporary file that holds rendered tools could not be ${what} under ${base}: ${reason}`, {
    hint: 'set TMPDIR to a writable directory with room for about 2 KB a tool',
    cause: error,
  });
}
