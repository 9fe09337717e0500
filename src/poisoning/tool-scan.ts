// One scan of a tool's texts for two checks that read them all: the untrusted-text patterns (text that
// steers a classifier or forges the LLM prompt's fences) and the poisoning analyser. The scan reads
// every word once and wakes a check only where the words its matches need are there; nearly every
// tool wakes neither, and each check skips it without running an expression.
import type { UntrustedTextPattern } from '../classify/untrusted-text.js';
import { loadUntrustedTextPatterns } from '../classify/untrusted-text.js';
import type { ToolView } from '../classify/view.js';
import type { ToolDefinition } from '../model/index.js';
import { poisoningLayout } from './analyse.js';
import { scanToolFields } from './fields.js';
import { loadPoisoningRules } from './rules.js';
import type { PoisoningRule } from './rules.js';
import { ScanState, triggerIndex } from './scan.js';

export interface ToolScan {
  /** What the scan saw; its first wakeables are the analyser's (poisoningLayout) when it ran for it. */
  state: ScanState;
  /**
   * Whether untrusted-text pattern `i` may match: its trigger words are there. (A finding needs the
   * case-insensitive pattern to match the text as sent, and that folds ASCII letters only, as the scan does.)
   */
  untrusted: (i: number) => boolean;
}

// One reusable scan per set of patterns and rules: with the rules' words, or (poisoning off) without.
const scanners = new WeakMap<readonly UntrustedTextPattern[], { alone?: ToolScan; withRules: WeakMap<readonly PoisoningRule[], ToolScan> }>();

function scanner(untrusted: readonly UntrustedTextPattern[], rules: readonly PoisoningRule[] | undefined): ToolScan {
  let entry = scanners.get(untrusted);
  if (entry === undefined) {
    entry = { withRules: new WeakMap() };
    scanners.set(untrusted, entry);
  }
  let made = rules === undefined ? entry.alone : entry.withRules.get(rules);
  if (made === undefined) {
    const layout = rules === undefined ? { triggers: [], reads: [] } : poisoningLayout(rules);
    const state = new ScanState(triggerIndex([...layout.triggers, ...untrusted.map((p) => [p.triggers])], layout.reads));
    // The untrusted-text patterns' bits come after the rules'.
    const base = layout.triggers.length;
    made = { state, untrusted: (i) => state.woken(base + i) };
    if (rules === undefined) entry.alone = made;
    else entry.withRules.set(rules, made);
  }
  return made;
}

/**
 * Scans one tool's texts for the untrusted-text patterns and, unless `poisoning` is false, the
 * poisoning rules too. The result is valid until the next call (one state is reused: nothing allocated).
 */
export function scanTool(
  definition: ToolDefinition,
  view: ToolView,
  options: { poisoning?: boolean; rules?: readonly PoisoningRule[]; untrusted?: readonly UntrustedTextPattern[] } = {},
): ToolScan {
  const rules = options.poisoning === false ? undefined : (options.rules ?? loadPoisoningRules());
  const made = scanner(options.untrusted ?? loadUntrustedTextPatterns(), rules);
  scanToolFields(definition, view, made.state);
  return made;
}
