// Writes output files whole or not at all: a crash mid-write never leaves half a policy.
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { McpRiskError } from '../model/index.js';
import { safeText } from '../output/safe-text.js';
import { note } from './io.js';
import type { Io } from './io.js';

export function writeFileAtomic(path: string, content: string): void {
  const file = new AtomicFile(path);
  file.write(content);
  file.commit();
}

/**
 * A file written piece by piece under a temporary name and renamed into place by commit(): readers see
 * the old file or the whole new one, and no piece needs the others in memory.
 */
export class AtomicFile {
  private readonly temporary: string;
  private fd: number | undefined;
  constructor(private readonly path: string) {
    this.temporary = `${path}.${process.pid}.tmp`;
  }
  write(text: string): void {
    try {
      this.fd ??= openSync(this.temporary, 'w');
      // writeSync may write less than asked: go on until the whole piece is out.
      const bytes = Buffer.from(text);
      for (let done = 0; done < bytes.length;) done += writeSync(this.fd, bytes, done);
    } catch (error) {
      this.fail(error);
    }
  }
  commit(): void {
    try {
      this.fd ??= openSync(this.temporary, 'w');
      closeSync(this.fd);
      this.fd = undefined;
      renameSync(this.temporary, this.path);
    } catch (error) {
      this.fail(error);
    }
  }
  private fail(error: unknown): never {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    rmSync(this.temporary, { force: true });
    throw new McpRiskError('OUTPUT_FAILED', `cannot write ${this.path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** A policy file, written whole, and said on stderr: which format went where. */
export function writePolicyFile(path: string, format: string, content: string, io: Pick<Io, 'err'>): void {
  writeFileAtomic(path, content);
  note(io, `mcp-risk: wrote policy (${format}) to ${safeText(path, 300)}\n`);
}
