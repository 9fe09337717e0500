// Across the servers of one client config: text of one server that names another server's tool (with
// an order, that is shadowing across servers), a tool that copies another server's tool (impersonation),
// and a toxic flow that only the servers together make.
import type { Classification, Finding, ToolDefinition } from '../model/index.js';
import { BEHAVIOUR_ORDER, excerpt } from './analyse.js';
import { toxicFlowFindings } from './toxic-flow.js';

export interface ConfigServer {
  name: string;
  tools: ReadonlyArray<{ definition: ToolDefinition; classification?: Classification }>;
}

/** Descriptions this alike (word-set overlap) with the same or near name read as a copy. */
const COPY_SIMILARITY = 0.8;

const words = (text: string): Set<string> => new Set(text.toLowerCase().match(/[a-z0-9]+/g) ?? []);
function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const w of a) if (b.has(w)) shared += 1;
  return shared / (a.size + b.size - shared);
}
const baseName = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/** A tool name worth looking for in prose: an identifier (`send_email`), not a plain word like "search". */
const distinctive = (name: string): boolean => /[_-]/.test(name) && name.length >= 6;

function textsOf(def: ToolDefinition): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (def.description) out.push(['description', def.description]);
  const props = (def.inputSchema as { properties?: Record<string, { description?: unknown }> }).properties ?? {};
  for (const [name, p] of Object.entries(props))
    if (typeof p?.description === 'string') out.push([`inputSchema.properties.${name}.description`, p.description]);
  return out;
}

/** Findings per server name, for the servers of one config. */
export function crossServerFindings(servers: readonly ConfigServer[]): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>(servers.map((s) => [s.name, []]));
  const owner = new Map<string, string[]>();
  for (const s of servers) for (const t of s.tools) owner.set(t.definition.name, [...(owner.get(t.definition.name) ?? []), s.name]);
  for (const s of servers) {
    const found = out.get(s.name)!;
    const reported = new Set<string>();
    for (const t of s.tools) {
      for (const [path, text] of textsOf(t.definition)) {
        for (const [name, owners] of owner) {
          // A name another server has too: even when this server has one of its own (a copy), the
          // text may be steering the other's; a name only this server has is its own business.
          if (!distinctive(name) || reported.has(name) || !owners.some((o) => o !== s.name) || name === t.definition.name) continue;
          const at = text.search(new RegExp(`(?<![\\w-])${name.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}(?![\\w-])`));
          if (at === -1) continue;
          reported.add(name);
          const start = Math.max(text.lastIndexOf('. ', at) + 1, 0);
          const end = text.indexOf('. ', at) === -1 ? text.length : text.indexOf('. ', at) + 1;
          const sentence = text.slice(start, end).trim();
          found.push({
            code: 'poisoning.cross-server',
            // The order words of the single-server check: naming another server's tool with one is shadowing.
            severity: BEHAVIOUR_ORDER.test(sentence) ? 'error' : 'warning',
            tool: t.definition.name,
            path,
            args: {
              server: owners.find((o) => o !== s.name)!,
              otherTool: name,
              match: excerpt(sentence),
            },
          });
        }
      }
    }
  }
  // Impersonation: the same (or nearly the same) name and a description that copies another server's.
  for (let i = 0; i < servers.length; i++) {
    for (let j = i + 1; j < servers.length; j++) {
      for (const a of servers[i]!.tools) {
        for (const b of servers[j]!.tools) {
          if (baseName(a.definition.name) !== baseName(b.definition.name)) continue;
          const similarity = jaccard(words(a.definition.description ?? ''), words(b.definition.description ?? ''));
          if (similarity < COPY_SIMILARITY) continue;
          const pair: Array<[string, string, { definition: ToolDefinition }, string]> = [
            [servers[i]!.name, servers[j]!.name, a, b.definition.name],
            [servers[j]!.name, servers[i]!.name, b, a.definition.name],
          ];
          for (const [self, other, tool, otherTool] of pair) {
            out.get(self)!.push({
              code: 'poisoning.impersonation',
              severity: 'warning',
              tool: tool.definition.name,
              args: { server: other, otherTool, similarity: Math.round(similarity * 100) / 100 },
            });
          }
        }
      }
    }
  }
  return out;
}

/** A toxic flow that only several servers together make (tools named `server/tool`). */
export function configToxicFlow(servers: readonly ConfigServer[]): Finding[] {
  const verdicts = servers.flatMap((s) =>
    s.tools.flatMap((t) =>
      t.classification ? [{ tool: `${s.name}/${t.definition.name}`, capabilities: t.classification.capabilities, category: t.classification.category }] : [],
    ),
  );
  const flows = toxicFlowFindings(verdicts);
  // One server alone already makes it: that server's own finding says so.
  const alone = servers.some((s) => toxicFlowFindings(verdicts.filter((v) => v.tool.startsWith(`${s.name}/`))).length > 0);
  return alone ? [] : flows;
}
