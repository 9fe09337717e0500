// `mcp-risk refresh CATALOGUE`: parses flags, shows progress, handles interruption, prints the summary.
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { loadCatalogue } from '../catalogue/index.js';
import { endAllChildren, liveChildren, reapLeftoverChildren, useChildLedger } from '../ingest/index.js';
import { McpRiskError } from '../model/index.js';
import { progressLine, renderRefreshSummary, serverLine } from '../output/index.js';
import { llmContext } from '../pipeline/analyse.js';
import type { LlmContext } from '../pipeline/analyse.js';
import { DEFAULT_REFRESH_TIMEOUT_MS, runRefresh } from '../refresh/refresh.js';
import type { RefreshEvent } from '../refresh/refresh.js';
import { parseShard } from '../refresh/shard.js';
import { defaultDbPath, openStore } from '../store/index.js';
import type { Store } from '../store/index.js';
import { EXIT, parse, parseMs } from './args.js';
import type { Io } from './args.js';
import { llmChoiceFromFlags } from './llm-flags.js';
import { LLM_FLAGS, installOptions } from './scan-flags.js';

const FLAGS = {
  concurrency: { type: 'string' },
  force: { type: 'boolean' },
  shard: { type: 'string' },
  timeout: { type: 'string' },
  retries: { type: 'string' },
  json: { type: 'boolean' },
  progress: { type: 'boolean' },
  'no-progress': { type: 'boolean' },
  db: { type: 'string' },
  bin: { type: 'string' },
  'allow-scripts': { type: 'boolean' },
  registry: { type: 'string' },
  'install-timeout': { type: 'string' },
  ...LLM_FLAGS,
} as const;

function count(value: string | undefined, flag: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new McpRiskError('USAGE', `${flag} takes a whole number of at least ${min}, got '${value}'`);
  return n;
}

export async function refreshCommand(args: string[], io: Io, isTty: boolean): Promise<number> {
  const { values, positionals } = parse(args, FLAGS);
  if (positionals.length !== 1) throw new McpRiskError('USAGE', 'refresh takes exactly one CATALOGUE file');
  if (values.bin !== undefined) throw new McpRiskError('USAGE', '--bin is set per server in a catalogue (bin:), not for a whole refresh');
  const catalogue = loadCatalogue(positionals[0]!);
  const shard = values.shard === undefined ? undefined : parseShard(values.shard);
  const concurrency = count(values.concurrency, '--concurrency', 1) ?? cpus().length;
  const retries = count(values.retries, '--retries', 0) ?? 1;
  const timeoutMs = parseMs(values.timeout, '--timeout') ?? catalogue.defaults.timeoutMs ?? DEFAULT_REFRESH_TIMEOUT_MS;
  const llmChoice = llmChoiceFromFlags(values);
  const dbPath = values.db ?? defaultDbPath();
  const store = openStore(dbPath);
  let llm: LlmContext | undefined;
  const ledger = dbPath === ':memory:' ? undefined : `${dbPath}.children.json`;
  const stopping = new AbortController();
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    // Nothing more is started or stored; the run stays unfinished in the database, so the same command resumes it.
    stopping.abort(new McpRiskError('USAGE', `refresh stopped by ${signal}`));
    io.err(`\nmcp-risk: ${signal}: ending ${liveChildren().length} server processes; run the same command again to resume\n`);
    await endAllChildren();
    if (llm?.enabled) llm.close();
    store.close();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  const onSignal = (signal: NodeJS.Signals): void => void stop(signal);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    if (ledger !== undefined) {
      // A run killed outright may have left servers running: end them before starting new ones.
      if (existsSync(ledger)) {
        const ended = await reapLeftoverChildren(ledger);
        if (ended > 0) io.err(`mcp-risk: ended ${ended} server processes left by an interrupted run\n`);
      }
      useChildLedger(ledger);
    }
    llm = llmContext(llmChoice);
    const progress = values['no-progress'] === true ? 'none' : isTty || values.progress === true ? 'bar' : 'lines';
    let total = 0;
    let alreadyDone = 0;
    const onEvent = (e: RefreshEvent): void => {
      if (e.kind === 'start') {
        total = e.total;
        alreadyDone = e.alreadyDone;
        if (e.resumed) io.err(`mcp-risk: resuming refresh #${e.refreshId}: ${e.alreadyDone} of ${e.total} servers were done before it was interrupted\n`);
        return;
      }
      if (progress === 'bar') io.err(`\r\u001b[2K${progressLine(e, total, alreadyDone)}`);
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
        force: values.force === true,
        ...(shard ? { shard } : {}),
        install: installOptions(values),
        env: process.env,
        signal: stopping.signal,
      },
      onEvent,
    );
    if (progress === 'bar') io.err('\r\u001b[2K');
    io.out(values.json === true ? `${JSON.stringify(summary, null, 2)}\n` : `${renderRefreshSummary(summary, { color: io.color })}\n`);
    if (!llm.enabled && values.json !== true) io.out(`Rules only: ${llm.reason}.\n`);
    return EXIT.OK;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (llm?.enabled) llm.close();
    useChildLedger(undefined);
    closeQuietly(store);
  }
}

function closeQuietly(store: Store): void {
  try {
    store.close();
  } catch {
    // Already closed by an interruption.
  }
}
