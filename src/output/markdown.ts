// Renders scans as Markdown for a pull-request comment: a summary, the tools to look at, findings, drift.
//
// Every piece of server text goes through markdownText or markdownCode (safe-text.ts), so a hostile name
// or description cannot add a link, an image, HTML or a table row. The only HTML is our own <details>.
import type { ScanDiff, ToolDiff } from '../history/index.js';
import { describeChange } from '../history/index.js';
import { CATEGORY_ORDER, isListed, RISK_ORDER } from '../model/index.js';
import type { Finding, LlmRun, Severity } from '../model/index.js';
import { renderFinding } from './findings.js';
import { plural } from './plural.js';
import { markdownCode, markdownText } from './safe-text.js';
import { byAttention, categoryOf, riskOf, riskWithScore, summarise } from './summary.js';
import { needsReview } from './view.js';
import type { ScanView, ToolView } from './view.js';

export interface MarkdownScan {
  view: ScanView;
  /** Against the server's previous scan that listed tools, when there is one. */
  diff?: ScanDiff;
}

/**
 * A comment must stay under GitHub's 65,536 characters whatever a server lists: past these, a section
 * says how many more there are and where to see them all (the JSON and SARIF reports list everything).
 */
export const MARKDOWN_LIMITS = { tools: 50, findings: 50, changes: 50 } as const;

const NAME_MAX = 80;
const CELL_MAX = 160;
const LINE_MAX = 400;

const SEVERITY_ORDER: readonly Severity[] = ['error', 'warning', 'info'];
const ATTENTION_RISKS = new Set(['Critical', 'High']);

/** The whole comment, ending in a newline. */
export function renderMarkdown(scans: readonly MarkdownScan[]): string {
  const lines = ['## mcp-risk report', ''];
  if (scans.length > 1) lines.push(`${plural(scans.length, 'server')} scanned: ${outcomeCounts(scans.map((s) => s.view))}.`, '');
  for (const scan of scans) lines.push(...serverSection(scan), '');
  return `${lines.join('\n').trimEnd()}\n`;
}

function outcomeCounts(views: readonly ScanView[]): string {
  const counts = new Map<string, number>();
  for (const v of views) counts.set(v.scan.status, (counts.get(v.scan.status) ?? 0) + 1);
  return [...counts].map(([status, n]) => `${n} ${markdownText(status, 20)}`).join(', ');
}

function serverSection({ view, diff }: MarkdownScan): string[] {
  const info = view.server.serverInfo;
  const version = info?.version === undefined ? '' : ` ${markdownText(info.version, 40)}`;
  const lines = [`### ${markdownCode(view.server.name, NAME_MAX)}${version}`, ''];
  lines.push(...summaryLines(view), '');
  if (!isListed(view.scan.status)) {
    // No table at all: an empty one would read as "nothing risky here".
    lines.push(
      `**The scan did not list tools** (${markdownText(view.scan.status, 20)}): ${markdownText(view.scan.error ?? 'no error message was given', LINE_MAX)}`,
    );
    lines.push('', 'No tools were classified: the risk of this server is **Unknown**.');
    return [...lines, ...findingLines(view), ...driftLines(diff)];
  }
  lines.push(...attentionTable(view.tools), ...findingLines(view), ...driftLines(diff));
  return lines;
}

function summaryLines(view: ScanView): string[] {
  const s = summarise(view);
  const id = view.scan.id === undefined ? '' : `, scan #${view.scan.id}`;
  const lines = [`- **Scan:** ${markdownText(view.scan.status, 20)}, ${plural(s.tools, 'tool')}${id}, ${markdownText(view.scan.startedAt, 40)}`];
  if (s.tools > 0) {
    lines.push(
      `- **By category:** ${CATEGORY_ORDER.filter((c) => s.byCategory[c] > 0)
        .map((c) => `${c} ${s.byCategory[c]}`)
        .join(' · ')}`,
    );
    lines.push(
      `- **By risk:** ${RISK_ORDER.filter((r) => s.byRisk[r] > 0)
        .map((r) => (ATTENTION_RISKS.has(r) ? `**${r} ${s.byRisk[r]}**` : `${r} ${s.byRisk[r]}`))
        .join(' · ')}`,
    );
  }
  lines.push(`- **Classified by:** ${classifiedBy(view.scan.llm)}`);
  if (s.needsReview > 0) lines.push(`- **Needs review:** ${plural(s.needsReview, 'tool')} on which the rules and the LLM disagree`);
  return lines;
}

function classifiedBy(llm: LlmRun | undefined): string {
  if (llm === undefined) return 'the rules only';
  if (llm.status === 'off') return `the rules only${llm.reason === undefined ? '' : ` (${markdownText(llm.reason, 200)})`}`;
  const who = `${markdownText(llm.model ?? '?', 60)}, ${markdownText(llm.prompt ?? '?', 40)}`;
  if (llm.status === 'ok') return `the rules and an LLM (${who})`;
  return `the rules and an LLM (${who}), whose part ${llm.status === 'failed' ? 'failed' : 'is incomplete'}: ${markdownText(llm.reason ?? 'no reason given', 200)}; those tools keep their rules-only verdicts`;
}

function attentionTable(tools: readonly ToolView[]): string[] {
  const urgent = tools.filter((t) => ATTENTION_RISKS.has(riskOf(t))).sort(byAttention);
  const unknown = tools.filter((t) => riskOf(t) === 'Unknown');
  const lines = ['#### Critical and High tools', ''];
  if (urgent.length === 0) lines.push(tools.length === 0 ? 'The server listed no tools.' : 'None.');
  else {
    lines.push('| Tool | Category | Risk | Main reason |', '| --- | --- | --- | --- |');
    for (const t of urgent.slice(0, MARKDOWN_LIMITS.tools)) {
      const review = needsReview(t) ? '**needs review:** ' : '';
      const reason = t.classification?.signals[0] ?? t.classification?.rationale ?? 'Not classified';
      lines.push(
        `| ${markdownCode(t.definition.name, NAME_MAX, { cell: true })} | ${markdownText(categoryOf(t), 20, { cell: true })} | ${markdownText(riskWithScore(t), 20, { cell: true })} | ${review}${markdownText(reason, CELL_MAX, { cell: true })} |`,
      );
    }
    lines.push(...more(urgent.length, MARKDOWN_LIMITS.tools, 'Critical and High tools'));
  }
  if (unknown.length > 0) {
    const names = unknown.slice(0, MARKDOWN_LIMITS.tools).map((t) => markdownCode(t.definition.name, NAME_MAX));
    lines.push(
      '',
      `${plural(unknown.length, 'tool')} could not be classified (**Unknown**, never safe): ${names.join(', ')}${unknown.length > names.length ? ', …' : ''}. Review them by hand.`,
    );
  }
  return [...lines, ''];
}

function findingLines(view: ScanView): string[] {
  const all = [...view.findings, ...view.tools.flatMap((t) => t.classification?.findings ?? [])];
  if (all.length === 0) return [];
  const ordered = SEVERITY_ORDER.flatMap((severity) => all.filter((f) => f.severity === severity));
  const shown = ordered.filter((f) => f.severity !== 'info');
  const info = ordered.filter((f) => f.severity === 'info');
  const lines = [`#### Findings (${all.length})`, ''];
  if (shown.length > 0) {
    lines.push(...shown.slice(0, MARKDOWN_LIMITS.findings).map(findingLine), ...more(shown.length, MARKDOWN_LIMITS.findings, 'errors and warnings'));
  }
  if (info.length > 0) {
    // Suggestions (missing hints, new tools) fold away, so errors and warnings stay on top.
    lines.push('', `<details><summary>${plural(info.length, 'info finding')}</summary>`, '');
    lines.push(...info.slice(0, MARKDOWN_LIMITS.findings).map(findingLine), ...more(info.length, MARKDOWN_LIMITS.findings, 'info findings'));
    lines.push('', '</details>');
  }
  return [...lines, ''];
}

function findingLine(f: Finding): string {
  const where = f.tool === undefined ? '' : ` on ${markdownCode(f.tool, NAME_MAX)}`;
  return `- **${f.severity}** ${markdownCode(f.code, 60)}${where}: ${markdownText(renderFinding(f), LINE_MAX)}`;
}

function driftLines(diff: ScanDiff | undefined): string[] {
  if (diff === undefined || diff.from === null || !diff.comparable) return [];
  const c = diff.counts;
  const lines = [`#### Changes since scan #${diff.from.scanId} (${markdownText(diff.from.startedAt, 40)})`, ''];
  lines.push(
    `${c.added} added, ${c.removed} removed, ${c.changed} changed${c.drift > 0 ? ` (**${c.drift} drift**: risk rose or poisoning appeared)` : ''}, ${c.unchanged} unchanged.`,
  );
  const listed = diff.tools.filter((t) => t.status !== 'unchanged' || t.changes.length > 0);
  if (listed.length > 0) lines.push('');
  for (const t of listed.slice(0, MARKDOWN_LIMITS.changes)) lines.push(changeLine(t));
  lines.push(...more(listed.length, MARKDOWN_LIMITS.changes, 'changed tools'));
  return [...lines, ''];
}

function changeLine(t: ToolDiff): string {
  const name = markdownCode(t.name, NAME_MAX);
  const verdict = (category: string | undefined, risk: string | undefined): string =>
    `${markdownText(category ?? 'Unknown', 20)}, ${markdownText(risk ?? 'Unknown', 20)}`;
  if (t.status === 'added') return `- added ${name} (${verdict(t.categoryAfter, t.riskAfter)})`;
  if (t.status === 'removed') return `- removed ${name} (was ${verdict(t.categoryBefore, t.riskBefore)})`;
  const moved =
    t.categoryBefore !== t.categoryAfter || t.riskBefore !== t.riskAfter
      ? `${verdict(t.categoryBefore, t.riskBefore)} → ${verdict(t.categoryAfter, t.riskAfter)}`
      : verdict(t.categoryAfter, t.riskAfter);
  const drift = t.drift ? ' **DRIFT**' : '';
  const gained = t.poisoningGained === undefined ? '' : `; poisoning gained: ${t.poisoningGained.map((c) => markdownCode(c, 60)).join(', ')}`;
  // `unchanged` with changes: the same definition under a newer classifier.
  const what =
    t.status === 'unchanged'
      ? 'same definition, new verdict'
      : markdownText(
          t.changes
            .filter((ch) => ch.kind !== 'verdict')
            .map(describeChange)
            .join('; '),
          LINE_MAX,
        );
  return `- changed ${name} (${moved})${drift}${gained}: ${what}`;
}

function more(total: number, limit: number, what: string): string[] {
  return total > limit ? [``, `… and ${total - limit} more ${what}; the JSON and SARIF reports list them all.`] : [];
}
