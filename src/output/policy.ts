// Builds a starter PolicyLayer policy.json from tool categories: deny by default, allow by risk.
import type { Category, Classification } from '../model/index.js';
import type { StoredScan } from '../store/index.js';
import { toxicFlowBreak } from '../poisoning/toxic-flow.js';
import { toView } from './view.js';
import type { ScanView } from './view.js';
import { isPoisoning } from '../poisoning/analyse.js';

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

export const WRITE_LIMIT_PER_MINUTE = 30;
export const EXECUTE_LIMIT_PER_MINUTE = 10;
export const HUMAN_APPROVAL_MESSAGE = 'Requires human approval.';

/**
 * When one name comes with two categories, the stricter wins. Unknown is stricter than any allowed
 * category (it ends up denied) and only hiding is stricter still.
 */
const STRICTNESS: Record<Category, number> = { Read: 0, Write: 1, Execute: 2, Financial: 3, Unknown: 4, Destructive: 5 };

/**
 * The category a verdict gives the policy. While the rules and the LLM disagree (an llm.disagreement,
 * the rules' Unknown included) the policy follows the stricter of the two, whichever the verdict shows;
 * and a category the LLM alone decided (the rules had nothing) never lets a tool in: it stays out of the
 * policy, so default deny covers it until a person has looked.
 */
export function policyCategory(c: Classification | undefined): Category {
  if (c === undefined) return 'Unknown';
  if (c.method === 'llm') return 'Unknown';
  for (const f of c.findings) {
    if (f.code !== 'llm.disagreement') continue;
    return stricter(f.args.rulesCategory, c.category);
  }
  return c.category;
}

/** The stricter of two categories; a value this build does not know counts as Unknown. */
function stricter(a: Category, b: Category | undefined): Category {
  const known = (x: Category): Category => (x in STRICTNESS ? x : 'Unknown');
  return b === undefined || STRICTNESS[known(a)] > STRICTNESS[known(b)] ? known(a) : known(b);
}

export function buildStarterPolicy(tools: ReadonlyArray<{ name: string; category: Category }>, alsoHide: Iterable<string> = []): Policy {
  const byName = new Map<string, Category>();
  for (const t of tools) byName.set(t.name, stricter(t.category, byName.get(t.name)));
  const names = [...byName.keys()].sort(compare);

  const hidden = new Set(alsoHide);
  const hide = names.filter((n) => byName.get(n) === 'Destructive' || hidden.has(n));
  // No prototype: a tool called `__proto__` or `constructor` is a name like any other.
  const rules: Record<string, PolicyToolRule> = Object.create(null) as Record<string, PolicyToolRule>;
  for (const name of names) {
    if (hidden.has(name)) continue;
    switch (byName.get(name)) {
      case 'Read':
        rules[name] = {};
        break;
      case 'Write':
        rules[name] = { limits: [rateLimit(name, WRITE_LIMIT_PER_MINUTE)] };
        break;
      case 'Execute':
        rules[name] = { limits: [rateLimit(name, EXECUTE_LIMIT_PER_MINUTE)] };
        break;
      case 'Financial':
        rules[name] = { deny_if: [{ conditions: [], on_deny: HUMAN_APPROVAL_MESSAGE }] };
        break;
      // Destructive: hidden above, so the agent never sees it.
      // Unknown: deliberately left out. Under default deny an unlisted tool is denied, which is the only
      // safe reading of "we could not tell what this does"; a person must list it after review.
      default:
        break;
    }
  }
  return { version: '1', default: 'deny', hide, tools: rules };
}

export interface StarterPolicyOptions {
  /** Also hide the smallest set of tools that breaks every toxic flow (see poisoning.toxic-flow). */
  breakToxicFlows?: boolean;
}

/**
 * The starter policy for a scan; an unclassified tool counts as Unknown. A tool whose own text attacks
 * the agent (an error-severity poisoning finding) is hidden, whatever it does: its description reaches
 * the model every time it is listed.
 */
export function starterPolicyFor(result: ScanView | StoredScan, options: StarterPolicyOptions = {}): Policy {
  const view = toView(result);
  const verdicts = view.tools.map((t) => t.classification).filter((c): c is Classification => c !== undefined);
  const poisoned = verdicts.filter((c) => c.findings.some((f) => isPoisoning(f) && f.severity === 'error')).map((c) => c.tool);
  const flows = options.breakToxicFlows === true ? toxicFlowBreak(verdicts) : [];
  return buildStarterPolicy(
    view.tools.map((t) => ({ name: t.definition.name, category: policyCategory(t.classification) })),
    [...poisoned, ...flows],
  );
}

/** Pretty JSON with a trailing newline, ready to write as policy.json. */
export function renderPolicy(policy: Policy): string {
  return `${JSON.stringify(policy, null, 2)}\n`;
}

function rateLimit(tool: string, max: number): PolicyLimit {
  return { counter: `${tool}_rate`, window: 'minute', max, scope: 'grant' };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
