// A tool's page: at least what a public catalogue's page says (risk banner, category and what it means,
// what the tool does, why it needs a policy, signals, the policy fragment) and what mcp-risk knows
// besides: the evidence from the definition, its parameters, findings, the history of its definition
// and related tools across the catalogue.
import { loadTaxonomy } from '../classify/taxonomy.js';
import { definitionChanges } from '../history/changes.js';
import { describeChange } from '../history/describe.js';
import type { Category, KnownCategory } from '../model/index.js';
import { categoryOf, riskOf } from '../output/summary.js';
import type { ToolView } from '../output/view.js';
import type { ToolVersionHistory } from '../store/index.js';
import type { ToolRef } from './catalogue.js';
import { bounded, html } from './html.js';
import type { Html } from './html.js';
import { page, riskBadge, riskClass, when } from './layout.js';
import type { PolicyFile } from './policies.js';
import { findingList, policySection } from './server-page.js';

export interface ToolPageInput {
  server: string;
  tool: ToolView;
  history: readonly ToolVersionHistory[];
  related: readonly ToolRef[];
  /** This tool's fragment of the server's policy, in each format. */
  policies: PolicyFile[];
  generatedAt: string;
}

/** What the starter policy does with a tool of each category, and why. */
const POLICY_STANCE: Record<Category, string> = {
  Read: 'Read tools only return information, so the starter policy allows them.',
  Write:
    'Write tools change state, reversibly: the starter policy allows them under a rate limit (30 calls a minute), so a looping agent cannot flood the service.',
  Execute:
    'Execute tools run code or commands whose effect the definition cannot bound: the starter policy allows them under a tight rate limit (10 calls a minute); review them before trusting an agent with them.',
  Destructive:
    'Destructive tools remove or end things with no undo: the starter policy hides them, so an agent cannot call them until a person enables them on purpose.',
  Financial: 'Financial tools move money, which cannot be recalled: the starter policy denies every call until a human approves it.',
  Unknown: 'Nothing in the definition says what this tool does, so it is left out of the policy and the default deny applies until a person has looked.',
};

const MAX_PARAMS = 100;

export function toolPage(input: ToolPageInput): string {
  const { tool, server } = input;
  const d = tool.definition;
  const c = tool.classification;
  const category = categoryOf(tool);
  const risk = riskOf(tool);
  const taxonomy = loadTaxonomy();
  const def = category === 'Unknown' ? undefined : taxonomy.categories.get(category as KnownCategory);
  const title = typeof d.title === 'string' ? d.title : typeof d.annotations?.title === 'string' ? d.annotations.title : undefined;
  const body = html`<div class="banner risk-${riskClass(risk)}" id="banner">
      <strong>${risk} risk</strong> ·
      ${category}${typeof c?.score === 'number' ? ` · score ${c.score}/5` : ''}${c ? html` · confidence ${c.confidence.toFixed(2)} · ${c.method}` : html` · not classified`}
    </div>
    <h1>${bounded(d.name, 200)}</h1>
    ${title ? html`<p class="muted">${bounded(title, 200)}</p>` : ''}
    <p>Part of the <a href="../../index.html">${server}</a> server.</p>
    <h2>What it does</h2>
    ${d.description && d.description.trim() !== '' ? html`<p class="description" id="description">${bounded(d.description.trim(), 5000)}</p>` : html`<p class="warning" id="description">No description: the server says nothing about what this tool does, which is itself a risk signal.</p>`}
    <h2>Category: ${category}</h2>
    <p>${def ? html`<strong>${def.means}</strong> ${def.description}` : taxonomy.unknownMeans}</p>
    <h2>Why it needs a policy</h2>
    ${c?.rationale ? html`<p id="rationale">${bounded(c.rationale, 2000)}</p>` : ''}
    <p>${POLICY_STANCE[category] ?? POLICY_STANCE.Unknown}</p>
    ${
      c && c.signals.length > 0
        ? html`<h2>Risk signals</h2>
            <ul class="compact" id="signals">
              ${c.signals.map((s) => html`<li>${bounded(s, 300)}</li>`)}
            </ul>`
        : ''
    }
    ${
      c && c.capabilities.length > 0
        ? html`<h2>Capabilities</h2>
            <ul class="compact">
              ${c.capabilities.map((id) => html`<li><code>${id}</code>${taxonomy.capabilities.get(id) ? html`: ${taxonomy.capabilities.get(id)!.means}` : ''}</li>`)}
            </ul>`
        : ''
    }
    ${evidenceSection(tool)} ${parameterSection(tool)} ${annotationSection(tool)}
    ${policySection(input.policies, 'Recommended policy for this tool', "This tool's part of the server's starter policy; the server page has the whole file.", false)}
    ${
      c && c.findings.length > 0
        ? html`<h2>Findings</h2>
            ${findingList(c.findings)}`
        : ''
    }
    ${historySection(tool, input.history)} ${relatedSection(input.related, category)}`;
  return page({
    title: `${d.name} (${server})`,
    root: '../../../../',
    crumbs: [{ label: 'Servers', href: '../../../../index.html' }, { label: server, href: '../../index.html' }, { label: d.name }],
    generatedAt: input.generatedAt,
    body,
  });
}

function evidenceSection(tool: ToolView): Html {
  const evidence = tool.classification?.evidence ?? [];
  if (evidence.length === 0) return html``;
  return html`<h2>Evidence from the tool's definition</h2>
    <table id="evidence">
      <thead>
        <tr>
          <th>Where</th>
          <th>What matched</th>
          <th>Rule</th>
          <th>Argues for</th>
        </tr>
      </thead>
      <tbody>
        ${evidence.slice(0, 60).map(
          (e) =>
            html`<tr>
              <td><code>${bounded(e.path, 200)}</code></td>
              <td>${bounded(e.match, 300)}</td>
              <td><code>${e.rule}</code>${e.hard ? ' (hard)' : ''}</td>
              <td>
                ${[e.category, e.capability, e.modifier ? `${e.modifier.id} ${e.modifier.delta > 0 ? '+' : ''}${e.modifier.delta}` : undefined].filter(Boolean).join(', ')}
              </td>
            </tr> `,
        )}
      </tbody>
    </table>`;
}

function parameterSection(tool: ToolView): Html {
  const schema = tool.definition.inputSchema as { properties?: unknown; required?: unknown } | undefined;
  const props =
    schema && typeof schema.properties === 'object' && schema.properties !== null ? Object.entries(schema.properties as Record<string, unknown>) : [];
  const required = new Set(Array.isArray(schema?.required) ? schema.required.filter((r): r is string => typeof r === 'string') : []);
  if (props.length === 0)
    return html`<h2>Parameters</h2>
      <p class="muted">None.</p>`;
  const field = (p: unknown, key: string): unknown => (typeof p === 'object' && p !== null ? (p as Record<string, unknown>)[key] : undefined);
  const text = (v: unknown, max: number): string => (typeof v === 'string' ? bounded(v, max) : v === undefined ? '' : bounded(JSON.stringify(v) ?? '', max));
  return html`<h2>Parameters</h2>
    <table id="parameters">
      <thead>
        <tr>
          <th>Name</th>
          <th>Type</th>
          <th>Required</th>
          <th>Description</th>
        </tr>
      </thead>
      <tbody>
        ${props.slice(0, MAX_PARAMS).map(
          ([name, p]) =>
            html`<tr>
              <td><code>${bounded(name, 120)}</code></td>
              <td>
                ${text(field(p, 'type'), 60)}${field(p, 'enum') !== undefined ? html`<br /><span class="muted">one of ${text(field(p, 'enum'), 300)}</span>` : ''}
              </td>
              <td>${required.has(name) ? 'yes' : 'no'}</td>
              <td class="description">${text(field(p, 'description'), 1000)}</td>
            </tr> `,
        )}
      </tbody>
    </table>
    ${props.length > MAX_PARAMS ? html`<p class="muted">${props.length - MAX_PARAMS} more parameters not shown.</p>` : ''}`;
}

function annotationSection(tool: ToolView): Html {
  const annotations = tool.definition.annotations ? Object.entries(tool.definition.annotations).filter(([k]) => k !== 'title') : [];
  return html`<h2>Annotations the server declares</h2>
    ${
      annotations.length === 0
        ? html`<p class="muted">None declared.</p>`
        : html`<ul class="compact">
              ${annotations.slice(0, 20).map(([k, v]) => html`<li><code>${bounded(k, 60)}</code>: ${bounded(JSON.stringify(v) ?? String(v), 120)}</li>`)}
            </ul>
            <p class="muted">
              Declared hints are the server's own claims: the verdict weighs them with the rest of the definition (see the evidence) and never takes them on
              trust.
            </p>`
    }`;
}

function historySection(tool: ToolView, history: readonly ToolVersionHistory[]): Html {
  if (history.length === 0) return html``;
  return html`<h2>History of its definition</h2>
    <table id="history">
      <thead>
        <tr>
          <th>Version</th>
          <th>First seen</th>
          <th>Last seen</th>
          <th class="num">Scans</th>
          <th>Verdict</th>
          <th>Changed from the version before</th>
        </tr>
      </thead>
      <tbody>
        ${history.map((h, i) => {
          const before = history[i - 1];
          const changes = before ? definitionChanges(before.definition, h.definition).map(describeChange).join('; ') : 'first version';
          return html`<tr>
            <td><code>${h.hash.slice(0, 12)}</code>${h.hash === tool.hash ? ' (current)' : ''}</td>
            <td>${when(h.firstSeenAt)}</td>
            <td>${when(h.lastSeenAt)}</td>
            <td class="num">${h.scans.length}</td>
            <td>${h.classification ? `${h.classification.category} / ${h.classification.risk}` : 'not classified'}</td>
            <td>${bounded(changes, 600)}</td>
          </tr> `;
        })}
      </tbody>
    </table>`;
}

function relatedSection(related: readonly ToolRef[], category: Category): Html {
  if (related.length === 0) return html``;
  return html`<h2>Related tools across the catalogue</h2>
    <p class="muted">Other ${category} tools whose name leads with the same action.</p>
    <ul class="compact" id="related">
      ${related.map((t) => html`<li><a href="../../../${t.serverSlug}/tools/${t.slug}/index.html">${bounded(t.name, 120)}</a> <span class="muted">on ${bounded(t.server, 120)}</span> ${riskBadge(t.risk)}</li>`)}
    </ul>`;
}
