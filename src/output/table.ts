// Renders one scan as a terminal table: header, tools by risk, and a footer of counts.
import { CATEGORY_ORDER, RISK_ORDER } from '../model/index.js';
import type { Finding, LlmRun } from '../model/index.js';
import type { StoredScan } from '../store/index.js';
import { renderFinding } from './findings.js';
import { plural } from './plural.js';
import { byAttention, categoryOf, LOW_CONFIDENCE, riskOf, riskWithScore, summarise } from './summary.js';
import { BOLD, padEnd, RESET, RISK_COLOR, safeText, textWidth } from './terminal.js';
import { needsReview, toView } from './view.js';
import type { ScanView, ToolView } from './view.js';
import { isPoisoning } from '../poisoning/analyse.js';

export interface TableOptions {
  /** ANSI colours for risk; the CLI turns this on for a TTY. Default off. */
  color?: boolean;
  /** List every finding under the table. Default off: the footer only counts them. */
  showFindings?: boolean;
  /** Widest a tool name or signal cell may get before it is cut with `…`. */
  maxCellWidth?: number;
}

const STATUS_LINE: Record<string, string> = {
  failed: 'Scan failed',
  timeout: 'Scan timed out',
  'auth-required': 'The server requires authentication',
};

/** The table as lines joined by `\n`, without a trailing newline (the caller prints it). */
export function renderScanTable(result: ScanView | StoredScan, options: TableOptions = {}): string {
  const view = toView(result);
  const color = options.color === true;
  const cell = options.maxCellWidth ?? 48;
  const lines: string[] = [header(view, color)];
  const status = view.scan.status;

  if (status === 'failed' || status === 'timeout' || status === 'auth-required') {
    // No table at all: an empty one would read as "nothing risky here".
    lines.push(`${STATUS_LINE[status]}: ${safeText(view.scan.error ?? 'no error message was given', 300)}`);
    lines.push('No tools were classified; the risk of this server is Unknown.');
  } else if (view.tools.length === 0) {
    lines.push('The server listed no tools.');
  } else {
    lines.push('', ...toolTable(view.tools, color, cell));
  }

  lines.push('', ...footer(view, color));
  // Errors and warnings are listed, a line each; info findings are listed on request and counted otherwise.
  const listed = findingLines(view, (f) => options.showFindings === true || f.severity !== 'info' || isPoisoning(f));
  if (listed.length > 0) lines.push('Findings:', ...listed);
  return lines.join('\n');
}

const ISOLATION_WORDS: Record<NonNullable<ScanView['scan']['isolation']>, string> = {
  sandbox: 'sandboxed',
  'sandbox+network': 'sandboxed with network',
  'pid-namespace': 'unsandboxed',
  'process-group': 'unsandboxed',
};

function header(view: ScanView, color: boolean): string {
  const name = safeText(view.server.name, 80);
  const info = view.server.serverInfo;
  const version = info?.version ? ` ${safeText(info.version, 40)}` : '';
  const reported = info?.name && info.name !== view.server.name ? ` (${safeText(info.name, 80)})` : '';
  const tools = plural(view.tools.length, 'tool');
  const id = view.scan.id !== undefined ? ` #${view.scan.id}` : '';
  const isolation = view.scan.isolation === undefined ? '' : ` · ${ISOLATION_WORDS[view.scan.isolation]}`;
  const when = `scanned ${safeText(view.scan.startedAt, 40)} in ${formatDuration(view.scan.durationMs)}${id}${isolation}`;
  const title = `${name}${version}${reported}`;
  return `${color ? `${BOLD}${title}${RESET}` : title} · ${view.scan.status} · ${tools} · ${when}`;
}

function toolTable(tools: ToolView[], color: boolean, maxCell: number): string[] {
  const rows = [...tools].sort(byAttention).map((t) => ({
    tool: safeText(t.definition.name, maxCell),
    category: safeText(categoryOf(t), 20),
    // A verdict the classifier is unsure of is marked, so nobody reads it as settled.
    risk: `${riskWithScore(t)}${lowConfidence(t) ? '?' : ''}`,
    riskLevel: riskOf(t),
    caps: (t.classification?.capabilities ?? []).map((c) => CAPS[c] ?? safeText(c, 20)).join(','),
    signal: `${needsReview(t) ? '[needs review] ' : ''}${t.classification ? safeText(t.classification.signals[0] ?? '', maxCell * 2) : 'Not classified'}`,
  }));
  const head = { tool: 'TOOL', category: 'CATEGORY', risk: 'RISK', caps: 'CAPS', signal: 'MAIN SIGNAL' };
  const width = (key: 'tool' | 'category' | 'risk' | 'caps'): number => Math.max(head[key].length, ...rows.map((r) => textWidth(r[key])));
  const w = { tool: width('tool'), category: width('category'), risk: width('risk'), caps: width('caps') };
  const line = (r: Omit<(typeof rows)[number], 'riskLevel'>, riskColor?: string): string => {
    const riskCell = padEnd(r.risk, w.risk);
    const coloured = riskColor ? `${riskColor}${riskCell}${RESET}` : riskCell;
    return `${padEnd(r.tool, w.tool)}  ${padEnd(r.category, w.category)}  ${coloured}  ${padEnd(r.caps, w.caps)}  ${r.signal}`.trimEnd();
  };
  const lines = [line(head), ...rows.map((r) => line(r, color ? RISK_COLOR[r.riskLevel] : undefined))];
  const legend = [
    rows.some((r) => r.caps !== '')
      ? `CAPS: ${Object.entries(CAPS)
          .filter(([, short]) => rows.some((r) => r.caps.split(',').includes(short)))
          .map(([id, short]) => `${short}=${id}`)
          .join(' ')}`
      : '',
    rows.some((r) => r.risk.endsWith('?')) ? `? = low confidence (below ${LOW_CONFIDENCE})` : '',
  ].filter(Boolean);
  return legend.length > 0 ? [...lines, '', legend.join(' · ')] : lines;
}

/** Capabilities as the CAPS column abbreviates them; one the table does not know is shown whole. */
const CAPS: Record<string, string> = {
  'external-communication': 'comm',
  'sensitive-data': 'sens',
  'code-execution': 'code',
  filesystem: 'fs',
  'network-egress': 'net',
  'untrusted-content': 'untr',
  bulk: 'bulk',
  irreversible: 'irrev',
  'costs-money': 'money',
};

const lowConfidence = (t: ToolView): boolean => t.classification !== undefined && t.classification.confidence < LOW_CONFIDENCE;

function footer(view: ScanView, color: boolean): string[] {
  const s = summarise(view);
  const lines: string[] = [];
  if (s.tools > 0) {
    const cats = CATEGORY_ORDER.filter((c) => s.byCategory[c] > 0).map((c) => `${c} ${s.byCategory[c]}`);
    const risks = RISK_ORDER.filter((r) => s.byRisk[r] > 0).map((r) => {
      const text = `${r} ${s.byRisk[r]}`;
      return color ? `${RISK_COLOR[r]}${text}${RESET}` : text;
    });
    lines.push(`Categories: ${cats.join(' · ')}`);
    lines.push(`Risk: ${risks.join(' · ')}`);
  }
  lines.push(`${plural(s.findings, 'finding')}${s.needsReview > 0 ? ` · ${s.needsReview} needs review (rules and LLM disagree)` : ''}`);
  const llm = view.scan.llm;
  if (llm !== undefined && llm.status !== 'off') lines.push(llmLine(llm));
  return lines;
}

/** One line on the LLM part: what answered, what it cost, and whether it failed. Off is said once by the caller. */
export function llmLine(llm: LlmRun): string {
  const who = `${safeText(llm.model ?? '?', 60)} with ${safeText(llm.prompt ?? '?', 40)}`;
  const requests = plural(llm.requests, 'request');
  const tokens = `${llm.promptTokens.toLocaleString('en-US')} prompt + ${llm.completionTokens.toLocaleString('en-US')} completion tokens`;
  const cached = `${llm.cachedTools} cached`;
  const base = `LLM: ${who} · ${requests} · ${cached} · ${tokens}`;
  if (llm.status === 'ok') return base;
  const what = llm.status === 'failed' ? 'LLM part failed' : `LLM part incomplete (${llm.unknownTools} of ${llm.askedTools} tools without an LLM verdict)`;
  return `${base}\n${what}: ${safeText(llm.reason ?? 'no reason given', 300)}; those tools keep their rules-only verdicts.`;
}

const SEVERITY_ORDER: Record<Finding['severity'], number> = { error: 0, warning: 1, info: 2 };

function findingLines(view: ScanView, keep: (f: Finding) => boolean): string[] {
  const all = [...view.findings, ...view.tools.flatMap((t) => t.classification?.findings ?? [])].filter(keep);
  all.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  return all.map(
    (f) => `  ${f.severity.padEnd(7)} ${f.tool === undefined ? '' : `${safeText(f.tool, 40)} `}${safeText(f.code, 60)}: ${safeText(renderFinding(f), 300)}`,
  );
}

function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
