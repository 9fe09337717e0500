// A server's page: its tools by risk, its findings, the recommended policy in each format, and its
// scan history with what changed since the scan before.
import { describeChange } from '../history/describe.js';
import type { ScanDiff } from '../history/diff.js';
import { attentionRank, CATEGORY_ORDER, RISK_ORDER } from '../model/index.js';
import type { Finding } from '../model/index.js';
import { renderFinding } from '../output/findings.js';
import { categoryOf, riskOf } from '../output/summary.js';
import type { ScanView, ToolView } from '../output/view.js';
import type { StoredScanInfo } from '../store/index.js';
import { bounded, html } from './html.js';
import type { Html } from './html.js';
import { counts, page, riskBadge, when } from './layout.js';
import type { PolicyFile } from './policies.js';

export interface ServerPageInput {
  name: string;
  /** Slug of each tool by name, for links. */
  toolSlugs: Map<string, string>;
  /** The last scan that listed tools; absent when none did. */
  view?: ScanView;
  /** Every scan, oldest first. */
  scans: StoredScanInfo[];
  /** The last good scan against the good one before it; absent with fewer than two. */
  diff?: ScanDiff;
  policies: PolicyFile[];
  generatedAt: string;
}

/** Most attention first, then the higher score, then by name: the order a reviewer reads in. */
export function byRisk(a: ToolView, b: ToolView): number {
  return (
    attentionRank(riskOf(b)) - attentionRank(riskOf(a)) ||
    (b.classification?.score ?? 0) - (a.classification?.score ?? 0) ||
    (a.definition.name < b.definition.name ? -1 : a.definition.name > b.definition.name ? 1 : 0)
  );
}

export function serverPage(input: ServerPageInput): string {
  const view = input.view;
  const last = input.scans.at(-1);
  const tools = view ? [...view.tools].sort(byRisk) : [];
  const body = html`<h1>${input.name}</h1>
    ${view ? sourceLine(view) : last ? html`<p class="muted">Source: ${last.source.kind} ${bounded(last.source.target, 300)}</p>` : ''}
    ${
      view
        ? html`<p>
            ${tools.length} tools: ${counts(CATEGORY_ORDER, tools.map(categoryOf)) || 'none'}. By risk: ${counts(RISK_ORDER, tools.map(riskOf)) || 'none'}. Last
            listed ${when(view.scan.startedAt)}${view.scan.isolation ? ` (${view.scan.isolation})` : ''}.
          </p>`
        : html`<p class="warning">
            No scan of this server has listed its tools, so nothing here is known to be
            safe.${last ? html` Last attempt ${when(last.startedAt)}: ${last.status}${last.error ? html`: ${bounded(last.error, 300)}` : ''}.` : ''}
          </p>`
    }
    ${last && view && last.id !== view.scan.id ? html`<p class="warning">The latest scan (${when(last.startedAt)}) did not list tools: ${last.status}${last.error ? html`: ${bounded(last.error, 300)}` : ''}. The tools below are from the last scan that did.</p>` : ''}
    ${view ? toolTable(tools, input.toolSlugs) : ''} ${view ? findingsSection(view) : ''}
    ${input.policies.length > 0 ? policySection(input.policies, 'The recommended starter policy', 'Deny by default; Read tools allowed, Write and Execute rate-limited, Financial behind human approval, Destructive and poisoned tools hidden.') : ''}
    ${historySection(input.scans, input.diff)}`;
  return page({
    title: input.name,
    root: '../../',
    crumbs: [{ label: 'Servers', href: '../../index.html' }, { label: input.name }],
    generatedAt: input.generatedAt,
    body,
  });
}

function sourceLine(view: ScanView): Html {
  const info = view.server.serverInfo;
  return html`<p class="muted">
    Source: ${view.server.source.kind}
    ${bounded(view.server.source.target, 300)}${info ? html` · reports itself as ${bounded(info.name, 120)}${info.version ? html` ${bounded(info.version, 40)}` : ''}` : ''}
  </p>`;
}

function toolTable(tools: ToolView[], slugs: Map<string, string>): Html {
  if (tools.length === 0) return html`<p>The server listed no tools.</p>`;
  return html`<h2>Tools</h2>
    <table id="tools">
      <thead>
        <tr>
          <th>Tool</th>
          <th>Category</th>
          <th>Risk</th>
          <th class="num">Score</th>
          <th>Capabilities</th>
          <th>Main signal</th>
        </tr>
      </thead>
      <tbody>
        ${tools.map((t) => {
          const c = t.classification;
          const slug = slugs.get(t.definition.name);
          return html`<tr>
            <td>${slug === undefined ? bounded(t.definition.name, 120) : html`<a href="tools/${slug}/index.html">${bounded(t.definition.name, 120)}</a>`}</td>
            <td>${categoryOf(t)}</td>
            <td>${riskBadge(riskOf(t))}${c && c.confidence < 0.6 ? html` <span class="muted" title="low confidence">?</span>` : ''}</td>
            <td class="num">${typeof c?.score === 'number' ? c.score : '–'}</td>
            <td>${(c?.capabilities ?? []).join(', ')}</td>
            <td>${bounded(c?.signals[0] ?? (c ? '' : 'not classified'), 160)}</td>
          </tr> `;
        })}
      </tbody>
    </table>`;
}

function findingsSection(view: ScanView): Html {
  const all: Finding[] = [...view.findings, ...view.tools.flatMap((t) => t.classification?.findings ?? [])];
  if (all.length === 0) return html``;
  const order = { error: 0, warning: 1, info: 2 } as const;
  all.sort((a, b) => order[a.severity] - order[b.severity]);
  return html`<h2>Findings</h2>
    ${findingList(all)}`;
}

export function findingList(findings: readonly Finding[]): Html {
  return html`<table class="findings">
    <thead>
      <tr>
        <th>Severity</th>
        <th>Code</th>
        <th>Tool</th>
        <th>What</th>
      </tr>
    </thead>
    <tbody>
      ${findings.map(
        (f) =>
          html`<tr>
            <td>${f.severity}</td>
            <td><code>${f.code}</code></td>
            <td>${bounded(f.tool ?? '', 120)}</td>
            <td>${bounded(renderFinding(f), 400)}</td>
          </tr> `,
      )}
    </tbody>
  </table>`;
}

export function policySection(policies: readonly PolicyFile[], heading: string, note: string, download = true): Html {
  return html`<h2>${heading}</h2>
    <p class="muted">${note}</p>
    ${policies.map(
      (p) =>
        html`<section class="policy" data-format="${p.format}">
          <h3>${p.label}</h3>
          <div class="policy-actions">
            <button type="button" data-copy="policy-${p.format}" hidden>Copy</button
            >${download ? html`<a href="${p.file}" download="${p.file}">Download ${p.file}</a>` : ''}
          </div>
          <pre id="policy-${p.format}"><code>${p.text}</code></pre>
        </section> `,
    )}`;
}

function historySection(scans: readonly StoredScanInfo[], diff: ScanDiff | undefined): Html {
  const newest = [...scans].reverse().slice(0, 50);
  return html`<h2>Scan history</h2>
    ${diff ? changesSince(diff) : html`<p class="muted">${scans.length < 2 ? 'Only one scan so far: nothing to compare.' : 'No two scans listed tools: nothing to compare.'}</p>`}
    <table id="scans">
      <thead>
        <tr>
          <th class="num">Scan</th>
          <th>Started</th>
          <th>Status</th>
          <th class="num">Tools</th>
          <th class="num">Took</th>
        </tr>
      </thead>
      <tbody>
        ${newest.map(
          (s) =>
            html`<tr>
              <td class="num">${s.id}</td>
              <td>${when(s.startedAt)}</td>
              <td>${s.status}${s.error ? html` <span class="muted">${bounded(s.error, 200)}</span>` : ''}</td>
              <td class="num">${s.toolCount}</td>
              <td class="num">${(s.durationMs / 1000).toFixed(1)} s</td>
            </tr> `,
        )}
      </tbody>
    </table>
    ${scans.length > newest.length ? html`<p class="muted">${scans.length - newest.length} older scans not shown.</p>` : ''}`;
}

function changesSince(diff: ScanDiff): Html {
  const changed = diff.tools.filter((t) => t.status !== 'unchanged');
  const c = diff.counts;
  return html`<h3>What changed since ${diff.from ? when(diff.from.startedAt) : 'the scan before'}</h3>
    <p>
      ${c.added} added, ${c.removed} removed, ${c.changed} changed, ${c.unchanged}
      unchanged${c.drift > 0 ? html`; <strong>${c.drift} drifted</strong> (a definition changed and its risk rose, or it gained a poisoning finding)` : ''}.
    </p>
    ${
      changed.length === 0
        ? ''
        : html`<ul class="compact" id="changes">
            ${changed.map(
              (t) =>
                html`<li>
                  <code>${bounded(t.name, 120)}</code>
                  ${t.status}${t.drift ? html` <strong>(drift)</strong>` : ''}${t.categoryBefore && t.categoryAfter && (t.categoryBefore !== t.categoryAfter || t.riskBefore !== t.riskAfter) ? `: ${t.categoryBefore}/${t.riskBefore ?? '?'} → ${t.categoryAfter}/${t.riskAfter ?? '?'}` : ''}${t.changes.length > 0 ? html`<br /><span class="muted">${bounded(t.changes.map(describeChange).join('; '), 400)}</span>` : ''}
                </li> `,
            )}
          </ul>`
    }`;
}
