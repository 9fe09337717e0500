// The Store: one open results database, with each job (writes, reads, LLM cache, refresh runs) in its module.
import { McpRiskError } from '../model/index.js';
import type { Category, Classification, Risk, ScanStatus, ServerSnapshot } from '../model/index.js';
import { LlmCache } from './llm-cache.js';
import type { LlmCacheKey } from './llm-cache.js';
import { manifestHashes } from './manifest-stamps.js';
import type { ManifestHashes } from './manifest-stamps.js';
import { migrations } from './migrations.js';
import type { Migration } from './migrations.js';
import { openDatabase } from './open.js';
import { pruneScans } from './prune.js';
import type { PruneOptions, PruneReport } from './prune.js';
import { ScanQueries } from './queries.js';
import { RefreshRuns } from './refresh-runs.js';
import type { RefreshHandle, RefreshStart } from './refresh-runs.js';
import { ScanWriter } from './scan-writes.js';
import { describeSqliteError, isSqliteError } from './sqlite-errors.js';
import type { RecordScanOptions } from './scan-writes.js';
import { Statements } from './statements.js';
import type { Db, StoreContext } from './statements.js';
import type { LatestScanOptions, ServerSummary, StoredScan, StoredScanInfo, ToolVersionHistory } from './types.js';

export { defaultDbPath } from './open.js';
export { classifierVersion, classifierVersionOf } from './scan-writes.js';
export type { RecordScanOptions } from './scan-writes.js';
export type { LlmCacheKey } from './llm-cache.js';
export type { PruneOptions, PruneReport, PrunedServer } from './prune.js';
export type { RefreshStart, RefreshHandle } from './refresh-runs.js';

export interface Store {
  /** Writes one scan and its verdicts in a single transaction; returns the scan id. */
  recordScan(snapshot: ServerSnapshot, classifications: readonly Classification[], options?: RecordScanOptions): number;
  /** Replaces the verdicts of a stored scan with ones made now from its stored definitions, in one transaction. */
  reclassifyScan(scanId: number, classifications: readonly Classification[]): void;
  /** Removes a server, its scans, and the definitions no other scan refers to, in one transaction; returns the scans removed. */
  forgetServer(serverName: string): number;
  /** Removes old scans history does not need, and the definitions left unreferenced, in one transaction (see prune.ts). */
  prune(options: PruneOptions): PruneReport;
  /** Hands the space freed by deletes back: folds the WAL into the file, and with `vacuum` rewrites the file (needs free space its size). */
  compact(options?: { vacuum?: boolean }): void;
  /** Cached LLM verdicts (as stored JSON values) for these definition hashes under one key. */
  llmCacheGet(hashes: readonly string[], key: LlmCacheKey): Map<string, unknown>;
  /** Stores LLM verdicts at once, in their own transaction, so a scan killed later keeps them. */
  llmCachePut(entries: ReadonlyArray<{ hash: string; value: unknown }>, key: LlmCacheKey): void;
  /** Manifest content hashes by file stamp, for one refresh (writes are kept until `flush`). */
  manifestHashes(): ManifestHashes;
  listServers(): ServerSummary[];
  /** One indexed lookup: whether a server of this name is stored. */
  hasServer(name: string): boolean;
  /** The first stored server names (at most 20) and how many there are, for a hint. */
  someServerNames(): { names: string[]; total: number };
  latestScan(serverName: string, options?: LatestScanOptions): StoredScanInfo;
  getScan(scanId: number): StoredScanInfo;
  scanResult(scanId: number): StoredScan;
  toolHistory(serverName: string, toolName: string): ToolVersionHistory[];
  /** toolHistory of every tool a server ever listed, by tool name, in one query. */
  serverToolHistory(serverName: string): Map<string, ToolVersionHistory[]>;
  /** Every scan of a server, oldest first. Throws NOT_FOUND for an unknown server. */
  listScans(serverName: string): StoredScanInfo[];
  /** Category and risk of each tool a scan saw, without reading definitions (Unknown when not classified). */
  scanVerdicts(scanId: number): Array<{ category: Category; risk: Risk }>;
  /** Every server's latest scan that listed tools, its tools counted by category and risk: one query. */
  latestListedCounts(): Map<string, Array<{ category: Category; risk: Risk; n: number }>>;
  /** Every server's latest scan of any status, its status and error: one query. */
  latestStatuses(): Map<string, { status: ScanStatus; error?: string }>;
  /** Each tool of a scan by name, with its category and risk (Unknown when not classified), without reading definitions. */
  scanToolVerdicts(scanId: number): Array<{ name: string; category: Category; risk: Risk }>;
  /** How many tools of a scan have no verdict under this classifier version. */
  verdictsNotUnder(scanId: number, classifierVersion: string): number;
  /** Like latestScan, but undefined instead of an error when there is none. */
  findLatestScan(serverName: string, options?: LatestScanOptions): StoredScanInfo | undefined;
  /** The config fingerprint the latest successful scan of a server was made with. */
  lastOkFingerprint(serverName: string): string | undefined;
  /** Starts a refresh run, or resumes the unfinished one with the same key; says which servers it already did. */
  startRefresh(run: RefreshStart): RefreshHandle;
  recordRefreshSkip(refreshId: number, serverName: string, reason: string): void;
  finishRefresh(refreshId: number, summary: unknown): void;
  /** The path this store was opened from. */
  readonly path: string;
  close(): void;
}

/** Opens (creating if needed) and migrates the database at `path`; `write` also checks it can be written. Throws DB_ERROR with one clear line. */
export function openStore(path: string, options: { migrations?: readonly Migration[]; write?: boolean } = {}): Store {
  return new SqliteStore(openDatabase(path, options.migrations ?? migrations, { write: options.write === true }), path);
}

/** Delegates each method to the job module that owns it; the modules share one statement cache. */
class SqliteStore implements Store {
  readonly path: string;
  private readonly db: Db;
  private readonly ctx: StoreContext;
  private readonly writer: ScanWriter;
  private readonly queries: ScanQueries;
  private readonly llmCache: LlmCache;
  private readonly refreshes: RefreshRuns;

  constructor(db: Db, path: string) {
    this.db = db;
    this.path = path;
    const ctx: StoreContext = { db, sql: new Statements(db), path };
    this.ctx = ctx;
    this.writer = new ScanWriter(ctx);
    this.queries = new ScanQueries(ctx.sql);
    this.llmCache = new LlmCache(ctx);
    this.refreshes = new RefreshRuns(ctx);
  }

  recordScan(snapshot: ServerSnapshot, classifications: readonly Classification[], options?: RecordScanOptions): number {
    return this.writer.recordScan(snapshot, classifications, options);
  }

  reclassifyScan(scanId: number, classifications: readonly Classification[]): void {
    this.writer.reclassifyScan(scanId, classifications);
  }

  forgetServer(serverName: string): number {
    return this.writer.forgetServer(serverName);
  }

  prune(options: PruneOptions): PruneReport {
    return pruneScans(this.ctx, options);
  }

  compact(options: { vacuum?: boolean } = {}): void {
    try {
      if (options.vacuum === true) this.db.exec('VACUUM');
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch (cause) {
      if (!isSqliteError(cause)) throw cause;
      throw new McpRiskError('DB_ERROR', `Cannot compact ${this.path}: ${describeSqliteError(cause)}`, {
        cause,
        hint: 'The pruned scans are gone; only the space was not handed back',
      });
    }
  }

  llmCacheGet(hashes: readonly string[], key: LlmCacheKey): Map<string, unknown> {
    return this.llmCache.get(hashes, key);
  }

  llmCachePut(entries: ReadonlyArray<{ hash: string; value: unknown }>, key: LlmCacheKey): void {
    this.llmCache.put(entries, key);
  }

  manifestHashes(): ManifestHashes {
    return manifestHashes(this.ctx);
  }

  listServers(): ServerSummary[] {
    return this.queries.listServers();
  }

  hasServer(name: string): boolean {
    return this.queries.hasServer(name);
  }

  someServerNames(): { names: string[]; total: number } {
    return this.queries.someServerNames();
  }

  latestScan(serverName: string, options?: LatestScanOptions): StoredScanInfo {
    return this.queries.latestScan(serverName, options);
  }

  getScan(scanId: number): StoredScanInfo {
    return this.queries.getScan(scanId);
  }

  scanResult(scanId: number): StoredScan {
    return this.queries.scanResult(scanId);
  }

  toolHistory(serverName: string, toolName: string): ToolVersionHistory[] {
    return this.queries.toolHistory(serverName, toolName);
  }

  serverToolHistory(serverName: string): Map<string, ToolVersionHistory[]> {
    return this.queries.serverToolHistory(serverName);
  }

  listScans(serverName: string): StoredScanInfo[] {
    return this.queries.listScans(serverName);
  }

  scanToolVerdicts(scanId: number): Array<{ name: string; category: Category; risk: Risk }> {
    return this.queries.scanToolVerdicts(scanId);
  }

  latestListedCounts(): Map<string, Array<{ category: Category; risk: Risk; n: number }>> {
    return this.queries.latestListedCounts();
  }

  latestStatuses(): Map<string, { status: ScanStatus; error?: string }> {
    return this.queries.latestStatuses();
  }

  verdictsNotUnder(scanId: number, classifierVersion: string): number {
    return this.queries.verdictsNotUnder(scanId, classifierVersion);
  }

  scanVerdicts(scanId: number): Array<{ category: Category; risk: Risk }> {
    return this.queries.scanVerdicts(scanId);
  }

  findLatestScan(serverName: string, options?: LatestScanOptions): StoredScanInfo | undefined {
    return this.queries.findLatestScan(serverName, options);
  }

  lastOkFingerprint(serverName: string): string | undefined {
    return this.queries.lastOkFingerprint(serverName);
  }

  startRefresh(run: RefreshStart): RefreshHandle {
    return this.refreshes.start(run);
  }

  recordRefreshSkip(refreshId: number, serverName: string, reason: string): void {
    this.refreshes.recordSkip(refreshId, serverName, reason);
  }

  finishRefresh(refreshId: number, summary: unknown): void {
    this.refreshes.finish(refreshId, summary);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
