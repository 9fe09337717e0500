// The catalogue's front page: every server, what its tools can do, how risky, and whether it was ever
// scanned. A server no scan could list is shown as not covered, never as safe.
import { CATEGORY_ORDER, highestRisk, RISK_ORDER } from '../model/index.js';
import type { Risk } from '../model/index.js';
import type { CatalogueIndex, IndexedServer } from './catalogue.js';
import { html } from './html.js';
import { counts, page, riskBadge, when } from './layout.js';

export function indexPage(catalogue: CatalogueIndex, generatedAt: string): string {
  const servers = catalogue.servers;
  const covered = servers.filter((s) => s.summary.lastOkScanId !== undefined).length;
  const tools = servers.reduce((n, s) => n + s.tools.length, 0);
  const body = html`<h1>MCP server catalogue</h1>
    <p>
      ${servers.length} servers, ${tools} tools. ${covered} servers listed their tools at least once; ${servers.length - covered} never did and are not covered
      (their tools are unknown, not safe).
    </p>
    <form id="filters" class="filters" hidden>
      <label>Search <input type="search" name="q" placeholder="server name" autocomplete="off" /></label>
      <label
        >Highest risk
        <select name="risk">
          <option value="">any</option>
          ${RISK_ORDER.map((r) => html`<option value="${r}">${r}</option>`)}
        </select></label
      >
      <label
        >Coverage
        <select name="coverage">
          <option value="">all</option>
          <option value="covered">scanned</option>
          <option value="not-covered">never scanned successfully</option>
        </select></label
      >
      <span id="shown" class="muted" aria-live="polite"></span>
    </form>
    <table id="servers">
      <thead>
        <tr>
          <th>Server</th>
          <th class="num">Tools</th>
          <th>Highest risk</th>
          <th>By category</th>
          <th>By risk</th>
          <th>Last scan</th>
        </tr>
      </thead>
      <tbody>
        ${servers.map(serverRow)}
      </tbody>
    </table>`;
  return page({ title: 'Servers', root: '', generatedAt, body });
}

function serverRow(s: IndexedServer): ReturnType<typeof html> {
  const summary = s.summary;
  const ok = summary.lastOkScanId !== undefined;
  // The model's own ranking (Unknown counts above Medium), as `show` and the JSON give it.
  const highest: Risk = ok ? (highestRisk(s.tools.map((t) => t.risk)) ?? 'Unknown') : 'Unknown';
  const href = `servers/${s.slug}/index.html`;
  return html`<tr data-search="${summary.name.toLowerCase()}" data-risk="${highest}" data-coverage="${ok ? 'covered' : 'not-covered'}">
    <td><a href="${href}">${summary.name}</a></td>
    <td class="num">${ok ? s.tools.length : '–'}</td>
    <td>${ok ? (s.tools.length === 0 ? html`<span class="muted">no tools</span>` : riskBadge(highest)) : html`<span class="muted">not covered</span>`}</td>
    <td>
      ${
        ok
          ? counts(
              CATEGORY_ORDER,
              s.tools.map((t) => t.category),
            )
          : ''
      }
    </td>
    <td>
      ${
        ok
          ? counts(
              RISK_ORDER,
              s.tools.map((t) => t.risk),
            )
          : ''
      }
    </td>
    <td>
      ${when(summary.lastScanAt)}${summary.lastStatus === 'ok' || summary.lastStatus === 'no-tools' ? '' : html` <span class="muted">(${summary.lastStatus})</span>`}
    </td>
  </tr> `;
}
