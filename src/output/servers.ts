// Renders the list of stored servers: one line each with last scan, status, tool count and top risk.
import { isListed } from '../model/index.js';
import type { Risk } from '../model/index.js';
import type { ServerSummary } from '../store/index.js';
import { padEnd, RESET, RISK_COLOR, safeText } from './terminal.js';

export interface ServerListOptions {
  color?: boolean;
}

/** Lines joined by `\n`, without a trailing newline. */
export function renderServerList(servers: readonly ServerSummary[], options: ServerListOptions = {}): string {
  if (servers.length === 0) return 'No servers have been scanned yet. Run `mcp-risk scan` first.';
  const rows = servers.map((s) => ({
    name: safeText(s.name, 48),
    tools: s.lastOkScanId === undefined ? '-' : String(s.toolCount),
    // Never listed successfully: nothing is known, which is not the same as nothing risky.
    risk: (s.lastOkScanId === undefined ? 'Unknown' : (s.highestRisk ?? '-')) as Risk | '-',
    last: safeText(s.lastScanAt, 30),
    status: isListed(s.lastStatus) || s.lastOkScanAt === undefined ? s.lastStatus : `${s.lastStatus} (last ok ${safeText(s.lastOkScanAt, 30)})`,
    source: safeText(`${s.source.kind}: ${s.source.target}`, 80),
  }));
  const head = { name: 'SERVER', tools: 'TOOLS', risk: 'HIGHEST RISK', last: 'LAST SCAN', status: 'STATUS', source: 'SOURCE' };
  const w = {
    name: Math.max(head.name.length, ...rows.map((r) => r.name.length)),
    tools: Math.max(head.tools.length, ...rows.map((r) => r.tools.length)),
    risk: Math.max(head.risk.length, ...rows.map((r) => r.risk.length)),
    last: Math.max(head.last.length, ...rows.map((r) => r.last.length)),
    status: Math.max(head.status.length, ...rows.map((r) => r.status.length)),
  };
  const line = (r: typeof head, color?: string): string => {
    const risk = padEnd(r.risk, w.risk);
    return [
      padEnd(r.name, w.name),
      padEnd(r.tools, w.tools),
      color ? `${color}${risk}${RESET}` : risk,
      padEnd(r.last, w.last),
      padEnd(r.status, w.status),
      r.source,
    ]
      .join('  ')
      .trimEnd();
  };
  return [line(head), ...rows.map((r) => line(r, options.color && r.risk !== '-' ? RISK_COLOR[r.risk] : undefined))].join('\n');
}
