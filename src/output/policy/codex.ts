// Codex's tool filter for one server (a config.toml fragment): the same decisions as policy.json.
import { stringify } from 'smol-toml';
import { escapeHiddenInQuoted, wellFormed } from '../safe-text.js';
import type { PolicyDecisions } from './decide.js';

export interface CodexServerTools {
  enabled_tools: string[];
  disabled_tools: string[];
}

/**
 * Codex can only enable or disable a tool. `enabled_tools` is an allow list (a tool not in it is off,
 * and an empty list enables nothing), so it holds what the other formats let through: Read, and Write and
 * Execute, which Codex cannot rate-limit or prompt for one by one. `disabled_tools` names the rest
 * explicitly (Destructive, Financial, Unknown, everything hidden), so a later edit of the allow list
 * cannot let one in by accident.
 */
export function codexServerTools(decisions: PolicyDecisions): CodexServerTools {
  const enabled: string[] = [];
  const disabled: string[] = [];
  for (const { name, action } of decisions.tools) (action.kind === 'allow' || action.kind === 'limit' ? enabled : disabled).push(wellFormed(name));
  return { enabled_tools: enabled, disabled_tools: disabled };
}

const HEADER = '# Starter tool filter written by mcp-risk: merge these keys into the table of this server in ~/.codex/config.toml.\n';

/** `[mcp_servers.<server>]` with the two lists; smol-toml quotes the server name when it is not a bare key. */
export function renderCodex(decisions: PolicyDecisions): string {
  const table = { mcp_servers: { [wellFormed(decisions.server)]: codexServerTools(decisions) } };
  return HEADER + escapeHiddenInQuoted(stringify(table)).replace(/^\n+/, '').replace(/\n*$/, '\n');
}
