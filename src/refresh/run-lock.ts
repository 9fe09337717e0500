// One refresh per database at a time: `<db>.lock` names the running refresh. A second one refuses
// before it resumes anything or touches the first one's servers; a lock left by a run that died is taken over.
import { closeSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { isAlive, startTimeOf } from '../ingest/process-tree.js';
import { McpRiskError } from '../model/errors.js';

interface Holder {
  pid: number;
  /** Kernel start time, so a recycled pid is not mistaken for the holder. */
  startTime?: string;
  host: string;
  startedAt: string;
}

export interface RunLock {
  release(): void;
}

function readHolder(path: string): Holder | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<Holder>;
    return typeof parsed.pid === 'number' && typeof parsed.host === 'string' ? (parsed as Holder) : undefined;
  } catch {
    return undefined;
  }
}

/** A holder on another machine (a shared disk) cannot be checked, so it counts as running. */
function holderRuns(holder: Holder): boolean {
  if (holder.host !== hostname()) return true;
  if (!isAlive(holder.pid)) return false;
  return holder.startTime === undefined || startTimeOf(holder.pid) === holder.startTime;
}

function busy(dbPath: string, holder: Holder): McpRiskError {
  const where = holder.host === hostname() ? `pid ${holder.pid}` : `pid ${holder.pid} on ${holder.host}`;
  return new McpRiskError('BUSY', `another refresh (${where}, started ${holder.startedAt}) is running on ${dbPath}`, {
    hint: 'Wait for it to finish, or give this refresh its own --db and merge the databases afterwards',
  });
}

/** Writes our holder record to a private file, then links it into place: the link fails if a lock exists. */
function tryPlace(lockPath: string, ours: Holder): boolean {
  const tmp = `${lockPath}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, `${JSON.stringify(ours)}\n`);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, lockPath);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new McpRiskError('DB_ERROR', `cannot create the refresh lock ${lockPath}: ${(error as Error).message}`);
  } finally {
    unlinkSync(tmp);
  }
}

/**
 * Takes the lock for a refresh of `dbPath`, or throws BUSY (exit 2) while another refresh holds it.
 * A stale lock is moved aside under a name of our own before it is removed, so two runs taking over
 * the same stale lock cannot remove each other's fresh one.
 */
export function acquireRunLock(dbPath: string): RunLock {
  const lockPath = `${dbPath}.lock`;
  const startTime = startTimeOf(process.pid);
  const ours: Holder = { pid: process.pid, ...(startTime !== undefined && { startTime }), host: hostname(), startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt += 1) {
    if (tryPlace(lockPath, ours)) {
      return {
        release: () => {
          const holder = readHolder(lockPath);
          if (holder?.pid === ours.pid && holder.startedAt === ours.startedAt) unlinkSync(lockPath);
        },
      };
    }
    // Always whole (linked into place after writing), so one that does not parse is not ours: stale.
    const holder = readHolder(lockPath);
    if (holder !== undefined && holderRuns(holder)) throw busy(dbPath, holder);
    const aside = `${lockPath}.stale.${process.pid}`;
    try {
      renameSync(lockPath, aside);
    } catch {
      continue; // Someone else moved it first.
    }
    const moved = readHolder(aside);
    if (moved !== undefined && (moved.pid !== holder?.pid || moved.startedAt !== holder.startedAt)) {
      // Not the stale lock we judged but a fresh one placed meanwhile: put it back and yield to it.
      try {
        linkSync(aside, lockPath);
      } catch {
        // A third run holds it now; either way we do not.
      }
      unlinkSync(aside);
      throw busy(dbPath, moved);
    }
    unlinkSync(aside);
  }
  throw busy(dbPath, readHolder(lockPath) ?? { pid: 0, host: 'unknown', startedAt: 'just now' });
}
