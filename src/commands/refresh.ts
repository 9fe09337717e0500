// `mcp-risk refresh CATALOGUE`: shows progress, handles interruption, prints the summary.
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { loadCatalogue } from '../catalogue/index.js';
import { endAllChildren, liveChildren, reapLeftoverChildren, useChildLedger } from '../ingest/index.js';
import { McpRiskError } from '../model/errors.js';
import { progressLine, renderRefreshSummary, serverLine } from '../output/refresh.js';
import { llmContext } from '../pipeline/analyse.js';
import type { LlmContext } from '../pipeline/analyse.js';
import { DEFAULT_REFRESH_TIMEOUT_MS, runRefresh } from '../refresh/refresh.js';
import type { RefreshEvent, RefreshSummary } from '../refresh/refresh.js';
import { acquireRunLock } from '../refresh/run-lock.js';
import type { RunLock } from '../refresh/run-lock.js';
import { inShard, parseShard } from '../refresh/shard.js';
import { defaultDbPath, openStore } from '../store/index.js';
import type { Store } from '../store/index.js';
import type { InstallFlagValues, LlmFlagValues, SandboxFlagValues } from '../cli/flags.js';
import { sandboxChoice } from '../cli/sandbox-flags.js';
import { installOptions } from '../cli/install-flags.js';
import { EXIT, note } from '../cli/io.js';
import type { Io } from '../cli/io.js';
import { llmChoiceFromFlags } from '../cli/llm-flags.js';
import { JSON_SCHEMA_TAGS } from '../output/json-schemas.js';
import { jsonText, safeText } from '../output/safe-text.js';
import { trippedBy } from '../cli/fail-on.js';
import type { KnownRisk } from '../model/index.js';
import type { Duration } from '../cli/duration.js';

export interface RefreshFlags extends InstallFlagValues, LlmFlagValues, SandboxFlagValues {
  concurrency?: number;
  force?: boolean;
  shard?: string;
  timeout?: number;
  retries?: number;
  json?: boolean;
  /** true for --progress, false for --no-progress. */
  progress?: boolean;
  db?: string;
  failOn?: KnownRisk;
  failOnDrift?: boolean;
  /** Parsed by the option (see durationOption). */
  maxAge?: Duration;
}

export async function refreshCommand(cataloguePath: string, flags: RefreshFlags, io: Io): Promise<number> {
  if (flags.bin !== undefined) throw new McpRiskError('USAGE', '--bin is set per server in a catalogue (bin:), not for a whole refresh');
  const catalogue = loadCatalogue(cataloguePath);
  // A catalogue is a list of other people's servers: sandboxed by default where it starts any (npm or
  // command entries). Manifests and URLs run nothing here, so a catalogue of those alone gets no note
  // that its servers run unsandboxed.
  const sandbox = sandboxChoice(
    flags,
    catalogue.entries.some((e) => e.source.kind === 'npm' || e.source.kind === 'stdio'),
    io,
  );
  const shard = flags.shard === undefined ? undefined : parseShard(flags.shard);
  const concurrency = flags.concurrency ?? cpus().length;
  const retries = flags.retries ?? 1;
  const timeoutMs = flags.timeout ?? catalogue.defaults.timeoutMs ?? DEFAULT_REFRESH_TIMEOUT_MS;
  const llmChoice = llmChoiceFromFlags(flags, io.env);
  const dbPath = flags.db ?? defaultDbPath(io.env);
  const store = openStore(dbPath, { write: true });
  let lock: RunLock | undefined;
  try {
    // Before anything is resumed or reaped: those belong to the refresh that holds the lock.
    if (dbPath !== ':memory:') lock = acquireRunLock(dbPath);
  } catch (error) {
    closeQuietly(store);
    throw error;
  }
  let llm: LlmContext | undefined;
  const ledger = dbPath === ':memory:' ? undefined : `${dbPath}.children.json`;
  const stopping = new AbortController();
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    // Nothing more is started or stored; the run stays unfinished in the database, so the same command resumes it.
    stopping.abort(new McpRiskError('USAGE', `refresh stopped by ${signal}`));
    io.err(`\nmcp-risk: ${signal}: ending ${liveChildren().length} server processes; run the same command again to resume\n`);
    await endAllChildren();
    if (llm?.enabled) llm.close();
    closeQuietly(store);
    lock?.release();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  const onSignal = (signal: NodeJS.Signals): void => void stop(signal);
  let ticker: NodeJS.Timeout | undefined;
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    if (ledger !== undefined) {
      // A run killed outright may have left servers running: end them before starting new ones.
      if (existsSync(ledger)) {
        const ended = await reapLeftoverChildren(ledger);
        if (ended > 0) note(io, `mcp-risk: ended ${ended} server processes left by an interrupted run\n`);
      }
      useChildLedger(ledger);
    }
    llm = await llmContext(llmChoice);
    const progress = flags.progress === false || io.quiet === true ? 'none' : io.isTTY || flags.progress === true ? 'bar' : 'lines';
    let total = 0;
    let alreadyDone = 0;
    const started = Date.now();
    const inFlight = new Set<string>();
    const state = { done: 0, failed: 0 };
    const draw = (): void => {
      const p = { total, done: alreadyDone + state.done, doneNow: state.done, failed: state.failed, inFlight: [...inFlight], elapsedMs: Date.now() - started };
      io.err(`\r\u001b[2K${progressLine(p)}`);
    };
    // The bar also moves while one slow server holds every slot: its clock keeps time.
    if (progress === 'bar') ticker = setInterval(draw, 1000).unref();
    const onEvent = (e: RefreshEvent): void => {
      if (e.kind === 'start') {
        total = e.total;
        alreadyDone = e.alreadyDone;
        if (e.resumed) note(io, `mcp-risk: resuming refresh #${e.refreshId}: ${e.alreadyDone} of ${e.total} servers were done before it was interrupted\n`);
        if (progress === 'bar') draw();
        else if (progress === 'lines') io.err(`mcp-risk: refreshing ${e.total - e.alreadyDone} of ${e.total} servers\n`);
        return;
      }
      if (e.kind === 'server-start') {
        inFlight.add(e.name);
        if (progress === 'bar') draw();
        return;
      }
      inFlight.delete(e.server.name);
      state.done = e.done;
      state.failed = e.failed;
      if (progress === 'bar') draw();
      else if (progress === 'lines') io.err(`${serverLine(e.server, alreadyDone + e.done, total)}\n`);
    };
    const summary = await runRefresh(
      catalogue,
      store,
      llm,
      {
        concurrency,
        retries,
        timeoutMs,
        force: flags.force === true,
        ...(flags.maxAge !== undefined && { maxAgeMs: flags.maxAge.ms }),
        ...(shard ? { shard } : {}),
        install: installOptions(flags, io.env),
        env: io.env,
        ...(sandbox !== undefined && { sandbox }),
        signal: stopping.signal,
      },
      onEvent,
    );
    clearInterval(ticker);
    if (progress === 'bar') io.err('\r\u001b[2K');
    if (flags.json === true) io.out(jsonText({ schema: JSON_SCHEMA_TAGS.refresh, ...summary }, io.compactJson));
    else if (io.quiet !== true) io.out(`${renderRefreshSummary(summary, { color: io.color })}\n${llm.enabled ? '' : `Rules only: ${llm.reason}.\n`}`);
    return gate(
      summary,
      store,
      catalogue.entries.map((e) => e.name).filter((n) => shard === undefined || inShard(n, shard)),
      flags,
      io,
    );
  } finally {
    clearInterval(ticker);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (llm?.enabled) llm.close();
    useChildLedger(undefined);
    closeQuietly(store);
    lock?.release();
  }
}

/**
 * The nightly gates. `--fail-on LEVEL` reads each server's latest good scan, as `scan --fail-on` reads a
 * fresh one; a server never scanned successfully trips it too (its tools are Unknown, not safe).
 * `--fail-on-drift` trips on any tool of this run whose definition changed for the worse.
 */
function gate(summary: RefreshSummary, store: Store, names: readonly string[], flags: RefreshFlags, io: Io): number {
  const reasons: string[] = [];
  if (flags.failOn !== undefined) {
    const tripped: string[] = summary.notCovered.map((s) => `${s.name} (not covered: ${s.status})`);
    for (const name of names) {
      const latest = store.findLatestScan(name, { okOnly: true });
      if (latest === undefined) continue;
      const stored = store.scanResult(latest.id);
      const tools = stored.tools.map((t) => ({ name: t.definition.name, classification: t.classification }));
      tripped.push(...trippedBy(tools, flags.failOn, stored.findings, 3).map((t) => `${name}/${t}`));
    }
    if (tripped.length > 0) reasons.push(`--fail-on ${flags.failOn} tripped by ${listed(tripped)}`);
  }
  if (flags.failOnDrift === true && summary.changes.drift > 0)
    reasons.push(`--fail-on-drift: ${summary.changes.drift} tools drifted since their previous scan`);
  for (const r of reasons) io.err(`mcp-risk: ${safeText(r, 2000)}\n`);
  return reasons.length > 0 ? EXIT.THRESHOLD : EXIT.OK;
}

const listed = (items: readonly string[], max = 20): string =>
  items.length > max ? `${items.slice(0, max).join(', ')} and ${items.length - max} more` : items.join(', ');

function closeQuietly(store: Store): void {
  try {
    store.close();
  } catch {
    // Already closed by an interruption.
  }
}
