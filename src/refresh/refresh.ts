// Refreshes a catalogue: every server through scan, classify and store under one queue; unchanged ones
// skipped, an interrupted run resumed, and a summary that never counts an unscanned server as safe.
import { createHash } from 'node:crypto';
import { cpus } from 'node:os';
import PQueue from 'p-queue';
import type { Catalogue, CatalogueEntry } from '../catalogue/index.js';
import { CATEGORY_ORDER, RISK_ORDER, canonicalJson, isListed } from '../model/index.js';
import type { Category, Risk, ScanStatus } from '../model/index.js';
import type { LlmContext } from '../pipeline/analyse.js';
import type { Store } from '../store/index.js';
import type { EntryScanOptions } from '../pipeline/run-entry.js';
import { runEntry } from '../pipeline/scan-entry.js';
import { formatShard, inShard } from './shard.js';
import type { Shard } from './shard.js';

export const DEFAULT_REFRESH_TIMEOUT_MS = 60_000;

export interface RefreshOptions extends EntryScanOptions {
  /** Servers scanned at once; default the number of cores. */
  concurrency?: number;
  /** Rescan servers whose version and configuration are unchanged. */
  force?: boolean;
  /** URL and command entries: rescan when their last good scan is older than this (see EntryRunOptions). */
  maxAgeMs?: number;
  shard?: Shard;
  /**
   * Aborted when the run is being stopped (SIGINT, SIGTERM): nothing more is started or recorded, so a
   * scan cut short by the stop is redone by the resumed run instead of being stored as a failure.
   */
  signal?: AbortSignal;
}

export type Outcome = ScanStatus | 'unchanged';

export interface ServerOutcome {
  name: string;
  outcome: Outcome;
  error?: string;
  tools: number;
  durationMs: number;
  attempts: number;
  resolvedVersion?: string;
  /** Against the previous successful scan; absent for unchanged or unscanned servers. */
  changes?: { added: number; removed: number; changed: number; drift: number };
  newCritical: string[];
  classified: number;
  reused: number;
  /** Unchanged servers: tools given new verdicts from their stored definitions because the classifier changed. */
  reclassified: number;
}

export type RefreshEvent =
  | { kind: 'start'; total: number; alreadyDone: number; resumed: boolean; refreshId: number }
  | { kind: 'server-start'; name: string }
  | { kind: 'server-done'; server: ServerOutcome; done: number; failed: number; remaining: number };

export interface RefreshSummary {
  refreshId: number;
  resumed: boolean;
  catalogue: string;
  shard?: string;
  /** Servers of the catalogue in this shard. */
  servers: number;
  /** Done by an earlier, interrupted attempt of this run. */
  doneEarlier: number;
  byOutcome: Record<Outcome, number>;
  /** Over the latest successful scan of every server in the shard. */
  tools: { total: number; byCategory: Record<Category, number>; byRisk: Record<Risk, number> };
  /** Since each server's previous successful scan, for the servers scanned now. */
  changes: { added: number; removed: number; changed: number; drift: number };
  newCritical: Array<{ server: string; tool: string }>;
  /** Servers without any successful scan: their risk is Unknown, never "no risky tools". */
  notCovered: Array<{ name: string; status: Outcome | 'never scanned'; error?: string }>;
  classified: number;
  reused: number;
  /** Tools of unchanged servers re-classified offline (the rule set, taxonomy or LLM setup changed). */
  reclassified: number;
  llm: { requests: number; cachedTools: number; promptTokens: number; completionTokens: number; failedServers: number };
  durationMs: number;
}

const OUTCOMES: readonly Outcome[] = ['ok', 'no-tools', 'unchanged', 'auth-required', 'failed', 'timeout'];

/** Equal for the same catalogue content, shard and the options that change what a run does. */
export function runKey(catalogue: Catalogue, options: RefreshOptions): string {
  const content = {
    entries: catalogue.entries,
    force: options.force === true,
    shard: options.shard ? formatShard(options.shard) : null,
    // Only when given, so the key of a run without it stays what it was.
    ...(options.maxAgeMs !== undefined && { maxAgeMs: options.maxAgeMs }),
  };
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

export async function runRefresh(
  catalogue: Catalogue,
  store: Store,
  llm: LlmContext,
  options: RefreshOptions,
  onEvent: (event: RefreshEvent) => void = () => undefined,
): Promise<RefreshSummary> {
  const started = Date.now();
  const entries = options.shard ? catalogue.entries.filter((e) => inShard(e.name, options.shard!)) : catalogue.entries;
  const run = store.startRefresh({
    catalogue: catalogue.path ?? '(inline)',
    catalogueHash: runKey(catalogue, options),
    ...(options.shard ? { shard: formatShard(options.shard) } : {}),
    options: { force: options.force === true, concurrency: options.concurrency ?? cpus().length },
  });
  const todo = entries.filter((e) => !run.done.has(e.name));
  const outcomes: ServerOutcome[] = [];
  let failed = 0;
  onEvent({ kind: 'start', total: entries.length, alreadyDone: entries.length - todo.length, resumed: run.resumed, refreshId: run.id });

  const queue = new PQueue({ concurrency: Math.max(1, options.concurrency ?? cpus().length) });
  const llmTotals = { requests: 0, cachedTools: 0, promptTokens: 0, completionTokens: 0, failedServers: 0 };
  // Manifests whose file stamp is as last time keep their hash unread; new hashes are saved once, at the end.
  const manifestHashes = store.manifestHashes();
  const entryOptions = { ...options, manifestHashes };
  await Promise.all(
    todo.map((entry) =>
      queue.add(async () => {
        if (options.signal?.aborted) return;
        onEvent({ kind: 'server-start', name: entry.name });
        const outcome = await refreshEntry(entry, store, llm, entryOptions, run.id, llmTotals);
        if (outcome === undefined) return;
        outcomes.push(outcome);
        if (outcome.outcome !== 'unchanged' && !isListed(outcome.outcome)) failed += 1;
        onEvent({ kind: 'server-done', server: outcome, done: outcomes.length, failed, remaining: todo.length - outcomes.length });
      }),
    ),
  );
  // Also when stopped: the servers done so far were hashed for nothing otherwise.
  manifestHashes.flush();

  if (options.signal?.aborted) throw options.signal.reason ?? new Error('refresh stopped');
  const summary = summarise(catalogue, entries, store, run, outcomes, llmTotals, started, options);
  store.finishRefresh(run.id, summary);
  return summary;
}

async function refreshEntry(
  entry: CatalogueEntry,
  store: Store,
  llm: LlmContext,
  options: RefreshOptions,
  refreshId: number,
  llmTotals: RefreshSummary['llm'],
): Promise<ServerOutcome | undefined> {
  const startedAt = Date.now();
  const run = await runEntry(entry, store, llm, { ...options, skipUnchanged: true, refreshId });
  if (run === undefined) return undefined;
  const base = { name: entry.name, tools: 0, attempts: 0, newCritical: [] as string[], classified: 0, reused: 0, reclassified: 0 };
  const version = run.resolvedVersion ? { resolvedVersion: run.resolvedVersion } : {};
  if (run.kind === 'unchanged') {
    store.recordRefreshSkip(refreshId, entry.name, 'unchanged');
    return { ...base, outcome: 'unchanged', durationMs: Date.now() - startedAt, reclassified: run.reclassified?.classified ?? 0, ...version };
  }
  const { snapshot, diff } = run;
  llmTotals.requests += run.llm.requests;
  llmTotals.cachedTools += run.llm.cachedTools;
  llmTotals.promptTokens += run.llm.promptTokens;
  llmTotals.completionTokens += run.llm.completionTokens;
  if (run.llm.status === 'failed' || run.llm.status === 'partial') llmTotals.failedServers += 1;
  const newCritical = (diff?.tools ?? [])
    .filter((t) => t.riskAfter === 'Critical' && (t.status === 'added' || (t.status === 'changed' && t.riskBefore !== 'Critical')))
    .map((t) => t.name);
  return {
    ...base,
    outcome: snapshot.status,
    ...(snapshot.error !== undefined ? { error: snapshot.error } : {}),
    tools: snapshot.tools.length,
    durationMs: Date.now() - startedAt,
    attempts: run.attempts,
    ...version,
    ...(diff ? { changes: { added: diff.counts.added, removed: diff.counts.removed, changed: diff.counts.changed, drift: diff.counts.drift } } : {}),
    newCritical,
    classified: run.classified,
    reused: run.reused,
  };
}

function summarise(
  catalogue: Catalogue,
  entries: readonly CatalogueEntry[],
  store: Store,
  run: { id: number; resumed: boolean; done: Set<string> },
  outcomes: readonly ServerOutcome[],
  llm: RefreshSummary['llm'],
  started: number,
  options: RefreshOptions,
): RefreshSummary {
  const byOutcome = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
  for (const o of outcomes) byOutcome[o.outcome] += 1;
  const byCategory = Object.fromEntries(CATEGORY_ORDER.map((c) => [c, 0])) as Record<Category, number>;
  const byRisk = Object.fromEntries(RISK_ORDER.map((r) => [r, 0])) as Record<Risk, number>;
  let total = 0;
  const notCovered: RefreshSummary['notCovered'] = [];
  const outcomeOf = new Map(outcomes.map((o) => [o.name, o]));
  // Two queries for the whole database, whatever the size of the catalogue.
  const listed = store.latestListedCounts();
  const statuses = store.latestStatuses();
  for (const entry of entries) {
    const counts = listed.get(entry.name);
    if (counts === undefined) {
      const now = outcomeOf.get(entry.name);
      const last = now ? undefined : statuses.get(entry.name);
      notCovered.push({
        name: entry.name,
        status: now?.outcome ?? last?.status ?? 'never scanned',
        ...((now?.error ?? last?.error) !== undefined ? { error: (now?.error ?? last?.error)! } : {}),
      });
      continue;
    }
    for (const v of counts) {
      total += v.n;
      byCategory[v.category] += v.n;
      byRisk[v.risk] += v.n;
    }
  }
  const changes = { added: 0, removed: 0, changed: 0, drift: 0 };
  for (const o of outcomes) {
    if (!o.changes) continue;
    changes.added += o.changes.added;
    changes.removed += o.changes.removed;
    changes.changed += o.changes.changed;
    changes.drift += o.changes.drift;
  }
  return {
    refreshId: run.id,
    resumed: run.resumed,
    catalogue: catalogue.path ?? '(inline)',
    ...(options.shard ? { shard: formatShard(options.shard) } : {}),
    servers: entries.length,
    doneEarlier: run.done.size,
    byOutcome,
    tools: { total, byCategory, byRisk },
    changes,
    newCritical: outcomes.flatMap((o) => o.newCritical.map((tool) => ({ server: o.name, tool }))),
    notCovered,
    classified: outcomes.reduce((n, o) => n + o.classified, 0),
    reused: outcomes.reduce((n, o) => n + o.reused, 0),
    reclassified: outcomes.reduce((n, o) => n + o.reclassified, 0),
    llm,
    durationMs: Date.now() - started,
  };
}
