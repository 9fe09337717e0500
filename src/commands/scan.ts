// `mcp-risk scan`: resolves what to scan, then for each server scans, classifies, stores and prints it.
import type { CatalogueEntry } from '../catalogue/index.js';
import { resolve } from 'node:path';
import { DEFAULT_SCAN_OPTIONS } from '../ingest/index.js';
import type { DiscoveryPlaces } from '../ingest/discover.js';
import { McpRiskError } from '../model/errors.js';
import { isListed } from '../model/index.js';
import type { Finding, KnownRisk } from '../model/index.js';
import { configToxicFlow, crossServerFindings } from '../poisoning/index.js';
import { renderFinding, renderScanTable, safeText, viewFromSnapshot, jsonText } from '../output/index.js';
import type { ScanView } from '../output/index.js';
import { reportChunks } from '../output/report.js';
import type { ScanDiff } from '../history/index.js';
import { policyDecisions, policyExtension, renderPolicyAs } from '../output/policy/index.js';
import { renderScanPlan, scanPlanJson } from '../output/scan-plan.js';
import { llmContext } from '../pipeline/analyse.js';
import type { LlmContext } from '../pipeline/analyse.js';
import { runEntry } from '../pipeline/scan-entry.js';
import { defaultDbPath, openStore } from '../store/index.js';
import { failOnGate } from '../cli/fail-on.js';
import { writePolicyFile } from '../cli/files.js';
import type { InstallFlagValues, LlmFlagValues, PolicyFormatValue, SandboxFlagValues } from '../cli/flags.js';
import { sandboxChoice } from '../cli/sandbox-flags.js';
import { parseEnvPairs, parseHeaders, policyPathFor } from '../cli/inputs.js';
import { installOptions } from '../cli/install-flags.js';
import { EXIT } from '../cli/io.js';
import type { Io } from '../cli/io.js';
import { llmChoiceFromFlags } from '../cli/llm-flags.js';
import { reportOutput } from '../cli/report-flags.js';
import type { ReportFlagValues } from '../cli/report-flags.js';
import { packageVersion } from '../cli/version.js';
import { scanEntries } from './scan-entries.js';

export interface ScanFlags extends InstallFlagValues, LlmFlagValues, SandboxFlagValues, ReportFlagValues, PolicyFormatValue {
  name?: string;
  env?: string[];
  header?: string[];
  connectTimeout?: number;
  listTimeout?: number;
  policy?: string;
  failOn?: KnownRisk;
  failOnScore?: number;
  db?: string;
  breakToxicFlows?: boolean;
  /** `--server NAME`: one server of a client config or of discovery. */
  server?: string;
  discover?: boolean;
  /** Print what would be scanned, start nothing. */
  list?: boolean;
  /** The project whose configs discovery reads, and `${workspaceFolder}` (default: the current directory). */
  project?: string;
}

/**
 * @param positionals what came before `--`: one file, URL or npm: spec
 * @param serverCommand everything after `--`: the server's command line, never read as our flags
 */
export async function scanCommand(positionals: string[], serverCommand: string[], flags: ScanFlags, io: Io): Promise<number> {
  // Before any server starts: a contradictory --json/--format is a usage error, not a wasted scan.
  const report = reportOutput(flags, io);
  if (flags.policyFormat !== undefined && flags.policy === undefined) {
    throw new McpRiskError('USAGE', '--policy-format says which format --policy writes, and no --policy FILE was given');
  }
  const policyFormat = flags.policyFormat ?? 'policylayer';
  const env = parseEnvPairs(flags.env ?? []);
  const headers = parseHeaders(flags.header ?? []);
  const llmChoice = llmChoiceFromFlags(flags, io.env);
  const home = io.env['HOME'] ?? io.env['USERPROFILE'];
  const project = resolve(flags.project ?? process.cwd());
  const { entries, from, where } = await scanEntries(
    {
      positionals,
      serverCommand,
      name: flags.name,
      env,
      headers,
      bin: flags.bin,
      server: flags.server,
      discover: flags.discover === true ? discoveryPlaces(home, project, io.env) : undefined,
      project,
      home,
    },
    io,
  );
  if (flags.list === true) {
    io.out(flags.json === true ? jsonText(scanPlanJson(entries, from), io.compactJson) : renderScanPlan(entries, from));
    return EXIT.OK;
  }
  if (entries.length === 0) {
    // Nothing scanned is not "nothing risky".
    const hint = flags.discover === true ? "the README's discovery table says where each client keeps its config; --project DIR for a project's" : undefined;
    throw new McpRiskError('NO_SERVERS', `no MCP server found in ${where ?? 'the input'}`, hint === undefined ? undefined : { hint });
  }
  // A package from the registry is someone else's code: sandboxed by default. A command the user typed is theirs.
  const sandbox = sandboxChoice(
    flags,
    entries.some((e) => e.source.kind === 'npm'),
    io,
  );
  // Open the database before scanning so a bad --db fails before any server is started.
  const store = openStore(flags.db ?? defaultDbPath(io.env), { write: true });
  let llm: LlmContext;
  try {
    llm = await llmContext(llmChoice);
  } catch (error) {
    store.close();
    throw error;
  }
  const options = {
    install: installOptions(flags, io.env),
    timeoutMs: DEFAULT_SCAN_OPTIONS.connectTimeoutMs + DEFAULT_SCAN_OPTIONS.listTimeoutMs,
    scan: {
      connectTimeoutMs: flags.connectTimeout ?? DEFAULT_SCAN_OPTIONS.connectTimeoutMs,
      listTimeoutMs: flags.listTimeout ?? DEFAULT_SCAN_OPTIONS.listTimeoutMs,
    },
    // One attempt: the user is watching, and a second try is one command away.
    retries: 0,
    ...(sandbox !== undefined && { sandbox }),
    // Values given on our command line are literal, never `${NAME}` references into our environment.
    env: {},
  };
  try {
    const views: ScanView[] = [];
    const diffs = new Map<ScanView, ScanDiff>();
    let unscanned = 0;
    for (const entry of entries) {
      // The same per-server pipeline as refresh, always scanning: a scan asked for by hand is never skipped.
      const run = await runEntry(entry, store, llm, { ...options, fingerprintOf: masked(entry) });
      if (run?.kind !== 'scanned') throw new Error(`scan of ${entry.name} did not run`);
      const { snapshot, classifications, scanId, llm: llmRun } = run;
      const view = viewFromSnapshot(snapshot, classifications, scanId, llmRun);
      views.push(view);
      if (run.diff) diffs.set(view, run.diff);
      if (report.format === 'table') report.print(renderScanTable(view, { color: report.color }) + '\n');
      if (llmRun.status === 'failed' || llmRun.status === 'partial') {
        io.err(
          `mcp-risk: warning: ${safeText(snapshot.name, 80)}: LLM part ${llmRun.status}: ${safeText(llmRun.reason ?? 'no reason given', 300)}; rules-only verdicts kept\n`,
        );
      }
      if (!isListed(snapshot.status)) {
        unscanned += 1;
        io.err(`mcp-risk: ${safeText(snapshot.name, 80)}: ${snapshot.status}: ${safeText(snapshot.error ?? 'no detail', 300)}\n`);
        continue;
      }
      if (flags.policy !== undefined) {
        const path = policyPathFor(flags.policy, snapshot.name, entries.length > 1, policyExtension(policyFormat));
        const decisions = policyDecisions(view, { breakToxicFlows: flags.breakToxicFlows === true });
        writePolicyFile(path, policyFormat, renderPolicyAs(policyFormat, decisions), io);
      }
    }
    // A client config: what its servers do to each other (reported, not stored: each scan is stored alone).
    const across = views.length > 1 ? acrossServers(views) : { perServer: new Map<string, Finding[]>(), config: [] };
    for (const v of views) v.findings.push(...(across.perServer.get(v.server.name) ?? []));
    if (report.format === 'table' && across.config.length + [...across.perServer.values()].flat().length > 0) {
      report.print(
        `Across servers:\n${[...[...across.perServer.values()].flat(), ...across.config].map((f) => `  ${f.severity.padEnd(7)} ${f.code}: ${safeText(renderFinding(f), 300)}`).join('\n')}\n`,
      );
    }
    if (report.format !== 'table') {
      const file = inputFile(positionals, serverCommand);
      report.printAll(
        reportChunks(
          report.format,
          views.map((view) => ({ view, diff: diffs.get(view), file })),
          { version: packageVersion(), cwd: process.cwd(), compact: io.compactJson === true },
        ),
      );
    } else if (!llm.enabled) {
      // Said once per run, not per server.
      report.print(`Rules only: ${llm.reason}.\n`);
    }
    // Written whatever the exit code: a CI job uploads the report of a scan that trips --fail-on too.
    report.finish();
    if (unscanned > 0) return EXIT.ERROR;
    return failOnGate(views, flags, io.err);
  } finally {
    if (llm.enabled) llm.close();
    store.close();
  }
}

function acrossServers(views: ScanView[]): { perServer: Map<string, Finding[]>; config: Finding[] } {
  const servers = views.map((v) => ({ name: v.server.name, tools: v.tools }));
  return { perServer: crossServerFindings(servers), config: configToxicFlow(servers) };
}

/** The manifest or client-config file the servers were read from, for reports that point at it (SARIF). */
function inputFile(positionals: string[], serverCommand: string[]): string | undefined {
  const input = positionals.length === 1 && serverCommand.length === 0 ? positionals[0]! : undefined;
  return input === undefined || input.startsWith('npm:') || /^https?:\/\//i.test(input) ? undefined : input;
}

/** The entry as fingerprinted: env and header names count, their values (the user's secrets) do not. */
function masked(entry: CatalogueEntry): CatalogueEntry {
  const mask = (values: Record<string, string>): Record<string, string> => Object.fromEntries(Object.keys(values).map((k) => [k, '***']));
  return { ...entry, env: mask(entry.env), headers: mask(entry.headers) };
}

/** Where discovery looks, from our environment (never this process's own home lookup), so tests can point it anywhere. */
function discoveryPlaces(home: string | undefined, project: string, env: NodeJS.ProcessEnv): DiscoveryPlaces {
  if (home === undefined || home === '') {
    throw new McpRiskError('USAGE', '--discover reads the client configs in your home folder, and HOME is not set', {
      hint: 'set HOME (USERPROFILE on Windows)',
    });
  }
  const optional = (key: string): string | undefined => (env[key] === undefined || env[key] === '' ? undefined : env[key]);
  const appData = optional('APPDATA');
  const xdgConfigHome = optional('XDG_CONFIG_HOME');
  const codexHome = optional('CODEX_HOME');
  return {
    home,
    project,
    platform: process.platform,
    ...(appData !== undefined && { appData }),
    ...(xdgConfigHome !== undefined && { xdgConfigHome }),
    ...(codexHome !== undefined && { codexHome }),
  };
}
