// Renders a scan diff as a terminal report, and as JSON with a stable, documented shape.
//
// Shape `mcp-risk/diff@1` (JSON Schema: schemas/diff.schema.json). Keys appear in this order; a key marked
// `?` is left out when it has no value.
// Tools are sorted by name. No timestamps other than the two scans' `startedAt`.
//
// {
//   "schema": "mcp-risk/diff@1",
//   "server": string,
//   "from": { "scanId": number, "startedAt": string, "status": ScanStatus } | null,   // null: first scan
//   "to":   { "scanId": number, "startedAt": string, "status": ScanStatus },
//   "comparable": boolean,              // false: one scan did not list tools; "tools" is then []
//   "counts": { "added", "removed", "changed", "unchanged", "drift": number },
//   "tools": [{
//     "name": string,
//     "status": "added" | "removed" | "changed" | "unchanged",   // unchanged: same definition hash
//     "beforeHash": string | null, "afterHash": string | null,
//     "categoryBefore": Category | null, "riskBefore": Risk | null,  // null: the tool was not there
//     "categoryAfter": Category | null,  "riskAfter": Risk | null,
//     "drift": boolean,                 // definition changed and risk rose
//     "changes": [{
//       "kind": "description" | "title" | "parameter-added" | "parameter-removed" | "parameter-changed"
//             | "annotation" | "output-schema" | "schema-other" | "more" | "verdict",
//       "summary": string,              // one line, as the terminal report shows it
//       ...the fields of that kind (see ToolChange in src/history/changes.ts), e.g.
//       description: "before"?, "after"?, "mentions": { "added": Mention[], "removed": Mention[] }
//         Mention = { "kind": "category", "category": Category, "verbs": string[] }
//                 | { "kind": "capability", "capability": string }
//       parameter-added: "name", "type"?, "required";  parameter-removed: "name", "required"
//       parameter-changed: "name", "what": string[], "type"?: {"before"?,"after"?}, "required"?,
//                          "enumAdded"?, "enumRemoved"?, "default"?: {"before"?,"after"?}
//       annotation: "hint", "before"?, "after"?     (absent: not declared)
//       output-schema: "what": "added" | "removed" | "changed";  schema-other: "path";  more: "count"
//       verdict: "before": {"category","risk"}, "after": {"category","risk"}
//     }]
//   }],
//   "findings": Finding[]               // history.drift, history.risk-unknown, history.new-risky-tool
// }
//
// Finding = { "code", "severity", "tool"?, "path"?, "args": { ...sorted keys } }, as in mcp-risk/scan@1.
import type { ToolChange, ScanDiff, ScanRef, ToolDiff } from '../history/index.js';
import { describeChange } from '../history/index.js';
import { isListed } from '../model/index.js';
import type { Category, Finding, Risk } from '../model/index.js';
import { renderFinding } from './findings.js';
import { JSON_SCHEMA_TAGS } from './json-schemas.js';
import { jsonText } from './safe-text.js';
import { plural } from './plural.js';
import { BOLD, RESET, RISK_COLOR, safeText } from './terminal.js';

export const DIFF_JSON_SCHEMA = JSON_SCHEMA_TAGS.diff;

export type DiffJsonChange = ToolChange & { summary: string };

export interface DiffJsonTool {
  name: string;
  status: ToolDiff['status'];
  beforeHash: string | null;
  afterHash: string | null;
  categoryBefore: Category | null;
  riskBefore: Risk | null;
  categoryAfter: Category | null;
  riskAfter: Risk | null;
  drift: boolean;
  changes: DiffJsonChange[];
}

export interface DiffJson {
  schema: typeof DIFF_JSON_SCHEMA;
  server: string;
  from: ScanRef | null;
  to: ScanRef;
  comparable: boolean;
  counts: ScanDiff['counts'];
  tools: DiffJsonTool[];
  findings: Finding[];
}

export interface DiffRenderOptions {
  color?: boolean;
  /** List unchanged tools by name too; by default they are only counted. */
  showUnchanged?: boolean;
}

const NAME_MAX = 120;
const LINE_MAX = 400;
// A drift finding quotes its changes summary (up to 400 characters) inside a sentence.
const FINDING_MAX = 800;

export function toDiffJson(diff: ScanDiff): DiffJson {
  return {
    schema: DIFF_JSON_SCHEMA,
    server: diff.server,
    from: diff.from === null ? null : refJson(diff.from),
    to: refJson(diff.to),
    comparable: diff.comparable,
    counts: { ...diff.counts },
    tools: diff.tools.map(toolJson),
    findings: diff.findings.map(findingJson),
  };
}

/** Pretty JSON with a trailing newline, hidden characters escaped. */
export function renderDiffJson(diff: ScanDiff, compact = false): string {
  return jsonText(toDiffJson(diff), compact);
}

function refJson(r: ScanRef): ScanRef {
  return { scanId: r.scanId, startedAt: r.startedAt, status: r.status };
}

function toolJson(t: ToolDiff): DiffJsonTool {
  return {
    name: t.name,
    status: t.status,
    beforeHash: t.beforeHash ?? null,
    afterHash: t.afterHash ?? null,
    categoryBefore: t.categoryBefore ?? null,
    riskBefore: t.riskBefore ?? null,
    categoryAfter: t.categoryAfter ?? null,
    riskAfter: t.riskAfter ?? null,
    drift: t.drift,
    changes: t.changes.map((c) => ({ ...c, summary: describeChange(c) })),
  };
}

function findingJson(f: Finding): Finding {
  const out = { code: f.code, severity: f.severity } as Finding;
  if (f.tool !== undefined) out.tool = f.tool;
  if (f.path !== undefined) out.path = f.path;
  out.args = Object.fromEntries(Object.entries(f.args ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return out;
}

/** Lines joined by `\n`, no trailing newline. Every piece of server text goes through safeText. */
export function renderDiff(diff: ScanDiff, options: DiffRenderOptions = {}): string {
  const color = options.color === true;
  const risk = (r: Risk | undefined): string => {
    const text = safeText(r ?? 'Unknown', 20);
    const c = r === undefined ? undefined : RISK_COLOR[r];
    return color && c !== undefined ? `${c}${text}${RESET}` : text;
  };
  const bold = (s: string): string => (color ? `${BOLD}${s}${RESET}` : s);
  const name = (s: string): string => safeText(s, NAME_MAX);
  const scan = (r: ScanRef): string => `scan #${r.scanId} (${safeText(r.startedAt, 40)})`;

  const server = name(diff.server);
  const lines: string[] = [];
  if (diff.from === null) {
    lines.push(`${bold(server)}: ${scan(diff.to)} is the first scan; nothing to compare.`);
    if (diff.comparable) lines.push(`${plural(diff.tools.length, 'tool')}, all new.`);
    else lines.push(`It did not list tools (status ${safeText(diff.to.status, 20)}).`);
    return lines.join('\n');
  }
  lines.push(`${bold(server)}: ${scan(diff.from)} -> ${scan(diff.to)}`);
  if (!diff.comparable) {
    const failed = [diff.from, diff.to].filter((r) => !isListed(r.status));
    for (const r of failed) lines.push(`Scan #${r.scanId} did not list tools (status ${safeText(r.status, 20)}); nothing to compare.`);
    return lines.join('\n');
  }
  const c = diff.counts;
  const drift = c.drift > 0 ? ` (${c.drift} with higher risk)` : '';
  lines.push(`${c.added} added, ${c.removed} removed, ${c.changed} changed${drift}, ${c.unchanged} unchanged.`);

  const changed = diff.tools.filter((t) => t.status === 'changed');
  if (changed.length > 0) {
    lines.push('', 'Changed:');
    for (const t of changed) {
      const verdict = t.riskBefore === t.riskAfter ? risk(t.riskAfter) : `${risk(t.riskBefore)} -> ${risk(t.riskAfter)}`;
      lines.push(`  ${name(t.name)}  ${verdict}${t.drift ? `  ${bold('DRIFT')}` : ''}`);
      for (const ch of t.changes) lines.push(`    - ${safeText(describeChange(ch), LINE_MAX)}`);
    }
  }
  const added = diff.tools.filter((t) => t.status === 'added');
  if (added.length > 0) {
    lines.push('', 'Added:');
    for (const t of added) lines.push(`  + ${name(t.name)}  ${risk(t.riskAfter)} (${safeText(t.categoryAfter ?? 'Unknown', 20)})`);
  }
  const removed = diff.tools.filter((t) => t.status === 'removed');
  if (removed.length > 0) {
    lines.push('', 'Removed:');
    for (const t of removed) lines.push(`  - ${name(t.name)}  (was ${risk(t.riskBefore)}, ${safeText(t.categoryBefore ?? 'Unknown', 20)})`);
  }
  const reclassified = diff.tools.filter((t) => t.status === 'unchanged' && t.changes.length > 0);
  if (reclassified.length > 0) {
    lines.push('', 'Same definition, new verdict (the classifier changed, not the tool):');
    for (const t of reclassified) {
      lines.push(`  ${name(t.name)}  ${t.changes.map((ch) => safeText(describeChange(ch), LINE_MAX)).join('; ')}`);
    }
  }
  if (options.showUnchanged) {
    const unchanged = diff.tools.filter((t) => t.status === 'unchanged' && t.changes.length === 0);
    if (unchanged.length > 0) lines.push('', 'Unchanged:', ...unchanged.map((t) => `  ${name(t.name)}`));
  }
  if (diff.findings.length > 0) {
    lines.push('', 'Findings:');
    // Warnings (drift) before info, each group in tool order.
    const ordered = [...diff.findings.filter((f) => f.severity !== 'info'), ...diff.findings.filter((f) => f.severity === 'info')];
    for (const f of ordered) {
      lines.push(`  ${f.severity === 'warning' ? bold('warning') : safeText(f.severity, 10)}  ${safeText(renderFinding(f), FINDING_MAX)}`);
    }
  }
  if (changed.length === 0 && added.length === 0 && removed.length === 0) lines.push('No tool definitions changed.');
  return lines.join('\n');
}
