// Ends a spawned server's whole process tree: SIGTERM to its group, a short grace, then SIGKILL.
import { readdirSync, readFileSync } from 'node:fs';
import { execFile } from 'node:child_process';

export const DEFAULT_GRACE_MS = 500;
const KILL_WAIT_MS = 2000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function signal(pid: number, sig: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch (error) {
    // Not ours to signal, but there: alive (another user's refresh holding a lock, say).
    return sig === 0 && (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Linux: field 22 of /proc/PID/stat. Elsewhere undefined, and leftovers are not reaped by pid. */
export function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

interface ProcEntry {
  pid: number;
  ppid: number;
  pgrp: number;
  state: string;
}

function readProcEntry(pid: number): ProcEntry | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces and parentheses; fields resume after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { pid, state: fields[0] ?? '', ppid: Number(fields[1]), pgrp: Number(fields[2]) };
  } catch {
    return undefined;
  }
}

function procTable(): ProcEntry[] {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return [];
  }
  const table: ProcEntry[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const entry = readProcEntry(Number(name));
    if (entry !== undefined) table.push(entry);
  }
  return table;
}

/**
 * True while the process runs. A zombie counts as gone: it runs nothing, and in a container whose
 * init does not reap, orphans can stay zombies forever.
 */
export function isAlive(pid: number): boolean {
  if (!signal(pid, 0)) return false;
  if (process.platform !== 'linux') return true;
  const entry = readProcEntry(pid);
  return entry !== undefined && entry.state !== 'Z' && entry.state !== 'X';
}

/**
 * Members of the group led by `root` plus its descendants (Linux only, via /proc). A grandchild
 * that moved to its own group (setsid, `detached`) escapes the group signal; following parent links
 * catches it as long as the chain is intact when we look.
 */
function treeMembers(root: number): number[] {
  if (process.platform !== 'linux') return [];
  const table = procTable();
  const found = new Set<number>();
  for (const entry of table) if (entry.pgrp === root && entry.pid !== root) found.add(entry.pid);
  const children = new Map<number, number[]>();
  for (const entry of table) {
    const list = children.get(entry.ppid) ?? [];
    list.push(entry.pid);
    children.set(entry.ppid, list);
  }
  const queue = [root, ...found];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    for (const child of children.get(pid) ?? []) {
      if (found.has(child)) continue;
      found.add(child);
      queue.push(child);
    }
  }
  return [...found];
}

async function waitGone(pids: number[], ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (!pids.some(isAlive)) return true;
    if (Date.now() >= deadline) return false;
    await sleep(20);
  }
}

/**
 * Ends the process group led by `pid` (the child was spawned `detached`, so its pid is its group id)
 * plus any descendants that left the group. Resolves once everything is gone or SIGKILL was sent.
 */
export async function killProcessTree(pid: number, graceMs: number = DEFAULT_GRACE_MS): Promise<void> {
  if (process.platform === 'win32') {
    // No process groups on Windows; taskkill /T walks the tree itself.
    await new Promise<void>((resolve) => {
      execFile('taskkill', ['/pid', String(pid), '/T', '/F'], () => resolve());
    });
    return;
  }
  const members = [pid, ...treeMembers(pid)];
  signal(-pid, 'SIGTERM');
  for (const member of members) signal(member, 'SIGTERM');
  // Off Linux we cannot list members, so the group itself is what we wait on.
  const watched = process.platform === 'linux' ? members : [...members, -pid];
  if (await waitGone(watched, graceMs)) return;
  // Look again: a server may have forked while it was shutting down.
  const all = [...new Set([...members, ...treeMembers(pid)])];
  signal(-pid, 'SIGKILL');
  for (const member of all) signal(member, 'SIGKILL');
  // SIGKILL is not instant (a namespace's processes are reaped first): wait for it even with no grace.
  await waitGone(process.platform === 'linux' ? all : [...all, -pid], Math.max(graceMs, KILL_WAIT_MS));
}
