// Test helpers: paths to the test servers, and starting/stopping loopback HTTP servers.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { StdioTarget } from '../../src/ingest/index.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const EVERYTHING = fileURLToPath(new URL('../../node_modules/@modelcontextprotocol/server-everything/dist/index.js', import.meta.url));

/** A stdio target running one of test/servers/*.mjs with this Node. */
export function testServer(script: string, ...args: string[]): StdioTarget {
  return { kind: 'stdio', command: process.execPath, args: [fileURLToPath(new URL(`../servers/${script}`, import.meta.url)), ...args] };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

export interface Started {
  child: ChildProcess;
  output: string;
  stop(): Promise<void>;
}

/** Starts a process and resolves once its stdout or stderr matches `ready`. */
export async function startUntil(command: string, args: string[], env: Record<string, string>, ready: RegExp, timeoutMs = 10_000): Promise<Started> {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const started: Started = {
    child,
    output: '',
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready after ${timeoutMs} ms: ${started.output}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      started.output += chunk.toString();
      if (ready.test(started.output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ready: ${started.output}`));
    });
  });
  return started;
}

/** Live processes (not zombies) whose command line contains `token`: found in /proc, whatever PID namespace they see. */
export function runningWith(token: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(token) && isRunning(Number(name))) found.push(Number(name));
    } catch {
      // Gone while we looked.
    }
  }
  return found;
}

/** Polls until no process carries `token` or `timeoutMs` passes; returns what is still running. */
export async function waitNoneRunningWith(token: string, timeoutMs = 20_000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = runningWith(token);
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie left for a non-reaping init runs nothing.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return process.platform !== 'linux';
  }
}
