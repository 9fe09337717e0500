// `mcp-risk diff SERVER [--from SCAN --to SCAN]`: what changed between two stored scans of one server.
import { diffScans } from '../history/index.js';
import { isListed } from '../model/index.js';
import { McpRiskError } from '../model/errors.js';
import { renderDiff, renderDiffJson } from '../output/diff.js';
import { safeText } from '../output/safe-text.js';
import type { StoredScanInfo } from '../store/index.js';
import { EXIT } from '../cli/io.js';
import type { Io } from '../cli/io.js';
import { openExistingStore } from '../cli/open-store.js';

export interface DiffFlags {
  from?: number;
  to?: number;
  json?: boolean;
  db?: string;
  failOnDrift?: boolean;
}

const listed = (s: StoredScanInfo): boolean => isListed(s.status);

/**
 * Defaults: --to is the latest scan that listed tools, --from the one before it that listed tools, so a
 * failed scan in between never reads as "every tool removed".
 */
export async function diffCommand(server: string, flags: DiffFlags, io: Io): Promise<number> {
  const store = openExistingStore(flags.db, io.env);
  try {
    const scans = store.listScans(server);
    const pick = (id: number | undefined): StoredScanInfo | undefined => {
      if (id === undefined) return undefined;
      const s = scans.find((x) => x.id === id);
      if (!s) throw new McpRiskError('NOT_FOUND', `scan ${id} is not a scan of '${server}'`, { hint: `its scans: ${scans.map((x) => x.id).join(', ')}` });
      return s;
    };
    const to = pick(flags.to) ?? [...scans].reverse().find(listed) ?? scans.at(-1)!;
    const from =
      pick(flags.from) ?? [...scans].reverse().find((s) => listed(s) && (s.startedAt < to.startedAt || (s.startedAt === to.startedAt && s.id < to.id)));
    const diff = diffScans(from ? store.scanResult(from.id) : null, store.scanResult(to.id));
    io.out(flags.json === true ? renderDiffJson(diff, io.compactJson) : `${renderDiff(diff, { color: io.color })}\n`);
    if (flags.failOnDrift === true && diff.counts.drift > 0) {
      const drifted = diff.tools.filter((t) => t.drift).map((t) => safeText(t.name, 80));
      io.err(`mcp-risk: --fail-on-drift: ${drifted.length} tools drifted: ${drifted.slice(0, 20).join(', ')}${drifted.length > 20 ? ', …' : ''}\n`);
      return EXIT.THRESHOLD;
    }
    return EXIT.OK;
  } finally {
    store.close();
  }
}
