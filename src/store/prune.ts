// Thins out old scans while keeping everything history is read from: first sightings, the latest
// scans a server is judged by, and what an unfinished refresh resumes from.
import { isListed, McpRiskError } from '../model/index.js';
import type { ScanStatus } from '../model/index.js';
import { DELETE_ORPHAN_VERDICTS, DELETE_ORPHAN_VERSIONS } from './scan-writes.js';
import { describeSqliteError, isSqliteError } from './sqlite-errors.js';
import { SELECT_SERVER_ID } from './statements.js';
import type { StoreContext } from './statements.js';

export interface PruneOptions {
  /** One server by name; every server when absent. */
  server?: string;
  /** Keep the newest N scans of each server (N ≥ 1). */
  keep?: number;
  /** Keep the scans started at or after this ISO time. */
  keepSince?: string;
  /** Work out what would go and change nothing. */
  dryRun?: boolean;
}

export interface PrunedServer {
  name: string;
  /** Scans stored before pruning. */
  scans: number;
  removed: number;
  kept: number;
  /** Kept scans that listed a definition no earlier scan of the server had listed (all of them are kept). */
  introducing: number;
  /** The ids removed (or that would be, on a dry run), oldest first. */
  removedScanIds: number[];
}

export interface PruneReport {
  dryRun: boolean;
  servers: PrunedServer[];
  /** Definitions and verdicts no remaining scan refers to any more, removed with the scans. */
  orphans: { toolVersions: number; classifications: number };
}

interface ScanRow {
  id: number;
  server: string;
  started_at: string;
  status: ScanStatus;
  refresh_id: number | null;
}

// Oldest first per server, the order history and diff read scans in.
const SELECT_SCANS = `
  SELECT s.id, v.name AS server, s.started_at, s.status, s.refresh_id
  FROM scans s JOIN servers v ON v.id = s.server_id
  WHERE @server IS NULL OR v.id = @server
  ORDER BY v.name, s.started_at, s.id`;

// The scan where each definition first appeared on each server: `show SERVER/TOOL` dates a version by it.
const SELECT_INTRODUCING = `
  SELECT DISTINCT scan_id AS id FROM (
    SELECT st.scan_id, row_number() OVER (PARTITION BY s.server_id, st.tool_id ORDER BY s.started_at, s.id) AS n
    FROM scan_tools st JOIN scans s ON s.id = st.scan_id
    WHERE @server IS NULL OR s.server_id = @server)
  WHERE n = 1`;

// A run without finished_at can still be resumed; it counts a server as done by a scan of it carrying the run's id.
const SELECT_OPEN_RUNS = 'SELECT id FROM refreshes WHERE finished_at IS NULL';

// The doomed ids travel as one JSON array: no statement per scan, and no limit on host parameters.
const DELETE_SCANS = 'DELETE FROM scans WHERE id IN (SELECT value FROM json_each(?))';

// What the deletes (scan-writes.ts, shared with forget) would take, counted the same way, for a dry run.
const COUNT_ORPHAN_VERDICTS = `
  SELECT count(*) AS n FROM classifications
  WHERE tool_id NOT IN (SELECT tool_id FROM scan_tools WHERE scan_id NOT IN (SELECT value FROM json_each(@ids)))`;
const COUNT_ORPHAN_VERSIONS = `
  SELECT count(*) AS n FROM tool_versions
  WHERE id NOT IN (SELECT tool_id FROM scan_tools WHERE scan_id NOT IN (SELECT value FROM json_each(@ids)))
    AND hash NOT IN (SELECT tool_hash FROM findings WHERE tool_hash IS NOT NULL AND scan_id NOT IN (SELECT value FROM json_each(@ids)))`;

/**
 * Removes, per server, the scans outside the newest `keep` and older than `keepSince` (a scan either
 * one keeps stays), except those that must stay whatever their age:
 *
 * 1. a scan that listed a definition no earlier scan of that server listed: every version keeps its
 *    first sighting, so `show SERVER/TOOL` still dates it, and `diff` across it still has both sides;
 * 2. the latest scan, which `show` and `history` report as how the server went last;
 * 3. the latest scan that listed tools (ok or no-tools): the server's verdict, `diff`'s default `--to`,
 *    `policy`, and the fingerprint refresh compares to skip an unchanged server;
 * 4. for each unfinished refresh run, the latest scan of each server it stored, so a resumed run still
 *    counts that server as done.
 *
 * Then the definitions and verdicts no remaining scan refers to go, like forgetServer. One IMMEDIATE
 * transaction: a scan written meanwhile is either seen whole or waits.
 */
export function pruneScans(ctx: StoreContext, options: PruneOptions): PruneReport {
  const { db } = ctx;
  const work = db.transaction(() => plan(ctx, options));
  try {
    return options.dryRun === true ? work.deferred() : work.immediate();
  } catch (cause) {
    if (cause instanceof McpRiskError) throw cause;
    if (isSqliteError(cause)) {
      throw new McpRiskError('DB_ERROR', `Cannot prune scans in ${ctx.path}: ${describeSqliteError(cause)}`, { cause, hint: 'Nothing was changed.' });
    }
    throw cause;
  }
}

function plan(ctx: StoreContext, options: PruneOptions): PruneReport {
  const { sql } = ctx;
  let serverId: number | null = null;
  if (options.server !== undefined) {
    const row = sql.get(SELECT_SERVER_ID).get(options.server) as { id: number } | undefined;
    if (row === undefined) throw new McpRiskError('NOT_FOUND', `No server named "${options.server}" has been scanned.`);
    serverId = row.id;
  }
  const introducing = new Set((sql.get(SELECT_INTRODUCING).all({ server: serverId }) as Array<{ id: number }>).map((r) => r.id));
  const openRuns = new Set((sql.get(SELECT_OPEN_RUNS).all() as Array<{ id: number }>).map((r) => r.id));

  const byServer = new Map<string, ScanRow[]>();
  for (const row of sql.get(SELECT_SCANS).all({ server: serverId }) as ScanRow[]) {
    const rows = byServer.get(row.server);
    if (rows) rows.push(row);
    else byServer.set(row.server, [row]);
  }

  const servers: PrunedServer[] = [];
  const doomed: number[] = [];
  for (const [name, scans] of byServer) {
    const kept = keptScans(scans, options, introducing, openRuns);
    const removedScanIds = scans.filter((s) => !kept.has(s.id)).map((s) => s.id);
    doomed.push(...removedScanIds);
    servers.push({
      name,
      scans: scans.length,
      removed: removedScanIds.length,
      kept: kept.size,
      introducing: scans.filter((s) => introducing.has(s.id)).length,
      removedScanIds,
    });
  }

  const ids = JSON.stringify(doomed);
  if (options.dryRun === true) {
    const count = (statement: string): number => (sql.get(statement).get({ ids }) as { n: number }).n;
    return { dryRun: true, servers, orphans: { classifications: count(COUNT_ORPHAN_VERDICTS), toolVersions: count(COUNT_ORPHAN_VERSIONS) } };
  }
  if (doomed.length > 0) sql.get(DELETE_SCANS).run(ids);
  const classifications = sql.get(DELETE_ORPHAN_VERDICTS).run().changes;
  const toolVersions = sql.get(DELETE_ORPHAN_VERSIONS).run().changes;
  return { dryRun: false, servers, orphans: { classifications, toolVersions } };
}

/** The ids of one server's scans (oldest first) that stay. */
function keptScans(scans: readonly ScanRow[], options: PruneOptions, introducing: ReadonlySet<number>, openRuns: ReadonlySet<number>): Set<number> {
  const kept = new Set<number>();
  if (options.keep !== undefined) for (const s of scans.slice(-options.keep)) kept.add(s.id);
  // ISO timestamps in UTC compare as strings.
  if (options.keepSince !== undefined) for (const s of scans) if (s.started_at >= options.keepSince) kept.add(s.id);
  for (const s of scans) if (introducing.has(s.id)) kept.add(s.id);
  const latest = scans.at(-1);
  if (latest) kept.add(latest.id);
  const listed = scans.findLast((s) => isListed(s.status));
  if (listed) kept.add(listed.id);
  for (const run of openRuns) {
    const last = scans.findLast((s) => s.refresh_id === run);
    if (last) kept.add(last.id);
  }
  return kept;
}
