// Writes output files whole or not at all: a crash mid-write never leaves half a policy.
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { McpRiskError } from '../model/index.js';

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
