// Every server process group we started and have not ended yet: ended together on a signal, and kept in a
// file so that a run killed outright (SIGKILL, a lost machine) has its leftovers ended by the next run.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isAlive, killProcessTree, startTimeOf } from './process-tree.js';

interface LedgerEntry {
  pid: number;
  /** Kernel start time (Linux), so a recycled pid is never mistaken for our child. */
  startTime?: string;
}

const live = new Map<number, LedgerEntry>();
let ledgerPath: string | undefined;

function persist(): void {
  if (ledgerPath === undefined) return;
  try {
    const tmp = `${ledgerPath}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify([...live.values()]));
    renameSync(tmp, ledgerPath);
  } catch {
    // The ledger is a safety net; a scan must not fail because it could not be written.
  }
}

/** Keep the ledger in this file from now on (a refresh sets it beside its database). */
export function useChildLedger(path: string | undefined): void {
  ledgerPath = path;
  persist();
}

export function registerChild(pid: number): void {
  const entry: LedgerEntry = { pid };
  const startTime = startTimeOf(pid);
  if (startTime !== undefined) entry.startTime = startTime;
  live.set(pid, entry);
  persist();
}

export function releaseChild(pid: number): void {
  if (live.delete(pid)) persist();
}

export function liveChildren(): number[] {
  return [...live.keys()];
}

/** Ends every live server tree now (a refresh interrupted by SIGINT or SIGTERM). */
export async function endAllChildren(graceMs = 200): Promise<void> {
  await Promise.all([...live.keys()].map((pid) => killProcessTree(pid, graceMs)));
  live.clear();
  persist();
}

/**
 * Ends process groups a previous run recorded and did not end: only those still alive with the same
 * start time. Returns how many were ended.
 */
export async function reapLeftoverChildren(path: string): Promise<number> {
  let entries: LedgerEntry[];
  try {
    entries = JSON.parse(readFileSync(path, 'utf8')) as LedgerEntry[];
  } catch {
    return 0;
  }
  let ended = 0;
  for (const e of Array.isArray(entries) ? entries : []) {
    if (typeof e?.pid !== 'number' || e.startTime === undefined || live.has(e.pid)) continue;
    if (!isAlive(e.pid) || startTimeOf(e.pid) !== e.startTime) continue;
    await killProcessTree(e.pid, 200);
    ended += 1;
  }
  return ended;
}
