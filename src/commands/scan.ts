// `mcp-risk scan`: resolves what to scan, then for each server scans, classifies, stores and prints it.
import { loadManifest, scanServer } from '../ingest/index.js';
import type { ScanOptions, ServerTarget } from '../ingest/index.js';
import { McpRiskError } from '../model/errors.js';
import type { KnownRisk, ServerSnapshot } from '../model/index.js';
import { renderPolicy, renderScanTable, safeText, starterPolicyFor, toScanJson, viewFromSnapshot } from '../output/index.js';
import type { ScanView } from '../output/index.js';
import { parseNpmSpec } from '../packages/npm-spec.js';
import { analyseAndStore, llmContext } from '../pipeline/analyse.js';
import type { LlmContext } from '../pipeline/analyse.js';
import { scanNpmPackage } from '../pipeline/npm-source.js';
import type { NpmScanRequest } from '../pipeline/npm-source.js';
import { defaultDbPath, openStore } from '../store/index.js';
import { exceedsThreshold } from '../cli/fail-on.js';
import { writeFileAtomic } from '../cli/files.js';
import type { InstallFlagValues, LlmFlagValues } from '../cli/flags.js';
import { parseEnvPairs, parseHeaders, policyPathFor } from '../cli/inputs.js';
import { installOptions } from '../cli/install-flags.js';
import { EXIT } from '../cli/io.js';
import type { Io } from '../cli/io.js';
import { llmChoiceFromFlags } from '../cli/llm-flags.js';

export interface ScanFlags extends InstallFlagValues, LlmFlagValues {
  name?: string;
  env?: string[];
  header?: string[];
  connectTimeout?: number;
  listTimeout?: number;
  policy?: string;
  json?: boolean;
  failOn?: KnownRisk;
  db?: string;
}

/**
 * @param positionals what came before `--`: one file, URL or npm: spec
 * @param serverCommand everything after `--`: the server's command line, never read as our flags
 */
export async function scanCommand(positionals: string[], serverCommand: string[], flags: ScanFlags, io: Io): Promise<number> {
  const scanOptions: ScanOptions = {};
  if (flags.connectTimeout !== undefined) scanOptions.connectTimeoutMs = flags.connectTimeout;
  if (flags.listTimeout !== undefined) scanOptions.listTimeoutMs = flags.listTimeout;
  const env = parseEnvPairs(flags.env ?? []);
  const headers = parseHeaders(flags.header ?? []);

  const llmChoice = llmChoiceFromFlags(flags, io.env);
  const sources = await resolveScanSources(serverCommand, positionals, { name: flags.name, env, headers });
  // Open the database before scanning so a bad --db fails before any server is started.
  const store = openStore(flags.db ?? defaultDbPath(io.env));
  let llm: LlmContext;
  try {
    llm = llmContext(llmChoice);
  } catch (error) {
    store.close();
    throw error;
  }
  try {
    const views: ScanView[] = [];
    let unscanned = 0;
    for (const source of sources) {
      let resolvedVersion: string | undefined;
      let snapshot: ServerSnapshot;
      if (source.kind === 'snapshot') snapshot = source.snapshot;
      else if (source.kind === 'npm') {
        const scanned = await scanNpmPackage({ ...source.request, scan: scanOptions, install: installOptions(flags, io.env) });
        snapshot = scanned.snapshot;
        resolvedVersion = scanned.version;
      } else snapshot = await scanServer(source.target, scanOptions);
      const { classifications, llm: llmRun, scanId } = await analyseAndStore(snapshot, llm, store, resolvedVersion === undefined ? {} : { resolvedVersion });
      const view = viewFromSnapshot(snapshot, classifications, scanId, llmRun);
      views.push(view);
      if (flags.json !== true) io.out(renderScanTable(view, { color: io.color }) + '\n');
      if (llmRun.status === 'failed' || llmRun.status === 'partial') {
        io.err(`mcp-risk: warning: ${safeText(snapshot.name, 80)}: LLM part ${llmRun.status}: ${safeText(llmRun.reason ?? 'no reason given', 300)}; rules-only verdicts kept\n`);
      }
      if (!isScanned(snapshot)) {
        unscanned += 1;
        io.err(`mcp-risk: ${safeText(snapshot.name, 80)}: ${snapshot.status}: ${safeText(snapshot.error ?? 'no detail', 300)}\n`);
        continue;
      }
      if (flags.policy !== undefined) {
        const path = policyPathFor(flags.policy, snapshot.name, sources.length > 1);
        writeFileAtomic(path, renderPolicy(starterPolicyFor(view)));
      }
    }
    if (flags.json === true) {
      io.out(JSON.stringify(views.length === 1 ? toScanJson(views[0]!) : views.map(toScanJson), null, 2) + '\n');
    } else if (!llm.enabled) {
      // Said once per run, not per server.
      io.out(`Rules only: ${llm.reason}.\n`);
    }
    if (unscanned > 0) return EXIT.ERROR;
    if (flags.failOn !== undefined && views.some((v) => exceedsThreshold(v.tools.map((t) => t.classification), flags.failOn!))) return EXIT.THRESHOLD;
    return EXIT.OK;
  } finally {
    if (llm.enabled) llm.close();
    store.close();
  }
}

function isScanned(snapshot: ServerSnapshot): boolean {
  return snapshot.status === 'ok' || snapshot.status === 'no-tools';
}

type ScanSource =
  | { kind: 'snapshot'; snapshot: ServerSnapshot }
  | { kind: 'target'; target: ServerTarget }
  | { kind: 'npm'; request: Omit<NpmScanRequest, 'install' | 'scan'> };

async function resolveScanSources(
  serverCommand: string[],
  positionals: string[],
  given: { name: string | undefined; env: Record<string, string>; headers: Record<string, string> },
): Promise<ScanSource[]> {
  const named = <T extends object>(t: T): T => (given.name === undefined ? t : { ...t, name: given.name });
  // `scan npm:pkg -- args`: what follows `--` goes to the package's bin.
  if (positionals.length === 1 && positionals[0]!.startsWith('npm:')) {
    const request = { spec: parseNpmSpec(positionals[0]!), args: serverCommand, env: given.env };
    return [{ kind: 'npm', request: given.name === undefined ? request : { ...request, name: given.name } }];
  }
  if (serverCommand.length > 0) {
    if (positionals.length > 0) throw new McpRiskError('USAGE', `scan takes either '-- <command>' or one file/URL, not both`);
    const [command, ...args] = serverCommand as [string, ...string[]];
    return [{ kind: 'target', target: named({ kind: 'stdio', command, args, env: given.env }) }];
  }
  if (positionals.length !== 1) {
    throw new McpRiskError('USAGE', 'scan needs a server: -- <command> [args...], an http(s) URL, or a manifest file', {
      hint: 'run mcp-risk scan --help',
    });
  }
  const input = positionals[0]!;
  if (/^https?:\/\//i.test(input)) return [{ kind: 'target', target: named({ kind: 'http', url: input, headers: given.headers }) }];

  const manifest = await loadManifest(input);
  if (manifest.kind === 'snapshot') return [{ kind: 'snapshot', snapshot: named(manifest.snapshot) }];
  // A client config: each server brings its own env and headers; --env/--header add to every one.
  return manifest.targets.map((target) => ({
    kind: 'target' as const,
    target:
      target.kind === 'stdio'
        ? { ...target, env: { ...target.env, ...given.env } }
        : { ...target, headers: { ...target.headers, ...given.headers } },
  }));
}
