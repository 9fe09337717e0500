// Renders a catalogue refresh: a progress line (or plain lines off a terminal) and the closing summary.
import { isListed } from '../model/index.js';
import type { RefreshSummary, ServerOutcome } from '../refresh/refresh.js';
import { plural } from './plural.js';
import { RESET, RISK_COLOR, safeText } from './terminal.js';

const BAR = 24;

/** What the progress line shows; the command keeps it up to date from the refresh's events. */
export interface RefreshProgress {
  total: number;
  /** Done in this attempt and before an interruption. */
  done: number;
  /** Done in this attempt: the estimate is made from these. */
  doneNow: number;
  failed: number;
  /** Servers being scanned now, by name, oldest first. */
  inFlight: readonly string[];
  elapsedMs: number;
}

/**
 * One line that a terminal redraws in place: a bar, elapsed time, done / failed / remaining, an estimate
 * once a server of this attempt has finished, and the servers in flight by name.
 */
export function progressLine(p: RefreshProgress, width = 160): string {
  const filled = p.total === 0 ? BAR : Math.round((p.done / p.total) * BAR);
  const remaining = Math.max(0, p.total - p.done);
  const estimate = p.doneNow > 0 && remaining > 0 ? ` · about ${clock((p.elapsedMs / p.doneNow) * remaining)} left` : '';
  const head = `[${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] ${clock(p.elapsedMs)} · ${p.done}/${p.total} done · ${p.failed} failed · ${remaining} remaining${estimate}`;
  if (p.inFlight.length === 0) return head;
  const names = p.inFlight.map((n) => safeText(n, 40));
  let line = `${head} · now: ${names[0]}`;
  for (let i = 1; i < names.length; i++) {
    const more = `, ${names[i]}`;
    const rest = ` +${names.length - i}`;
    if (line.length + more.length + rest.length > width) return line + rest;
    line += more;
  }
  return line;
}

/** 75 s as 1:15, an hour and more as 1:02:03. */
function clock(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const two = (n: number): string => String(n).padStart(2, '0');
  return s >= 3600 ? `${Math.floor(s / 3600)}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}` : `${Math.floor(s / 60)}:${two(s % 60)}`;
}

/** The line a non-terminal gets for each finished server. */
export function serverLine(s: ServerOutcome, done: number, total: number): string {
  const version = s.resolvedVersion && !s.resolvedVersion.startsWith('sha256:') ? `@${safeText(s.resolvedVersion, 40)}` : '';
  const what =
    s.outcome === 'unchanged'
      ? 'unchanged, skipped'
      : isListed(s.outcome)
        ? `${s.outcome}, ${plural(s.tools, 'tool')}${s.changes ? `, ${s.changes.added} added, ${s.changes.removed} removed, ${s.changes.changed} changed` : ''}`
        : `${s.outcome}: ${safeText(s.error ?? 'no detail', 200)}`;
  const retries = s.attempts > 1 ? ` after ${s.attempts} attempts` : '';
  return `[${done}/${total}] ${safeText(s.name, 80)}${version} ${what}${retries} (${(s.durationMs / 1000).toFixed(1)} s)`;
}

export function renderRefreshSummary(s: RefreshSummary, options: { color?: boolean } = {}): string {
  const lines: string[] = [];
  const shard = s.shard ? ` (shard ${s.shard})` : '';
  lines.push(
    `Refresh #${s.refreshId} of ${safeText(s.catalogue, 200)}${shard}: ${s.servers} servers in ${(s.durationMs / 1000).toFixed(1)} s${s.resumed ? `, resumed (${s.doneEarlier} done before the interruption)` : ''}`,
  );
  const outcomes = Object.entries(s.byOutcome)
    .filter(([, n]) => n > 0)
    .map(([o, n]) => `${o} ${n}`);
  lines.push(`Servers: ${outcomes.length > 0 ? outcomes.join(' · ') : 'none scanned in this attempt'}`);
  const risks = Object.entries(s.tools.byRisk)
    .filter(([, n]) => n > 0)
    .map(([r, n]) =>
      options.color && RISK_COLOR[r as keyof typeof RISK_COLOR] ? `${RISK_COLOR[r as keyof typeof RISK_COLOR]}${r} ${n}${RESET}` : `${r} ${n}`,
    );
  const cats = Object.entries(s.tools.byCategory)
    .filter(([, n]) => n > 0)
    .map(([c, n]) => `${c} ${n}`);
  lines.push(`Tools: ${s.tools.total} (latest good scan of each covered server)`);
  if (s.tools.total > 0) lines.push(`  by category: ${cats.join(' · ')}`, `  by risk: ${risks.join(' · ')}`);
  lines.push(
    `Since the previous scans: ${s.changes.added} tools added, ${s.changes.removed} removed, ${s.changes.changed} changed${s.changes.drift > 0 ? `, ${s.changes.drift} drifted (risk rose or a poisoning finding appeared)` : ''}`,
  );
  if (s.newCritical.length > 0) {
    lines.push(`New Critical tools (${s.newCritical.length}):`);
    for (const t of s.newCritical.slice(0, 50)) lines.push(`  ${safeText(t.server, 80)}/${safeText(t.tool, 80)}`);
    if (s.newCritical.length > 50) lines.push(`  … and ${s.newCritical.length - 50} more`);
  }
  if (s.notCovered.length > 0) {
    lines.push(`Not covered (${s.notCovered.length}): never scanned successfully; their risk is Unknown, not "no risky tools":`);
    for (const n of s.notCovered.slice(0, 50)) lines.push(`  ${safeText(n.name, 80)}: ${n.status}${n.error ? `: ${safeText(n.error, 160)}` : ''}`);
    if (s.notCovered.length > 50) lines.push(`  … and ${s.notCovered.length - 50} more`);
  }
  lines.push(
    `Classification: ${s.classified} tools classified, ${s.reused} unchanged tools kept their verdict` +
      (s.reclassified > 0 ? `, ${s.reclassified} tools of unchanged servers re-classified from their stored definitions (the classifier changed)` : ''),
  );
  if (s.llm.requests > 0 || s.llm.cachedTools > 0 || s.llm.failedServers > 0) {
    lines.push(
      `LLM: ${s.llm.requests} requests · ${s.llm.cachedTools} cached · ${s.llm.promptTokens.toLocaleString('en-US')} prompt + ${s.llm.completionTokens.toLocaleString('en-US')} completion tokens${s.llm.failedServers > 0 ? ` · LLM part failed for ${s.llm.failedServers} servers (rules-only verdicts kept)` : ''}`,
    );
  }
  return lines.join('\n');
}
