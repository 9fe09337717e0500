// An SDK Transport over a spawned server's stdin/stdout that tolerates junk output and ends the whole tree.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { JSONRPCMessageSchema } from '@modelcontextprotocol/sdk/types.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { killProcessTree, DEFAULT_GRACE_MS } from './process-tree.js';
import { registerChild, releaseChild } from './child-ledger.js';
import { containedLaunch } from './containment.js';
import type { Isolation, SandboxSpec } from './containment.js';

export interface StdioTransportOptions {
  command: string;
  args: string[];
  /** The complete environment for the child; build it with scrubbedEnv(). */
  env: Record<string, string>;
  cwd?: string;
  /** A longer line is dropped and counted as noise. */
  maxLineBytes?: number;
  /** More stdout than this ends the session: a server that floods us is not worth listing. */
  maxTotalBytes?: number;
  graceMs?: number;
  /** Run inside bubblewrap (see containment.ts); otherwise in its own PID namespace where possible. */
  sandbox?: SandboxSpec;
}

/** What the server wrote to stdout that was not a protocol message. */
export interface StdoutNoise {
  count: number;
  /** The first few junk lines, each bounded. */
  sample: string[];
  /** Lines dropped for exceeding maxLineBytes (also counted in `count`). */
  oversized: number;
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;
const DEFAULT_MAX_TOTAL_BYTES = 64 * 1024 * 1024;
const NOISE_SAMPLE_LINES = 5;
const NOISE_SAMPLE_CHARS = 200;
const STDERR_TAIL_LINES = 20;
const STDERR_TAIL_BYTES = 4096;
/** How long a failed write waits for the process's exit, so the failure can be told by it (generous for a loaded machine). */
const EXIT_WAIT_MS = 2000;

export class StdioProcessTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T) => void;

  private readonly options: StdioTransportOptions;
  private child: ChildProcess | undefined;
  private lineParts: Buffer[] = [];
  private lineBytes = 0;
  private dropping = false;
  private totalBytes = 0;
  private stderrBuffer = '';
  private closing: Promise<void> | undefined;
  private closedNotified = false;
  private exitInfo: ProcessExit | undefined;
  private spawnFailure: Error | undefined;
  private overflowed = false;
  private isolationUsed: Isolation | undefined;
  readonly noise: StdoutNoise = { count: 0, sample: [], oversized: 0 };

  constructor(options: StdioTransportOptions) {
    this.options = options;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** How the process ended, once it has. */
  get exit(): ProcessExit | undefined {
    return this.exitInfo;
  }

  /** How the server was contained, once started. */
  get isolation(): Isolation | undefined {
    return this.isolationUsed;
  }

  get spawnError(): Error | undefined {
    return this.spawnFailure;
  }

  /** True when the session was ended because stdout exceeded maxTotalBytes. */
  get stdoutOverflow(): boolean {
    return this.overflowed;
  }

  /** The last lines of stderr, bounded, or undefined when the server wrote none. */
  get stderrTail(): string | undefined {
    const lines = this.stderrBuffer.split(/\r?\n/);
    if (lines.at(-1) === '') lines.pop();
    let tail = lines.slice(-STDERR_TAIL_LINES).join('\n');
    if (tail.length > STDERR_TAIL_BYTES) tail = tail.slice(-STDERR_TAIL_BYTES);
    return tail.trim() === '' ? undefined : tail;
  }

  start(): Promise<void> {
    if (this.child !== undefined) throw new Error('StdioProcessTransport already started');
    const launch = containedLaunch({
      command: this.options.command,
      args: this.options.args,
      env: this.options.env,
      ...(this.options.cwd !== undefined && { cwd: this.options.cwd }),
      ...(this.options.sandbox !== undefined && { sandbox: this.options.sandbox }),
    });
    this.isolationUsed = launch.isolation;
    return new Promise((resolve, reject) => {
      const child = spawn(launch.command, launch.args, {
        env: launch.env,
        cwd: this.options.cwd,
        stdio: ['pipe', 'pipe', 'pipe'],
        // Its own process group, so the whole tree can be signalled at once afterwards.
        detached: true,
        windowsHide: true,
      });
      this.child = child;
      // In the ledger before anything else can happen: a run killed from here on still has it on record.
      if (child.pid !== undefined) registerChild(child.pid);
      child.once('error', (error) => {
        // Spawn failures (ENOENT, EACCES) arrive here before 'spawn'; later ones are reported.
        if (this.spawnFailure === undefined && child.pid === undefined) {
          this.spawnFailure = error;
          reject(error);
          this.notifyClosed();
          return;
        }
        this.onerror?.(error);
      });
      child.once('spawn', () => resolve());
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        // stdout may still hold the last message; give it a moment before declaring the end.
        setTimeout(() => this.notifyClosed(), 100).unref();
      });
      child.once('close', () => this.notifyClosed());
      child.stdout?.on('data', (chunk: Buffer) => this.onStdout(chunk));
      child.stderr?.on('data', (chunk: Buffer) => this.onStderr(chunk));
      // A server that exits closes the pipe; the write error is expected and the exit says why.
      child.stdin?.on('error', () => undefined);
      child.stdout?.on('error', () => undefined);
      child.stderr?.on('error', () => undefined);
    });
  }

  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (stdin == null || stdin.destroyed || !stdin.writable) return this.afterExit(new Error('server stdin is closed'));
    return new Promise((resolve, reject) => {
      stdin.write(`${JSON.stringify(message)}\n`, (error) => {
        if (error == null) resolve();
        else this.afterExit(error).catch(reject);
      });
    });
  }

  /**
   * Rejects with `error` once the process's exit is known, or after EXIT_WAIT_MS: a broken pipe means
   * the server is going, and on a busy machine the write fails before its exit is seen. The caller
   * reads `exit` to say why ("exited with code 1"), not "write EPIPE".
   */
  private afterExit(error: Error): Promise<never> {
    const child = this.child;
    if (child === undefined || this.exitInfo !== undefined) return Promise.reject(error);
    return new Promise((_, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        child.off('exit', done);
        reject(error);
      };
      const timer = setTimeout(done, EXIT_WAIT_MS);
      timer.unref();
      child.once('exit', done);
    });
  }

  close(): Promise<void> {
    this.closing ??= this.terminate();
    return this.closing;
  }

  private async terminate(): Promise<void> {
    const child = this.child;
    if (child !== undefined) {
      child.stdin?.end();
      if (child.pid !== undefined) {
        // The init of a PID namespace ignores SIGTERM and the wrapper passes it on to nobody: there
        // is nothing a listing server could save, so the namespace is ended at once.
        const grace = this.isolationUsed === 'pid-namespace' ? 0 : (this.options.graceMs ?? DEFAULT_GRACE_MS);
        await killProcessTree(child.pid, grace);
        releaseChild(child.pid);
      }
      child.stdout?.destroy();
      child.stderr?.destroy();
    }
    this.notifyClosed();
  }

  private notifyClosed(): void {
    if (this.closedNotified) return;
    this.closedNotified = true;
    this.onclose?.();
  }

  private onStderr(chunk: Buffer): void {
    this.stderrBuffer += chunk.toString('utf8');
    // Keep a little more than the tail needs so the line split stays meaningful.
    if (this.stderrBuffer.length > 4 * STDERR_TAIL_BYTES) this.stderrBuffer = this.stderrBuffer.slice(-2 * STDERR_TAIL_BYTES);
  }

  private onStdout(chunk: Buffer): void {
    if (this.overflowed) return;
    this.totalBytes += chunk.length;
    if (this.totalBytes > (this.options.maxTotalBytes ?? DEFAULT_MAX_TOTAL_BYTES)) {
      this.overflowed = true;
      this.onerror?.(new Error('server wrote more than the stdout limit'));
      void this.close();
      return;
    }
    const maxLine = this.options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(0x0a, start);
      const piece = chunk.subarray(start, newline === -1 ? chunk.length : newline);
      if (!this.dropping) {
        if (this.lineBytes + piece.length > maxLine) {
          // Too long to be worth holding: drop the rest of this line and count it once.
          this.dropping = true;
          this.lineParts = [];
          this.lineBytes = 0;
          this.noise.oversized += 1;
          this.recordNoise(`<line longer than ${maxLine} bytes>`);
        } else {
          this.lineParts.push(piece);
          this.lineBytes += piece.length;
        }
      }
      if (newline === -1) break;
      if (!this.dropping) this.handleLine(Buffer.concat(this.lineParts).toString('utf8'));
      this.lineParts = [];
      this.lineBytes = 0;
      this.dropping = false;
      start = newline + 1;
    }
  }

  private handleLine(raw: string): void {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      this.recordNoise(line);
      return;
    }
    const message = JSONRPCMessageSchema.safeParse(parsed);
    if (!message.success) {
      this.recordNoise(line);
      return;
    }
    this.onmessage?.(message.data);
  }

  private recordNoise(line: string): void {
    this.noise.count += 1;
    if (this.noise.sample.length < NOISE_SAMPLE_LINES) this.noise.sample.push(line.slice(0, NOISE_SAMPLE_CHARS));
  }
}
