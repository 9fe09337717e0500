// `mcp-risk diff SERVER [--from SCAN --to SCAN]`: what changed between two stored scans of one server.
import { existsSync } from 'node:fs';
import { diffScans, listed as listedStatus } from '../history/index.js';
import { McpRiskError } from '../model/index.js';
import { renderDiff, renderDiffJson } from '../output/index.js';
import { defaultDbPath, openStore } from '../store/index.js';
import type { StoredScanInfo } from '../store/index.js';
import { EXIT, parse } from './args.js';
import type { Io } from './args.js';

function scanId(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.replace(/^#/, ''));
  if (!Number.isInteger(n) || n < 1) throw new McpRiskError('USAGE', `${flag} takes a scan id (a number, see mcp-risk show SERVER), got '${value}'`);
  return n;
}

const listed = (s: StoredScanInfo): boolean => listedStatus(s.status);

/**
 * Defaults: --to is the latest scan that listed tools, --from the one before it that listed tools, so a
 * failed scan in between never reads as "every tool removed".
 */
export async function diffCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { from: { type: 'string' }, to: { type: 'string' }, json: { type: 'boolean' }, db: { type: 'string' } });
  if (positionals.length !== 1) throw new McpRiskError('USAGE', 'diff takes exactly one SERVER name');
  const path = values.db ?? defaultDbPath();
  if (!existsSync(path)) throw new McpRiskError('NOT_FOUND', `no results database at ${path}`, { hint: 'scan a server first, or pass --db PATH' });
  const store = openStore(path);
  try {
    const server = positionals[0]!;
    const scans = store.listScans(server);
    const pick = (id: number | undefined, flag: string): StoredScanInfo | undefined => {
      if (id === undefined) return undefined;
      const s = scans.find((x) => x.id === id);
      if (!s) throw new McpRiskError('NOT_FOUND', `scan ${id} is not a scan of '${server}'`, { hint: `its scans: ${scans.map((x) => x.id).join(', ')}` });
      return s;
    };
    const to = pick(scanId(values.to, '--to'), '--to') ?? [...scans].reverse().find(listed) ?? scans.at(-1)!;
    const from = pick(scanId(values.from, '--from'), '--from') ?? [...scans].reverse().find((s) => listed(s) && (s.startedAt < to.startedAt || (s.startedAt === to.startedAt && s.id < to.id)));
    const diff = diffScans(from ? store.scanResult(from.id) : null, store.scanResult(to.id));
    io.out(values.json === true ? renderDiffJson(diff) : `${renderDiff(diff, { color: io.color })}\n`);
    return EXIT.OK;
  } finally {
    store.close();
  }
}
