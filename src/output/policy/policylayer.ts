// PolicyLayer's policy.json, the default format: deny by default, allow by risk.
import type { Category } from '../../model/index.js';
import type { StoredScan } from '../../store/index.js';
import { jsonText } from '../safe-text.js';
import type { ScanView } from '../view.js';
import { decideTools, HUMAN_APPROVAL_MESSAGE, policyDecisions } from './decide.js';
import type { PolicyDecisions, StarterPolicyOptions, ToolDecision } from './decide.js';

/** A counter limit, e.g. at most 30 calls per minute per grant. */
export interface PolicyLimit {
  counter: string;
  window: string;
  max: number;
  scope: string;
}

export interface PolicyDenyRule {
  conditions: unknown[];
  on_deny: string;
}

export interface PolicyToolRule {
  require?: unknown[];
  deny_if?: PolicyDenyRule[];
  limits?: PolicyLimit[];
}

/** PolicyLayer's policy.json. Under `default: "deny"` a tool listed with `{}` is allowed. */
export interface Policy {
  version: '1';
  default: 'allow' | 'deny';
  hide?: string[];
  all_tools?: { limits?: PolicyLimit[] };
  tools?: Record<string, PolicyToolRule>;
}

/** The policy.json for decisions already made (see decide.ts). */
export function policyLayerPolicy(decisions: readonly ToolDecision[]): Policy {
  const hide = decisions.filter((d) => d.action.kind === 'hide').map((d) => d.name);
  // No prototype: a tool called `__proto__` or `constructor` is a name like any other.
  const rules: Record<string, PolicyToolRule> = Object.create(null) as Record<string, PolicyToolRule>;
  for (const { name, action } of decisions) {
    switch (action.kind) {
      case 'allow':
        rules[name] = {};
        break;
      case 'limit':
        rules[name] = { limits: [{ counter: `${name}_rate`, window: 'minute', max: action.perMinute, scope: 'grant' }] };
        break;
      case 'approve':
        rules[name] = { deny_if: [{ conditions: [], on_deny: HUMAN_APPROVAL_MESSAGE }] };
        break;
      // hide: listed in `hide` above, so the agent never sees it; unlisted: default deny covers it.
      default:
        break;
    }
  }
  return { version: '1', default: 'deny', hide, tools: rules };
}

/** The starter policy for tools already given their policy category; `alsoHide` names are hidden whatever they do. */
export function buildStarterPolicy(tools: ReadonlyArray<{ name: string; category: Category }>, alsoHide: Iterable<string> = []): Policy {
  return policyLayerPolicy(decideTools(tools, alsoHide));
}

/** The starter policy for a scan (see policyDecisions for what is hidden). */
export function starterPolicyFor(result: ScanView | StoredScan, options: StarterPolicyOptions = {}): Policy {
  return policyLayerPolicy(policyDecisions(result, options).tools);
}

/** Pretty JSON with a trailing newline, ready to write as policy.json; hidden characters in names travel as `\u` escapes. */
export function renderPolicy(policy: Policy): string {
  return jsonText(policy);
}

/** The policy.json text for a server's decisions. */
export function renderPolicyLayer(decisions: PolicyDecisions): string {
  return renderPolicy(policyLayerPolicy(decisions.tools));
}
