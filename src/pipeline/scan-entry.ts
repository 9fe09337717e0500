// The per-server pipeline that `scan` and `refresh` both run: resolve the version, fingerprint the entry,
// scan (or skip what is unchanged), classify with verdict reuse, compare with the previous good scan, store.
import type { CatalogueEntry } from '../catalogue/index.js';
import { diffScans } from '../history/index.js';
import type { ScanDiff } from '../history/index.js';
import type { Classification, LlmRun, ServerSnapshot } from '../model/index.js';
import type { Store, StoredScan } from '../store/index.js';
import { analyseAndStore } from './analyse.js';
import type { LlmContext } from './analyse.js';
import { entryFingerprint } from './fingerprint.js';
import { reclassifyServer } from './reclassify.js';
import type { Reclassified } from './reclassify.js';
import { failedSnapshot, resolveEntryVersion, scanEntry } from './run-entry.js';
import type { EntryScanOptions } from './run-entry.js';

export interface EntryRunOptions extends EntryScanOptions {
  /** Refresh: an entry whose fingerprint matches its last good scan is not scanned again (unless `force`). */
  skipUnchanged?: boolean;
  force?: boolean;
  /**
   * A URL or command entry has no version to tell it changed: with this, it is rescanned once its last
   * good scan is older than this many milliseconds, even when its entry is unchanged.
   */
  maxAgeMs?: number;
  refreshId?: number;
  /** Aborted by a stop: nothing more is recorded, so the entry is redone by a resumed run. */
  signal?: AbortSignal;
  /**
   * The entry as fingerprinted, when it differs from the one scanned: `scan` passes its env and header
   * values masked, since they are the user's literal secrets rather than `${NAME}` references.
   */
  fingerprintOf?: CatalogueEntry;
}

export type EntryRun =
  | { kind: 'unchanged'; resolvedVersion?: string; reclassified?: Reclassified }
  | {
      kind: 'scanned';
      snapshot: ServerSnapshot;
      classifications: Classification[];
      scanId: number;
      llm: LlmRun;
      attempts: number;
      resolvedVersion?: string;
      /** Against the previous successful scan of the same server, when there was one. */
      diff?: ScanDiff;
      classified: number;
      reused: number;
    };

/** A URL or command entry whose last good scan is older than `maxAgeMs` (other sources carry a version). */
function tooOld(entry: CatalogueEntry, store: Store, maxAgeMs: number | undefined, now: Date): boolean {
  if (maxAgeMs === undefined || (entry.source.kind !== 'http' && entry.source.kind !== 'stdio')) return false;
  const last = store.findLatestScan(entry.name, { okOnly: true });
  return last === undefined || now.getTime() - Date.parse(last.startedAt) > maxAgeMs;
}

/** Runs one entry through the pipeline; undefined when a stop cut it short. */
export async function runEntry(entry: CatalogueEntry, store: Store, llm: LlmContext, options: EntryRunOptions): Promise<EntryRun | undefined> {
  const startedAt = new Date();
  let resolvedVersion: string | undefined;
  let snapshot: ServerSnapshot | undefined;
  try {
    resolvedVersion = await resolveEntryVersion(entry, options);
  } catch (error) {
    snapshot = failedSnapshot(entry, (error as Error).message, startedAt);
  }
  const version = resolvedVersion === undefined ? {} : { resolvedVersion };
  const fingerprint = entryFingerprint(options.fingerprintOf ?? entry, resolvedVersion);
  if (options.signal?.aborted) return undefined;
  if (
    snapshot === undefined &&
    options.skipUnchanged === true &&
    options.force !== true &&
    store.lastOkFingerprint(entry.name) === fingerprint &&
    !tooOld(entry, store, options.maxAgeMs, startedAt)
  ) {
    // Nothing to reconnect for, but verdicts made by another classifier are redone from the stored definitions.
    const reclassified = await reclassifyServer(store, entry.name, llm);
    return { kind: 'unchanged', ...version, ...(reclassified ? { reclassified } : {}) };
  }
  let attempts = 0;
  if (snapshot === undefined) ({ snapshot, attempts } = await scanEntry(entry, resolvedVersion, options));
  if (options.signal?.aborted) return undefined;

  const previousInfo = store.findLatestScan(entry.name, { okOnly: true });
  const previous = previousInfo ? store.scanResult(previousInfo.id) : undefined;
  let diff: ScanDiff | undefined;
  const listed = snapshot;
  const stored = await analyseAndStore(
    listed,
    llm,
    store,
    { configFingerprint: fingerprint, ...(options.refreshId !== undefined ? { refreshId: options.refreshId } : {}), ...version },
    {
      ...(previous ? { previous } : {}),
      // Drift findings belong to the scan that shows them: computed before it is stored, stored with it.
      beforeStore: (classifications) => {
        diff = diffScans(previous ?? null, asStored(listed, classifications));
        listed.findings.push(...diff.findings);
      },
    },
  );
  const d = diff as ScanDiff | undefined;
  return {
    kind: 'scanned',
    snapshot: listed,
    classifications: stored.classifications,
    scanId: stored.scanId,
    llm: stored.llm,
    attempts,
    ...version,
    ...(d?.comparable && previous ? { diff: d } : {}),
    classified: stored.classified,
    reused: stored.reused,
  };
}

/** The shape the store would hand back for this scan, for comparing before it is written. */
function asStored(snapshot: ServerSnapshot, classifications: readonly Classification[]): StoredScan {
  const byHash = new Map(classifications.map((c) => [c.hash, c]));
  return {
    scan: {
      id: 0,
      serverName: snapshot.name,
      source: snapshot.source,
      status: snapshot.status,
      startedAt: snapshot.startedAt,
      durationMs: snapshot.durationMs,
      toolCount: snapshot.tools.length,
    },
    tools: snapshot.tools.map((t) => {
      const c = byHash.get(t.hash);
      return { definition: t.definition, hash: t.hash, firstSeenAt: snapshot.startedAt, ...(c ? { classification: c } : {}) };
    }),
    findings: [...snapshot.findings],
  };
}
