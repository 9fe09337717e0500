// The policy of PolicyLayer's open-source Intercept proxy (YAML): the same decisions as policy.json.
import { Document, visit } from 'yaml';
import { escapeHiddenInQuoted, wellFormed } from '../safe-text.js';
import { HUMAN_APPROVAL_MESSAGE } from './decide.js';
import type { PolicyDecisions } from './decide.js';

/** A rule: a counter (`rate_limit: 30/minute`) or a block (`action: deny`); Intercept asks each for a name. */
export interface InterceptRule {
  name: string;
  rate_limit?: string;
  action?: 'deny';
  on_deny?: string;
}

/** Under `default: deny` a tool listed with `rules: []` is allowed; an unlisted tool is denied. */
export interface InterceptPolicy {
  version: '1';
  default: 'deny';
  hide: string[];
  tools: Record<string, { rules: InterceptRule[] }>;
}

/** The keys this file writes itself; every other key is a tool name, hostile text, and is quoted. */
const OWN_KEYS = new Set(['version', 'default', 'hide', 'tools', 'rules', 'name', 'rate_limit', 'action', 'on_deny']);

export function interceptPolicy(decisions: PolicyDecisions): InterceptPolicy {
  const hide: string[] = [];
  // No prototype: a tool called `__proto__` is a name like any other.
  const tools = Object.create(null) as InterceptPolicy['tools'];
  for (const { name: raw, action } of decisions.tools) {
    const name = wellFormed(raw);
    switch (action.kind) {
      case 'hide':
        hide.push(name);
        break;
      case 'allow':
        tools[name] = { rules: [] };
        break;
      case 'limit':
        tools[name] = {
          rules: [{ name: 'rate limit', rate_limit: `${action.perMinute}/minute`, on_deny: `Limited to ${action.perMinute} calls a minute.` }],
        };
        break;
      case 'approve':
        tools[name] = { rules: [{ name: 'human approval', action: 'deny', on_deny: HUMAN_APPROVAL_MESSAGE }] };
        break;
      // unlisted: default deny covers it.
      default:
        break;
    }
  }
  return { version: '1', default: 'deny', hide, tools };
}

/**
 * The YAML text. Every tool name (a key, or an entry of `hide`) is double-quoted, so no name (`yes`,
 * `null`, `a: b`, a line break, `#`) can be read as anything but that string, and hidden characters are
 * escaped inside the quotes; lines are never folded. The file's own words stay plain.
 */
export function renderIntercept(decisions: PolicyDecisions): string {
  const doc = new Document(interceptPolicy(decisions));
  visit(doc, {
    Scalar(key, node) {
      if (typeof node.value !== 'string') return;
      if (typeof key === 'number' || (key === 'key' && !OWN_KEYS.has(node.value))) node.type = 'QUOTE_DOUBLE';
    },
  });
  return escapeHiddenInQuoted(doc.toString({ lineWidth: 0 }));
}
