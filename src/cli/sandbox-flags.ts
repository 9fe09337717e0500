// Turns --sandbox / --no-sandbox / --sandbox-network into the sandbox a scan or refresh runs servers in.
import { sandboxAvailable, sandboxUnavailable } from '../ingest/containment.js';
import type { SandboxSpec } from '../ingest/containment.js';
import { McpRiskError } from '../model/errors.js';
import type { SandboxFlagValues } from './flags.js';
import type { Io } from './io.js';

/**
 * Asked for (--sandbox, --sandbox-network): bubblewrap or a one-line error, never a silent unsandboxed run.
 * By default (`defaultOn`: npm packages, refresh) sandboxed where bubblewrap runs; where it does not,
 * one line says so and the servers run unsandboxed, each in its own PID namespace where possible.
 */
export function sandboxChoice(values: SandboxFlagValues, defaultOn: boolean, io: Io): SandboxSpec | undefined {
  if (values.sandbox === false) {
    if (values.sandboxNetwork === true) throw new McpRiskError('USAGE', '--sandbox-network and --no-sandbox contradict each other');
    return undefined;
  }
  const network = values.sandboxNetwork === true;
  if (values.sandbox === true || network) {
    if (!sandboxAvailable()) throw sandboxUnavailable();
    return { network };
  }
  if (!defaultOn) return undefined;
  if (sandboxAvailable()) return { network: false };
  io.err(UNSANDBOXED_NOTE);
  return undefined;
}

/** The line a default-sandboxed run prints where bubblewrap cannot run. */
export const UNSANDBOXED_NOTE =
  'mcp-risk: note: bubblewrap (bwrap) is not available, so servers run unsandboxed with your rights (install bubblewrap, or pass --no-sandbox to say so)\n';
