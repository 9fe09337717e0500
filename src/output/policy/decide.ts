// The one decision every policy format renders: what a starter policy does with each tool of a server.
import type { Category, Classification } from '../../model/index.js';
import { isPoisoning } from '../../poisoning/analyse.js';
import { toxicFlowBreak } from '../../poisoning/toxic-flow.js';
import type { StoredScan } from '../../store/index.js';
import { toView } from '../view.js';
import type { ScanView } from '../view.js';

export const WRITE_LIMIT_PER_MINUTE = 30;
export const EXECUTE_LIMIT_PER_MINUTE = 10;
export const HUMAN_APPROVAL_MESSAGE = 'Requires human approval.';

/**
 * What the policy does with one tool. Formats differ in what they can say (a rate limit, a prompt, a
 * hidden list), never in what is decided: each renders these five and nothing else.
 */
export type ToolAction =
  /** Read: allowed. */
  | { kind: 'allow' }
  /** Write (30 a minute) and Execute (10 a minute): allowed, limited. */
  | { kind: 'limit'; perMinute: number }
  /** Financial: denied until a human approves. */
  | { kind: 'approve' }
  /** Destructive, a tool whose own text attacks the agent, a tool that breaks a toxic flow: never shown to the agent. */
  | { kind: 'hide' }
  /** Unknown: listed nowhere, so a format's default deny covers it. */
  | { kind: 'unlisted' };

export interface ToolDecision {
  name: string;
  /** The category the policy follows (see policyCategory), the stricter one when a name repeats. */
  category: Category;
  action: ToolAction;
}

/** A server's decisions, one per tool name, sorted by name. */
export interface PolicyDecisions {
  server: string;
  tools: ToolDecision[];
}

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

function actionFor(category: Category, hidden: boolean): ToolAction {
  if (hidden) return { kind: 'hide' };
  switch (category) {
    case 'Read':
      return { kind: 'allow' };
    case 'Write':
      return { kind: 'limit', perMinute: WRITE_LIMIT_PER_MINUTE };
    case 'Execute':
      return { kind: 'limit', perMinute: EXECUTE_LIMIT_PER_MINUTE };
    case 'Financial':
      return { kind: 'approve' };
    case 'Destructive':
      return { kind: 'hide' };
    // Unknown: deliberately left out. Under default deny an unlisted tool is denied, which is the only
    // safe reading of "we could not tell what this does"; a person must list it after review.
    default:
      return { kind: 'unlisted' };
  }
}

/** One decision per name (the strictest category of a repeated name), sorted; `alsoHide` names are hidden whatever they do. */
export function decideTools(tools: ReadonlyArray<{ name: string; category: Category }>, alsoHide: Iterable<string> = []): ToolDecision[] {
  const byName = new Map<string, Category>();
  for (const t of tools) byName.set(t.name, stricter(t.category, byName.get(t.name)));
  const hidden = new Set(alsoHide);
  return [...byName.keys()].sort(compare).map((name) => {
    const category = byName.get(name)!;
    return { name, category, action: actionFor(category, hidden.has(name)) };
  });
}

export interface StarterPolicyOptions {
  /** Also hide the smallest set of tools that breaks every toxic flow (see poisoning.toxic-flow). */
  breakToxicFlows?: boolean;
}

/**
 * The decisions for a scan; an unclassified tool counts as Unknown. A tool whose own text attacks the
 * agent (an error-severity poisoning finding) is hidden, whatever it does: its description reaches the
 * model every time it is listed.
 */
export function policyDecisions(result: ScanView | StoredScan, options: StarterPolicyOptions = {}): PolicyDecisions {
  const view = toView(result);
  const verdicts = view.tools.map((t) => t.classification).filter((c): c is Classification => c !== undefined);
  const poisoned = verdicts.filter((c) => c.findings.some((f) => isPoisoning(f) && f.severity === 'error')).map((c) => c.tool);
  const flows = options.breakToxicFlows === true ? toxicFlowBreak(verdicts) : [];
  const tools = decideTools(
    view.tools.map((t) => ({ name: t.definition.name, category: policyCategory(t.classification) })),
    [...poisoned, ...flows],
  );
  return { server: view.server.name, tools };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
