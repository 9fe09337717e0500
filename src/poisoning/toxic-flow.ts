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

/**
 * One finding when all three groups are present, naming them and the smallest set of tools whose
 * hiding breaks every flow: the smallest group (a tool in two groups counts once).
 */
type Verdict = Pick<Classification, 'tool' | 'capabilities' | 'category'>;

/** Whether a verdict can take part in a flow: a list of only these verdicts has the same flows (a streamed classify keeps no others). */
export function mayFlow(c: Verdict): boolean {
  return c.category !== 'Unknown' && c.capabilities.some((cap) => SOURCE.has(cap) || REACH.has(cap) || SINK.has(cap));
}

/** The tools whose hiding breaks every flow (the smallest of the three groups), or none when there is no flow. */
export function toxicFlowBreak(classifications: readonly Verdict[]): string[] {
  return flow(classifications)?.hide ?? [];
}

export function toxicFlowFindings(classifications: readonly Verdict[]): Finding[] {
  const f = flow(classifications);
  if (f === undefined) return [];
  return [
    {
      code: 'poisoning.toxic-flow',
      severity: 'warning',
      args: { sources: names(f.sources), reaches: names(f.reaches), sinks: names(f.sinks), hide: names(f.hide) },
    },
  ];
}

function flow(classifications: readonly Verdict[]): { sources: string[]; reaches: string[]; sinks: string[]; hide: string[] } | undefined {
  const group = (wanted: Set<string>): string[] => [
    ...new Set(classifications.filter((c) => c.category !== 'Unknown' && c.capabilities.some((cap) => wanted.has(cap))).map((c) => c.tool)),
  ];
  const sources = group(SOURCE);
  const reaches = group(REACH);
  const sinks = group(SINK);
  if (sources.length === 0 || reaches.length === 0 || sinks.length === 0) return undefined;
  const hide = [sources, reaches, sinks].reduce((best, g) => (g.length < best.length ? g : best));
  return { sources, reaches, sinks, hide: [...hide].sort() };
}
