// The policy formats: one decision (decide.ts), one renderer a format, chosen by name.
import { renderClaudeCode } from './claude-code.js';
import { renderCodex } from './codex.js';
import type { PolicyDecisions } from './decide.js';
import { renderIntercept } from './intercept.js';
import type { PolicyFormat } from './formats.js';
import { renderPolicyLayer } from './policylayer.js';

export { POLICY_FORMATS } from './formats.js';
export type { PolicyFormat } from './formats.js';

interface FormatSpec {
  render: (decisions: PolicyDecisions) => string;
  /** The extension a file of this format has, for `policy.<server>.<ext>` when the user gave none. */
  extension: string;
}

const FORMATS: Record<PolicyFormat, FormatSpec> = {
  policylayer: { render: renderPolicyLayer, extension: '.json' },
  intercept: { render: renderIntercept, extension: '.yaml' },
  'claude-code': { render: renderClaudeCode, extension: '.json' },
  codex: { render: renderCodex, extension: '.toml' },
};

/** The policy text for a server's decisions in one format. */
export function renderPolicyAs(format: PolicyFormat, decisions: PolicyDecisions): string {
  return FORMATS[format].render(decisions);
}

export function policyExtension(format: PolicyFormat): string {
  return FORMATS[format].extension;
}

export { policyCategory, policyDecisions, decideTools, WRITE_LIMIT_PER_MINUTE, EXECUTE_LIMIT_PER_MINUTE, HUMAN_APPROVAL_MESSAGE } from './decide.js';
export type { PolicyDecisions, ToolDecision, ToolAction, StarterPolicyOptions } from './decide.js';
export { buildStarterPolicy, starterPolicyFor, renderPolicy, policyLayerPolicy, renderPolicyLayer } from './policylayer.js';
export type { Policy, PolicyToolRule, PolicyLimit, PolicyDenyRule } from './policylayer.js';
export { interceptPolicy, renderIntercept } from './intercept.js';
export type { InterceptPolicy, InterceptRule } from './intercept.js';
export { claudeCodePermissions, claudeCodeName, claudeCodeRule, renderClaudeCode } from './claude-code.js';
export type { ClaudeCodePermissions } from './claude-code.js';
export { codexServerTools, renderCodex } from './codex.js';
export type { CodexServerTools } from './codex.js';
