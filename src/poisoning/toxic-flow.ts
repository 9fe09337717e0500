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
export function toxicFlowFindings(classifications: readonly Pick<Classification, 'tool' | 'capabilities' | 'category'>[]): Finding[] {
  const group = (wanted: Set<string>): string[] => [
    ...new Set(classifications.filter((c) => c.category !== 'Unknown' && c.capabilities.some((cap) => wanted.has(cap))).map((c) => c.tool)),
  ];
  const sources = group(SOURCE);
  const reaches = group(REACH);
  const sinks = group(SINK);
  if (sources.length === 0 || reaches.length === 0 || sinks.length === 0) return [];
  // A flow needs at least two different tools, or one tool that does all three itself.
  const all = new Set([...sources, ...reaches, ...sinks]);
  if (all.size < 2 && !(sources[0] === reaches[0] && reaches[0] === sinks[0])) return [];
  const hide = [sources, reaches, sinks].reduce((best, g) => (g.length < best.length ? g : best));
  return [
    {
      code: 'poisoning.toxic-flow',
      severity: 'warning',
      args: { sources: names(sources), reaches: names(reaches), sinks: names(sinks), hide: names([...hide].sort()) },
    },
  ];
}
