// Scans a server over stdio: spawn with a scrubbed env, run the session, explain exits, end the tree.
import { isListed } from '../model/index.js';
import type { Finding } from '../model/index.js';
import { scrubbedEnv } from './env.js';
import { describeFailure, errorLine } from './failure.js';
import { connectSession, listSession } from './session.js';
import type { ConnectedSession, SessionLimits, SessionOutcome } from './session.js';
import { StdioProcessTransport } from './stdio-transport.js';
import type { ProcessExit } from './stdio-transport.js';
import type { StdioTarget } from './targets.js';
import type { SandboxSpec } from './containment.js';

export interface StdioScanOptions extends SessionLimits {
  sandbox?: SandboxSpec;
  maxLineBytes?: number;
  maxTotalBytes?: number;
  graceMs?: number;
}

function exitText(exit: ProcessExit): string {
  return exit.signal !== null ? `was killed by ${exit.signal}` : `exited with code ${exit.code ?? 'unknown'}`;
}

function spawnText(command: string, error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `could not start ${command}: command not found (ENOENT)`;
  if (code === 'EACCES') return `could not start ${command}: permission denied (EACCES)`;
  return errorLine(`could not start ${command}: ${error.message}`);
}

export async function scanStdio(target: StdioTarget, options: StdioScanOptions): Promise<SessionOutcome> {
  const transport = new StdioProcessTransport({
    command: target.command,
    args: target.args,
    env: scrubbedEnv(target.env),
    ...(target.cwd !== undefined && { cwd: target.cwd }),
    ...(options.maxLineBytes !== undefined && { maxLineBytes: options.maxLineBytes }),
    ...(options.maxTotalBytes !== undefined && { maxTotalBytes: options.maxTotalBytes }),
    ...(options.graceMs !== undefined && { graceMs: options.graceMs }),
    ...(options.sandbox !== undefined && { sandbox: options.sandbox }),
  });
  let session: ConnectedSession | undefined;
  let outcome: SessionOutcome | undefined;
  try {
    try {
      session = await connectSession(transport, options.connectTimeoutMs);
    } catch (error) {
      // Read the exit now: after our own kill in `finally` every process has an exit.
      const exit = transport.exit;
      const failure = describeFailure(error);
      let message = failure.error;
      if (transport.spawnError !== undefined) message = spawnText(target.command, transport.spawnError);
      else if (transport.stdoutOverflow) message = 'server wrote more than the stdout limit before initialize';
      else if (exit !== undefined) message = `server ${exitText(exit)} before initialize`;
      else if (failure.status === 'failed') message = `initialize failed: ${failure.error}`;
      outcome = {
        status: transport.spawnError !== undefined || exit !== undefined ? 'failed' : failure.status,
        error: message,
        tools: [],
        findings: [],
      };
    }
    if (session !== undefined) {
      outcome = await listSession(session, options);
      const exit = transport.exit;
      if (outcome.status === 'failed' || outcome.status === 'timeout') {
        if (transport.stdoutOverflow) {
          outcome.status = 'failed';
          outcome.error = 'server wrote more than the stdout limit while listing';
        } else if (exit !== undefined) {
          outcome.status = 'failed';
          outcome.error = `server ${exitText(exit)} while listing`;
        }
      }
    }
  } finally {
    await session?.client.close().catch(() => undefined);
    await transport.close();
  }
  // Both branches above assign; the fallback only satisfies the compiler.
  const result: SessionOutcome = outcome ?? { status: 'failed', error: 'scan did not complete', tools: [], findings: [] };
  if (transport.isolation !== undefined) result.isolation = transport.isolation;
  const noise = transport.noise;
  if (noise.count > 0) {
    const finding: Finding = {
      code: 'ingest.stdout-noise',
      severity: 'warning',
      args: { count: noise.count, oversized: noise.oversized, sample: noise.sample.join('\n') },
    };
    result.findings.push(finding);
  }
  if (!isListed(result.status)) {
    const tail = transport.stderrTail;
    if (tail !== undefined) result.stderrTail = tail;
  }
  return result;
}
