#!/usr/bin/env node
// Command line: parses arguments, calls the pipeline stages, prints, and maps errors to exit codes.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { McpRiskError } from './model/index.js';
import type { ServerSnapshot } from './model/index.js';
import { loadManifest, scanServer } from './ingest/index.js';
import type { ScanOptions, ServerTarget } from './ingest/index.js';
import { classifySnapshot } from './classify/index.js';
import { analyseAndStore, llmContext } from './pipeline/analyse.js';
import { scanNpmPackage } from './pipeline/npm-source.js';
import type { NpmScanRequest } from './pipeline/npm-source.js';
import { parseNpmSpec } from './packages/index.js';
import type { LlmContext } from './pipeline/analyse.js';
import { llmChoiceFromFlags } from './cli/llm-flags.js';
import { LLM_FLAGS, installOptions } from './cli/scan-flags.js';
import { refreshCommand } from './cli/refresh-command.js';
import { diffCommand } from './cli/diff-command.js';
import { importCommand } from './cli/import-command.js';
import { mergeCommand } from './cli/merge-command.js';
import { defaultDbPath, openStore } from './store/index.js';
import type { Store } from './store/index.js';
import {
  renderPolicy,
  renderScanTable,
  renderServerList,
  renderToolDetail,
  safeText,
  starterPolicyFor,
  toScanJson,
  viewFromSnapshot,
  viewFromStored,
} from './output/index.js';
import type { ScanView } from './output/index.js';
import { exceedsThreshold, parseRiskLevel } from './cli/fail-on.js';
import { parseEnvPairs, parseHeaders, policyPathFor } from './cli/inputs.js';
import { writeFileAtomic } from './cli/files.js';
import { EXIT, parse, parseMs } from './cli/args.js';
import type { Io } from './cli/args.js';

export { EXIT };


const HELP = `mcp-risk: scan MCP servers and classify the risk of every tool they expose.

Usage:
  mcp-risk scan [options] -- <command> [args...]   scan a server over stdio
  mcp-risk scan [options] <https://host/mcp>       scan a server over HTTP (streamable, SSE fallback)
  mcp-risk scan [options] <file>                   scan a manifest: a tools/list result, a bare
                                                   array of tools, or a client config (mcpServers)
  mcp-risk scan [options] npm:<package>[@version]  install a server package into the cache and scan it
  mcp-risk classify <file> [--json] [--fail-on L]  classify a manifest with the rules alone (no database)
  mcp-risk show [SERVER[/TOOL]] [--json]           read results back from the database
  mcp-risk policy SERVER [--out FILE]              write the starter policy.json for a stored server
  mcp-risk refresh CATALOGUE [options]             scan every server of a catalogue file (YAML)
  mcp-risk diff SERVER [--from ID --to ID] [--json]  what changed between two scans of a server
  mcp-risk import registry URL [--out FILE]        MCP Registry listings into a catalogue file
  mcp-risk import html FILE_OR_URL [--selectors NAME|FILE] [--out FILE]
                                                   a directory web page into a catalogue file
  mcp-risk merge OUT.db IN.db [IN.db ...]          combine result databases (shards), history included

Scan options:
  --name NAME             store the server under this name (default: the server's own name)
  --env KEY=VALUE         pass a variable to a stdio server (repeatable); nothing else of
                          our environment reaches it
  --header 'Name: value'  send a header to an HTTP server (repeatable)
  --connect-timeout MS    time allowed to start and initialize (default 15000)
  --list-timeout MS       time allowed to list tools, prompts and resources (default 30000)
  --policy FILE           also write the starter policy.json (one file per server: a client
                          config with several servers writes FILE as name.<server>.json)
  --json                  print the result as JSON (shape: mcp-risk/scan@1) instead of a table
  --fail-on LEVEL         exit 1 when a tool's risk is LEVEL or above (Low, Medium, High,
                          Critical); a tool of Unknown risk also trips it
  --bin NAME              npm: which bin to start when the package has several
  --allow-scripts         npm: run the package's install scripts (default: never)
  --registry URL          npm: the registry to install from (default: npm's own)
  --install-timeout MS    npm: time allowed to resolve and install (default 180000); packages are
                          cached in $MCP_RISK_CACHE, else $XDG_CACHE_HOME/mcp-risk, else ~/.cache/mcp-risk
  --db PATH               results database (default: $MCP_RISK_DB, else
                          $XDG_DATA_HOME/mcp-risk/mcp-risk.db, else ~/.local/share/mcp-risk/mcp-risk.db)

Refresh options:
  --concurrency N         servers scanned at once (default: the number of cores)
  --force                 rescan servers whose version and configuration are unchanged
  --shard I/N             only the servers of shard I of N (a stable split by name)
  --timeout MS            whole scan of one server unless the catalogue says (default 60000)
  --retries N             extra attempts after a timeout or a failed HTTP server (default 1)
  --no-progress           no progress output (default: a bar on a terminal, a line per server otherwise)
  --json                  print the summary as JSON
  plus --db, --allow-scripts, --registry, --install-timeout and the --llm options.
  An interrupted refresh (Ctrl-C, a kill) resumes when the same command runs again. Servers that
  could not be scanned are listed as not covered; the refresh itself still exits 0.

LLM second opinion (scan and refresh; off unless an endpoint is configured):
  --llm / --no-llm        insist on / turn off the LLM (default: on when an endpoint is configured)
  --llm-base-url URL      any OpenAI-compatible endpoint (env: MCP_RISK_LLM_BASE_URL, OPENAI_BASE_URL);
                          the key comes from $OPENAI_API_KEY only, and is never stored or printed
  --llm-model NAME        model (env: MCP_RISK_LLM_MODEL; default gpt-4o-mini)
  --llm-batch N           tools per request (default 20)
  --llm-concurrency N     requests in flight (default 4)
  --llm-rpm N             requests per minute, 0 for no limit (default 120)
  --llm-timeout MS        per request attempt (default 60000)
  --llm-retries N         retries on 429, 5xx and timeouts, honouring Retry-After (default 4)
  --llm-prompt ID@V       prompt version under prompts/ (default classify-tools@1)
  --config FILE           settings file with an llm: section (env: MCP_RISK_CONFIG); see the README
  A scan whose LLM part fails keeps its rules-only verdicts, says so, and still exits 0.

Exit codes:
  0  done
  1  done, and a tool at or above --fail-on LEVEL was found (only when --fail-on is given)
  2  usage, input or internal error, or a server that could not be scanned (failed, timeout,
     auth-required); the error is one line on stderr and nothing partial is written
`;

const SCAN_FLAGS = {
  name: { type: 'string' },
  env: { type: 'string', multiple: true },
  header: { type: 'string', multiple: true },
  'connect-timeout': { type: 'string' },
  'list-timeout': { type: 'string' },
  policy: { type: 'string' },
  json: { type: 'boolean' },
  'fail-on': { type: 'string' },
  db: { type: 'string' },
  ...LLM_FLAGS,
  bin: { type: 'string' },
  'allow-scripts': { type: 'boolean' },
  registry: { type: 'string' },
  'install-timeout': { type: 'string' },
} as const;


async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      io.out(HELP);
      return command === undefined ? EXIT.ERROR : EXIT.OK;
    case '-v':
    case '--version':
      io.out(`${packageVersion()}\n`);
      return EXIT.OK;
    case 'scan':
      return scanCommand(rest, io);
    case 'classify':
      return classifyCommand(rest, io);
    case 'show':
      return showCommand(rest, io);
    case 'policy':
      return policyCommand(rest, io);
    case 'refresh':
      return refreshCommand(rest, io, process.stderr.isTTY === true);
    case 'diff':
      return diffCommand(rest, io);
    case 'import':
      return importCommand(rest, io);
    case 'merge':
      return mergeCommand(rest, io);
    default:
      throw new McpRiskError('USAGE', `unknown command '${command}'`, { hint: 'run mcp-risk --help' });
  }
}

async function scanCommand(args: string[], io: Io): Promise<number> {
  // Everything after `--` is the server's command line and must not be read as our flags.
  const dashDash = args.indexOf('--');
  const ours = dashDash === -1 ? args : args.slice(0, dashDash);
  const serverCommand = dashDash === -1 ? [] : args.slice(dashDash + 1);
  const { values, positionals } = parse(ours, SCAN_FLAGS);
  const failOn = values['fail-on'] === undefined ? undefined : parseRiskLevel(values['fail-on']);
  const scanOptions: ScanOptions = {};
  const connectTimeoutMs = parseMs(values['connect-timeout'], '--connect-timeout');
  const listTimeoutMs = parseMs(values['list-timeout'], '--list-timeout');
  if (connectTimeoutMs !== undefined) scanOptions.connectTimeoutMs = connectTimeoutMs;
  if (listTimeoutMs !== undefined) scanOptions.listTimeoutMs = listTimeoutMs;
  const env = parseEnvPairs(values.env ?? []);
  const headers = parseHeaders(values.header ?? []);

  const llmChoice = llmChoiceFromFlags(values);
  const sources = await resolveScanSources(serverCommand, positionals, { name: values.name, env, headers });
  // Open the database before scanning so a bad --db fails before any server is started.
  const store = openStore(values.db ?? defaultDbPath());
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
        const scanned = await scanNpmPackage({ ...source.request, scan: scanOptions, install: installOptions(values) });
        snapshot = scanned.snapshot;
        resolvedVersion = scanned.version;
      } else snapshot = await scanServer(source.target, scanOptions);
      const { classifications, llm: llmRun, scanId } = await analyseAndStore(snapshot, llm, store, resolvedVersion === undefined ? {} : { resolvedVersion });
      const view = viewFromSnapshot(snapshot, classifications, scanId, llmRun);
      views.push(view);
      if (values.json !== true) io.out(renderScanTable(view, { color: io.color }) + '\n');
      if (llmRun.status === 'failed' || llmRun.status === 'partial') {
        io.err(`mcp-risk: warning: ${safeText(snapshot.name, 80)}: LLM part ${llmRun.status}: ${safeText(llmRun.reason ?? 'no reason given', 300)}; rules-only verdicts kept\n`);
      }
      if (!isScanned(snapshot)) {
        unscanned += 1;
        io.err(`mcp-risk: ${safeText(snapshot.name, 80)}: ${snapshot.status}: ${safeText(snapshot.error ?? 'no detail', 300)}\n`);
        continue;
      }
      if (values.policy !== undefined) {
        const path = policyPathFor(values.policy, snapshot.name, sources.length > 1);
        writeFileAtomic(path, renderPolicy(starterPolicyFor(view)));
      }
    }
    if (values.json === true) {
      io.out(JSON.stringify(views.length === 1 ? toScanJson(views[0]!) : views.map(toScanJson), null, 2) + '\n');
    } else if (!llm.enabled) {
      // Said once per run, not per server.
      io.out(`Rules only: ${llm.reason}.\n`);
    }
    if (unscanned > 0) return EXIT.ERROR;
    if (failOn !== undefined && views.some((v) => exceedsThreshold(v.tools.map((t) => t.classification), failOn))) return EXIT.THRESHOLD;
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
      hint: 'run mcp-risk --help',
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

async function classifyCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' }, 'fail-on': { type: 'string' } });
  const failOn = values['fail-on'] === undefined ? undefined : parseRiskLevel(values['fail-on']);
  if (positionals.length !== 1) throw new McpRiskError('USAGE', 'classify takes exactly one manifest file');
  const manifest = await loadManifest(positionals[0]!);
  if (manifest.kind !== 'snapshot') {
    throw new McpRiskError('NOT_A_TOOL_LIST', `${positionals[0]} is an MCP client config, not a tool list`, {
      hint: `scan it instead: mcp-risk scan ${positionals[0]}`,
    });
  }
  const classifications = classifySnapshot(manifest.snapshot);
  const view = viewFromSnapshot(manifest.snapshot, classifications);
  io.out(values.json === true ? JSON.stringify(toScanJson(view), null, 2) + '\n' : renderScanTable(view, { color: io.color }) + '\n');
  if (failOn !== undefined && exceedsThreshold(classifications, failOn)) return EXIT.THRESHOLD;
  return EXIT.OK;
}

async function showCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' }, db: { type: 'string' } });
  if (positionals.length > 1) throw new McpRiskError('USAGE', 'show takes at most one SERVER or SERVER/TOOL');
  const store = openExistingStore(values.db);
  try {
    const what = positionals[0];
    if (what === undefined) {
      const servers = store.listServers();
      io.out(values.json === true ? JSON.stringify(servers, null, 2) + '\n' : renderServerList(servers, { color: io.color }) + '\n');
      return EXIT.OK;
    }
    const { server, tool } = splitServerTool(store, what);
    const stored = store.scanResult(store.latestScan(server).id);
    const view = viewFromStored(stored);
    if (tool === undefined) {
      io.out(values.json === true ? JSON.stringify(toScanJson(view), null, 2) + '\n' : renderScanTable(view, { color: io.color }) + '\n');
      return EXIT.OK;
    }
    const entry = view.tools.find((t) => t.definition.name === tool);
    if (entry === undefined) {
      throw new McpRiskError('NOT_FOUND', `server '${server}' has no tool '${tool}' in its latest scan`, {
        hint: `run mcp-risk show ${server} to list its tools`,
      });
    }
    const history = store.toolHistory(server, tool);
    io.out(
      values.json === true
        ? JSON.stringify({ ...toScanJson({ ...view, tools: [entry] }).tools[0], history }, null, 2) + '\n'
        : renderToolDetail(entry, history, { color: io.color }) + '\n',
    );
    return EXIT.OK;
  } finally {
    store.close();
  }
}

/** Server names may contain '/', so the longest stored server name that prefixes the argument wins. */
function splitServerTool(store: Store, what: string): { server: string; tool?: string } {
  const names = store.listServers().map((s) => s.name);
  if (names.includes(what)) return { server: what };
  const slash = what.lastIndexOf('/');
  if (slash > 0 && names.includes(what.slice(0, slash))) return { server: what.slice(0, slash), tool: what.slice(slash + 1) };
  throw new McpRiskError('NOT_FOUND', `no server named '${what}' in the database`, {
    hint: names.length > 0 ? `known servers: ${names.slice(0, 10).join(', ')}` : 'scan a server first: mcp-risk scan --help',
  });
}

async function policyCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { out: { type: 'string' }, db: { type: 'string' } });
  if (positionals.length !== 1) throw new McpRiskError('USAGE', 'policy takes exactly one SERVER name');
  const store = openExistingStore(values.db);
  try {
    const name = positionals[0]!;
    const stored = store.scanResult(store.latestScan(name, { okOnly: true }).id);
    const policy = renderPolicy(starterPolicyFor(stored));
    if (values.out === undefined) io.out(policy);
    else writeFileAtomic(values.out, policy);
    return EXIT.OK;
  } finally {
    store.close();
  }
}

/** Reading commands must not create an empty database where the user mistyped a path. */
function openExistingStore(dbFlag: string | undefined): Store {
  const path = dbFlag ?? defaultDbPath();
  if (!existsSync(path)) {
    throw new McpRiskError('NOT_FOUND', `no results database at ${path}`, { hint: 'scan a server first, or pass --db PATH' });
  }
  return openStore(path);
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export function formatError(error: unknown): { text: string; internal: boolean } {
  if (error instanceof McpRiskError) {
    return { text: `mcp-risk: ${error.message}${error.hint === undefined ? '' : ` (${error.hint})`}\n`, internal: false };
  }
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return {
    text: `mcp-risk: internal error, please report it with the command you ran:\n${stack}\n`,
    internal: true,
  };
}

export async function run(argv: string[], io: Io): Promise<number> {
  try {
    return await main(argv, io);
  } catch (error) {
    io.err(formatError(error).text);
    return EXIT.ERROR;
  }
}

function isEntryPoint(): boolean {
  const invoked = process.argv[1];
  if (invoked === undefined) return false;
  try {
    return realpathSync(invoked) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

// Only run when executed as a program (also through the npm bin symlink), so tests can import run().
if (isEntryPoint()) {
  const color = process.stdout.isTTY === true && process.env['NO_COLOR'] === undefined;
  const code = await run(process.argv.slice(2), {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    color,
  });
  process.exitCode = code;
}
