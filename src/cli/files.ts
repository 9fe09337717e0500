// Writes output files whole or not at all: a crash mid-write never leaves half a policy.
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { McpRiskError } from '../model/index.js';
import { safeText } from '../output/safe-text.js';
import { note } from './io.js';
import type { Io } from './io.js';

export function writeFileAtomic(path: string, content: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, content);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new McpRiskError('OUTPUT_FAILED', `cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** A policy file, written whole, and said on stderr: which format went where. */
export function writePolicyFile(path: string, format: string, content: string, io: Pick<Io, 'err'>): void {
  writeFileAtomic(path, content);
  note(io, `mcp-risk: wrote policy (${format}) to ${safeText(path, 300)}\n`);
}
