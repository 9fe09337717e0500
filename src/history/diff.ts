// Compares two stored scans of one server: tools added, removed and changed, and the rug-pull (drift) findings.
import { isListed, riskRank } from '../model/index.js';
import type { Category, Finding, Risk, ScanStatus } from '../model/index.js';
import type { StoredScan, StoredTool } from '../store/index.js';
import { definitionChanges } from './changes.js';
import type { ToolChange } from './changes.js';
import { summariseChanges } from './describe.js';
import { isPoisoning } from '../poisoning/analyse.js';

export interface ScanRef {
  scanId: number;
  startedAt: string;
  status: ScanStatus;
}

export interface ToolDiff {
  name: string;
  /** `unchanged` means the same pinned hash; its verdict may still differ (a newer rule set), see `changes`. */
  status: 'added' | 'removed' | 'changed' | 'unchanged';
  beforeHash?: string;
  afterHash?: string;
  /** Empty for added, removed and truly unchanged tools; a `changed` tool always has at least one. */
  changes: ToolChange[];
  categoryBefore?: Category;
  riskBefore?: Risk;
  categoryAfter?: Category;
  riskAfter?: Risk;
  /** The definition changed and the risk rose, or it gained a poisoning finding: the rug-pull case. */
  drift: boolean;
  /** poisoning.* codes the new definition carries and the old one did not. */
  poisoningGained?: string[];
}

export interface ScanDiff {
  server: string;
  /** null: there is no earlier scan, so every tool is new and nothing is a finding. */
  from: ScanRef | null;
  to: ScanRef;
  /**
   * false when either scan did not list tools (failed, timed out, needed auth): comparing would report
   * every tool as removed or added. `tools` is then empty.
   */
  comparable: boolean;
  /** Sorted by name. */
  tools: ToolDiff[];
  counts: { added: number; removed: number; changed: number; unchanged: number; drift: number };
  findings: Finding[];
}

/** Risk at or above which a new tool on a known server is worth a finding. */
const RISKY: Risk = 'High';

/**
 * Whether a risk rose, with Unknown handled explicitly rather than by rank (Unknown is never safe):
 * a move to Unknown is not a rise (it is its own finding, `history.risk-unknown`), and a move from
 * Unknown counts as a rise only when the new risk is High or Critical, since nobody could have judged
 * the old definition as safe but a reviewer may have accepted it.
 */
export function riskRose(before: Risk, after: Risk): boolean {
  if (after === 'Unknown') return false;
  if (before === 'Unknown') return riskRank(after) >= riskRank(RISKY);
  return riskRank(after) > riskRank(before);
}

function ref(s: StoredScan): ScanRef {
  return { scanId: s.scan.id, startedAt: s.scan.startedAt, status: s.scan.status };
}

/** First tool of each name: ingest already drops duplicates, so a second one is not ours to judge. */
function byName(tools: readonly StoredTool[]): Map<string, StoredTool> {
  const map = new Map<string, StoredTool>();
  for (const t of tools) if (!map.has(t.definition.name)) map.set(t.definition.name, t);
  return map;
}

function verdictOf(t: StoredTool): { category: Category; risk: Risk } {
  return { category: t.classification?.category ?? 'Unknown', risk: t.classification?.risk ?? 'Unknown' };
}

function poisoningCodes(t: StoredTool): string[] {
  return (t.classification?.findings ?? []).filter(isPoisoning).map((f) => f.code);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function toolDiff(name: string, b: StoredTool | undefined, a: StoredTool | undefined): ToolDiff {
  const diff: ToolDiff = { name, status: 'unchanged', changes: [], drift: false };
  if (b) {
    const v = verdictOf(b);
    diff.beforeHash = b.hash;
    diff.categoryBefore = v.category;
    diff.riskBefore = v.risk;
  }
  if (a) {
    const v = verdictOf(a);
    diff.afterHash = a.hash;
    diff.categoryAfter = v.category;
    diff.riskAfter = v.risk;
  }
  if (!b) return { ...diff, status: 'added' };
  if (!a) return { ...diff, status: 'removed' };
  const vb = verdictOf(b);
  const va = verdictOf(a);
  if (b.hash !== a.hash) {
    diff.status = 'changed';
    diff.changes = definitionChanges(b.definition, a.definition);
    // Same pinned fields under a different hash (a stored hash from another algorithm): still say so.
    if (diff.changes.length === 0) diff.changes.push({ kind: 'schema-other', path: '(definition)' });
    diff.drift = riskRose(vb.risk, va.risk);
    // A tool that starts manipulating the agent is a rug pull even when what it does stays the same.
    const before = new Set(poisoningCodes(b));
    const gained = [...new Set(poisoningCodes(a))].filter((c) => !before.has(c));
    if (gained.length > 0) {
      diff.poisoningGained = gained;
      diff.drift = true;
    }
  }
  if (vb.category !== va.category || vb.risk !== va.risk) diff.changes.push({ kind: 'verdict', before: vb, after: va });
  return diff;
}

function findingsFor(t: ToolDiff, serverSeen: boolean): Finding[] {
  const riskBefore = t.riskBefore ?? 'Unknown';
  const riskAfter = t.riskAfter ?? 'Unknown';
  if (t.drift) {
    return [
      {
        code: 'history.drift',
        severity: 'warning',
        tool: t.name,
        args: {
          riskBefore,
          riskAfter,
          categoryBefore: t.categoryBefore ?? 'Unknown',
          categoryAfter: t.categoryAfter ?? 'Unknown',
          changes: [summariseChanges(t.changes), t.poisoningGained ? `now carries ${t.poisoningGained.join(', ')}` : ''].filter((s) => s !== '').join('; '),
        },
      },
    ];
  }
  if (t.status === 'changed' && riskAfter === 'Unknown' && riskBefore !== 'Unknown') {
    return [
      {
        code: 'history.risk-unknown',
        severity: 'info',
        tool: t.name,
        args: { riskBefore, categoryBefore: t.categoryBefore ?? 'Unknown', changes: summariseChanges(t.changes) },
      },
    ];
  }
  if (t.status === 'added' && serverSeen && riskAfter !== 'Unknown' && riskRank(riskAfter) >= riskRank(RISKY)) {
    return [{ code: 'history.new-risky-tool', severity: 'info', tool: t.name, args: { risk: riskAfter, category: t.categoryAfter ?? 'Unknown' } }];
  }
  return [];
}

/**
 * Tools are matched by name; the same hash means unchanged. `before` is the earlier scan, or null when
 * `after` is the server's first. Pure: reads only its arguments.
 */
export function diffScans(before: StoredScan | null, after: StoredScan): ScanDiff {
  const comparable = isListed(after.scan.status) && (before === null || isListed(before.scan.status));
  const result: ScanDiff = {
    server: after.scan.serverName,
    from: before === null ? null : ref(before),
    to: ref(after),
    comparable,
    tools: [],
    counts: { added: 0, removed: 0, changed: 0, unchanged: 0, drift: 0 },
    findings: [],
  };
  if (!comparable) return result;
  const b = byName(before?.tools ?? []);
  const a = byName(after.tools);
  const names = [...new Set([...a.keys(), ...b.keys()])].sort(compare);
  for (const name of names) {
    const t = toolDiff(name, b.get(name), a.get(name));
    result.tools.push(t);
    result.counts[t.status]++;
    if (t.drift) result.counts.drift++;
    result.findings.push(...findingsFor(t, before !== null));
  }
  return result;
}
