// Renders one tool in full: verdict, evidence, annotations, findings and its version history.
import type { ToolVersionHistory } from '../store/index.js';
import { renderFinding } from './findings.js';
import { plural } from './plural.js';
import { BOLD, RESET, safeText } from './terminal.js';
import { needsReview } from './view.js';
import type { ToolView } from './view.js';

export interface ToolDetailOptions {
  color?: boolean;
}

/** Lines joined by `\n`, without a trailing newline. All server text goes through safeText. */
export function renderToolDetail(tool: ToolView, history: readonly ToolVersionHistory[] = [], options: ToolDetailOptions = {}): string {
  const d = tool.definition;
  const c = tool.classification;
  const name = safeText(d.name, 120);
  const title = d.title ?? d.annotations?.title;
  const lines: string[] = [`${options.color ? `${BOLD}${name}${RESET}` : name}${typeof title === 'string' ? ` — ${safeText(title, 120)}` : ''}`];
  lines.push(`Hash: ${tool.hash}`);
  if (c) {
    const prov = [c.provenance.rules, c.provenance.taxonomy, c.provenance.prompt, c.provenance.model].filter(Boolean).map((x) => safeText(x, 60));
    lines.push(
      `Category: ${safeText(c.category, 20)}   Risk: ${safeText(c.risk, 20)}${typeof c.score === 'number' ? ` (score ${c.score}/5)` : ''}   Confidence: ${formatConfidence(c.confidence)}   Method: ${safeText(c.method, 20)} (${prov.join(', ')})`,
    );
  } else {
    lines.push('Category: Unknown   Risk: Unknown   (not classified)');
  }
  lines.push(`Description: ${d.description ? safeText(d.description, 600) : '(none)'}`);
  if (c) {
    if (c.signals.length > 0) lines.push('Signals:', ...c.signals.map((s) => `  - ${safeText(s, 200)}`));
    if (c.capabilities.length > 0) lines.push(`Capabilities: ${c.capabilities.map((x) => safeText(x, 60)).join(', ')}`);
    if (c.rationale) lines.push(`Rationale: ${safeText(c.rationale, 800)}`);
    if (needsReview(tool)) lines.push('Needs review: the rules and the LLM disagree (see Findings).');
    if (c.llm) {
      const who = `${safeText(c.llm.model, 60)}, ${safeText(c.llm.prompt, 40)}`;
      lines.push(
        c.llm.status === 'ok'
          ? `LLM opinion (${who}): ${safeText(c.llm.category, 20)}, risk ${safeText(c.llm.risk, 20)}, confidence ${formatConfidence(c.llm.confidence)}: ${safeText(c.llm.rationale, 600)}`
          : `LLM opinion (${who}): none (${safeText(c.llm.reason ?? 'no reason given', 300)})`,
      );
    }
    if (c.evidence.length > 0) {
      lines.push(
        'Evidence:',
        ...c.evidence.map((e) => {
          const extra = [
            e.category ? `→ ${e.category}` : '',
            e.capability ? `+${safeText(e.capability, 40)}` : '',
            e.modifier ? `${safeText(e.modifier.id, 40)} ${e.modifier.delta >= 0 ? '+' : ''}${e.modifier.delta}` : '',
            e.hard ? 'hard' : '',
          ].filter(Boolean);
          return `  - ${safeText(e.rule, 60)} at ${safeText(e.path, 80)}: "${safeText(e.match, 120)}"${extra.length ? ` (${extra.join(', ')})` : ''}`;
        }),
      );
    }
  }
  const annotations = d.annotations ? Object.entries(d.annotations).filter(([k]) => k !== 'title') : [];
  lines.push(
    `Annotations: ${annotations.length === 0 ? '(none declared)' : annotations.map(([k, v]) => `${safeText(k, 40)}=${safeText(JSON.stringify(v) ?? String(v), 60)}`).join(', ')}`,
  );
  const findings = c?.findings ?? [];
  if (findings.length > 0) lines.push('Findings:', ...findings.map((f) => `  - ${safeText(f.code, 60)}: ${safeText(renderFinding(f), 300)}`));
  if (history.length > 0) {
    lines.push(`History (${plural(history.length, 'version')}):`);
    for (const h of history) {
      const current = h.hash === tool.hash ? '  [current]' : '';
      const risk = h.classification ? safeText(h.classification.risk, 20) : 'Unknown';
      const scans = plural(h.scans.length, 'scan');
      lines.push(`  ${h.hash.slice(0, 12)}  first seen ${safeText(h.firstSeenAt, 30)}  last seen ${safeText(h.lastSeenAt, 30)}  ${scans}  ${risk}${current}`);
    }
  }
  return lines.join('\n');
}

function formatConfidence(n: number): string {
  return Number.isFinite(n) ? n.toFixed(2) : '?';
}
