// `mcp-risk prune [SERVER] --keep N --older-than DURATION`: removes old scans history does not need.
import { McpRiskError } from '../model/errors.js';
import { JSON_SCHEMA_TAGS } from '../output/json-schemas.js';
import { jsonText, safeText } from '../output/safe-text.js';
import { acquireRunLock } from '../refresh/run-lock.js';
import type { RunLock } from '../refresh/run-lock.js';
import { openStore } from '../store/index.js';
import type { PruneReport } from '../store/index.js';
import type { Duration } from '../cli/duration.js';
import { EXIT, note } from '../cli/io.js';
import type { Io } from '../cli/io.js';
import { openExistingStore } from '../cli/open-store.js';

export interface PruneFlags {
  keep?: number;
  olderThan?: Duration;
  dryRun?: boolean;
  vacuum?: boolean;
  json?: boolean;
  db?: string;
}

export async function pruneCommand(server: string | undefined, flags: PruneFlags, io: Io): Promise<number> {
  if (flags.keep === undefined && flags.olderThan === undefined) {
    throw new McpRiskError('USAGE', 'prune needs --keep N, --older-than DURATION, or both', { hint: 'e.g. mcp-risk prune --keep 10 --older-than 30d' });
  }
  const dryRun = flags.dryRun === true;
  // Checked to exist first (a mistyped --db must not create a database), then opened for writing.
  const existing = openExistingStore(flags.db, io.env);
  const dbPath = existing.path;
  existing.close();
  // A refresh holds the lock while it writes scans and counts servers done; pruning under it could take
  // a scan it is about to compare with. A dry run changes nothing and needs no lock.
  let lock: RunLock | undefined;
  if (!dryRun && dbPath !== ':memory:') lock = lockFor(dbPath);
  try {
    const store = openStore(dbPath, { write: !dryRun });
    try {
      // For the one-line NOT_FOUND that names the known servers.
      if (server !== undefined) store.latestScan(server);
      const keepSince = flags.olderThan === undefined ? undefined : new Date(Date.now() - flags.olderThan.ms).toISOString();
      const report = store.prune({
        ...(server !== undefined && { server }),
        ...(flags.keep !== undefined && { keep: flags.keep }),
        ...(keepSince !== undefined && { keepSince }),
        dryRun,
      });
      const removed = report.servers.reduce((n, s) => n + s.removed, 0);
      const vacuumed = !dryRun && flags.vacuum === true;
      if (!dryRun && (removed > 0 || vacuumed)) store.compact({ vacuum: vacuumed });
      if (flags.json === true) {
        io.out(
          jsonText({
            schema: JSON_SCHEMA_TAGS.prune,
            ...(server !== undefined && { server }),
            ...(flags.keep !== undefined && { keep: flags.keep }),
            ...(flags.olderThan !== undefined && { olderThan: flags.olderThan.text }),
            ...(keepSince !== undefined && { keepSince }),
            ...report,
            total: totals(report),
            vacuumed,
          }),
        );
      } else if (io.quiet !== true) {
        io.out(renderPrune(report));
      }
      if (vacuumed) note(io, `mcp-risk: rewrote ${safeText(dbPath, 300)} (VACUUM)\n`);
      return EXIT.OK;
    } finally {
      store.close();
    }
  } finally {
    lock?.release();
  }
}

/** The refresh lock, with a hint for a prune rather than a second refresh. */
function lockFor(dbPath: string): RunLock {
  try {
    return acquireRunLock(dbPath);
  } catch (error) {
    if (error instanceof McpRiskError && error.code === 'BUSY') {
      throw new McpRiskError('BUSY', error.message, { cause: error, hint: 'Wait for it to finish, then prune; nothing was changed' });
    }
    throw error;
  }
}

function totals(report: PruneReport): { servers: number; scans: number; removed: number; kept: number } {
  const sum = (key: 'scans' | 'removed' | 'kept'): number => report.servers.reduce((n, s) => n + s[key], 0);
  return { servers: report.servers.length, scans: sum('scans'), removed: sum('removed'), kept: sum('kept') };
}

function renderPrune(report: PruneReport): string {
  const [remove, keep] = report.dryRun ? ['would remove', 'would keep'] : ['removed', 'kept'];
  const lines = report.servers
    .filter((s) => s.removed > 0)
    .map((s) => `${safeText(s.name, 120)}: ${remove} ${s.removed} of ${s.scans} scans, ${keep} ${s.kept} (${s.introducing} that introduced a definition)`);
  const t = totals(report);
  const touched = lines.length;
  const { toolVersions, classifications } = report.orphans;
  const orphans = toolVersions + classifications === 0 ? '' : `, with ${toolVersions} definitions and ${classifications} verdicts no scan refers to`;
  const total = `${remove} ${t.removed} of ${t.scans} scans from ${touched} of ${t.servers} servers${orphans}`;
  lines.push(report.dryRun ? `Dry run: ${total}; nothing was changed.` : `${total[0]!.toUpperCase()}${total.slice(1)}.`);
  return `${lines.join('\n')}\n`;
}
