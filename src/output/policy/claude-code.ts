// Claude Code's permission rules (a .claude/settings.json fragment): the same decisions as policy.json.
import { jsonText } from '../safe-text.js';
import type { PolicyDecisions, ToolAction } from './decide.js';

export interface ClaudeCodePermissions {
  permissions: { allow: string[]; ask: string[]; deny: string[] };
}

/**
 * A server or tool name as Claude Code writes it inside `mcp__<server>__<tool>`: every UTF-16 unit
 * outside [A-Za-z0-9_-] becomes `_` (so a character beyond the BMP becomes two), as Claude Code's own
 * normalisation does. Nothing of a hostile name survives but those characters.
 */
export function claudeCodeName(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '_');
}

/** The permission rule that names one tool of one server. */
export function claudeCodeRule(server: string, tool: string): string {
  return `mcp__${claudeCodeName(server)}__${claudeCodeName(tool)}`;
}

type List = keyof ClaudeCodePermissions['permissions'];

/**
 * Read is allowed; Write and Execute are asked (Claude Code has no rate limit, and a person answering
 * is the closer match); Destructive, Financial and everything hidden are denied. Unknown is denied too:
 * unlisted, Claude Code would ask, and a tool nobody could judge is not one to approve by habit.
 */
const LIST: Record<ToolAction['kind'], List> = { allow: 'allow', limit: 'ask', approve: 'deny', hide: 'deny', unlisted: 'deny' };
const STRICTER: Record<List, number> = { allow: 0, ask: 1, deny: 2 };

export function claudeCodePermissions(decisions: PolicyDecisions): ClaudeCodePermissions {
  // Two names can normalise to one rule (`a.b`, `a_b`): the stricter list keeps it.
  const byRule = new Map<string, List>();
  for (const { name, action } of decisions.tools) {
    const rule = claudeCodeRule(decisions.server, name);
    const list = LIST[action.kind];
    const before = byRule.get(rule);
    if (before === undefined || STRICTER[list] > STRICTER[before]) byRule.set(rule, list);
  }
  const permissions: ClaudeCodePermissions['permissions'] = { allow: [], ask: [], deny: [] };
  for (const [rule, list] of [...byRule].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) permissions[list].push(rule);
  return { permissions };
}

export function renderClaudeCode(decisions: PolicyDecisions): string {
  return jsonText(claudeCodePermissions(decisions));
}
