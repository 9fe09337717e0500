// Toxic combinations: one server (or one client config) whose tools together can read text written by
// others, reach sensitive data, and send outside. Each tool alone may be fine; the flow is the risk.
import type { Classification, Finding } from '../model/index.js';

/** Where an injected instruction comes in, what it can reach, and where it can send it. */
const SOURCE = new Set(['untrusted-content']);
const REACH = new Set(['sensitive-data', 'filesystem']);
const SINK = new Set(['external-communication', 'network-egress']);
const MAX_NAMES = 8;

function names(tools: readonly string[]): string {
  const shown = tools.slice(0, MAX_NAMES).join(', ');
  return tools.length > MAX_NAMES ? `${shown} and ${tools.length - MAX_NAMES} more` : shown;
}

type Verdict = Pick<Classification, 'tool' | 'capabilities' | 'category'>;

/** A tool's part in a flow, as bits: where text comes in, what it reaches, where it goes out. */
const SOURCE_ROLE = 1;
const REACH_ROLE = 2;
const SINK_ROLE = 4;

/**
 * The roles a verdict can take in a flow, 0 for none. A list of tool names with their roles has the
 * same flows as the verdicts (a streamed classify keeps one byte per tool, not the verdicts).
 */
export function flowRoles(c: Verdict): number {
  if (c.category === 'Unknown') return 0;
  let roles = 0;
  for (const cap of c.capabilities) roles |= (SOURCE.has(cap) ? SOURCE_ROLE : 0) | (REACH.has(cap) ? REACH_ROLE : 0) | (SINK.has(cap) ? SINK_ROLE : 0);
  return roles;
}

/** The tools whose hiding breaks every flow (the smallest of the three groups), or none when there is no flow. */
export function toxicFlowBreak(classifications: readonly Verdict[]): string[] {
  return (
    flow(
      classifications.map((c) => c.tool),
      classifications.map(flowRoles),
    )?.hide ?? []
  );
}

export function toxicFlowFindings(classifications: readonly Verdict[]): Finding[] {
  return toxicFlowFindingsByRole(
    classifications.map((c) => c.tool),
    classifications.map(flowRoles),
  );
}

/**
 * One finding when all three groups are present, naming them and the smallest set of tools whose
 * hiding breaks every flow: the smallest group (a tool in two groups counts once). `roles[i]` are
 * `flowRoles` of the tool named `tools[i]`.
 */
export function toxicFlowFindingsByRole(tools: readonly string[], roles: ArrayLike<number>): Finding[] {
  const f = flow(tools, roles);
  if (f === undefined) return [];
  return [
    {
      code: 'poisoning.toxic-flow',
      severity: 'warning',
      args: { sources: names(f.sources), reaches: names(f.reaches), sinks: names(f.sinks), hide: names(f.hide) },
    },
  ];
}

function flow(tools: readonly string[], roles: ArrayLike<number>): { sources: string[]; reaches: string[]; sinks: string[]; hide: string[] } | undefined {
  // Each group's names once, in the order first seen.
  const group = (role: number): string[] => {
    const seen = new Set<string>();
    for (let i = 0; i < tools.length; i++) if ((roles[i]! & role) !== 0) seen.add(tools[i]!);
    return [...seen];
  };
  const sources = group(SOURCE_ROLE);
  const reaches = group(REACH_ROLE);
  const sinks = group(SINK_ROLE);
  if (sources.length === 0 || reaches.length === 0 || sinks.length === 0) return undefined;
  const hide = [sources, reaches, sinks].reduce((best, g) => (g.length < best.length ? g : best));
  return { sources, reaches, sinks, hide: [...hide].sort() };
}
