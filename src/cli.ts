#!/usr/bin/env node
// Command line: parses arguments, loads and runs the one command asked for, and maps errors to exit codes.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
// Only commander and small modules here: each command's module (and what it needs: SQLite, the MCP SDK,
// openai, cheerio) is imported when that command runs, so `--version` or `classify` start fast.
import { Argument, Command, CommanderError, Option } from 'commander';
import { McpRiskError } from './model/errors.js';
import {
  addInstallOptions,
  addLlmOptions,
  addSandboxOptions,
  breakToxicFlowsOption,
  dbOption,
  failOnOption,
  failOnScoreOption,
  jsonOption,
  policyFormatOption,
} from './cli/flags.js';
import { durationOption } from './cli/duration.js';
import { colorFromEnv, EXIT } from './cli/io.js';
import type { Io } from './cli/io.js';
import { numberOption } from './cli/numbers.js';
import { formatOption, jsonFormatOption, outputOption } from './cli/report-flags.js';
import { packageVersion } from './cli/version.js';
import type { ClassifyFlags } from './commands/classify.js';
import type { DiffFlags } from './commands/diff.js';
import type { ImportFlags } from './commands/import.js';
import type { MergeFlags } from './commands/merge.js';
import type { ReclassifyFlags } from './commands/reclassify.js';
import type { PolicyFlags } from './commands/policy.js';
import type { SiteFlags } from './commands/site.js';
import type { HistoryFlags } from './commands/history.js';
import type { ForgetFlags } from './commands/forget.js';
import type { PruneFlags } from './commands/prune.js';
import type { RefreshFlags } from './commands/refresh.js';
import type { ScanFlags } from './commands/scan.js';
import type { ShowFlags } from './commands/show.js';

export { EXIT };
export type { Io };

const EXIT_CODES = `
Exit codes:
  0  done
  1  done, and a tool at or above --fail-on LEVEL (or --fail-on-score N) was found (only when one is given)
  2  usage, input or internal error, or a server that could not be scanned (failed, timeout,
     auth-required); the error is one line on stderr and nothing partial is written`;

const LLM_NOTE = `
The LLM second opinion is off unless an endpoint is configured (flags, then environment, then
--config). A scan whose LLM part fails keeps its rules-only verdicts, says so, and still exits 0.`;

/** Help is wrapped at a fixed width so it reads the same in a terminal, a pipe and a test. */
const HELP_WIDTH = 100;

/** The program, its commands and their options; each action loads its command's module on demand. */
function buildProgram(io: Io, serverCommand: string[], finish: (code: number) => void): Command {
  const program = new Command('mcp-risk')
    .description('Scan MCP servers and classify the risk of every tool they expose.')
    .usage('<command> [options]')
    // Commander must neither exit the process nor print on its own: run() maps its errors to one line.
    .exitOverride()
    .configureOutput({
      writeOut: io.out,
      writeErr: io.err,
      outputError: () => undefined,
      getOutHelpWidth: () => HELP_WIDTH,
      getErrHelpWidth: () => HELP_WIDTH,
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    })
    .option('--color', 'colour the output even when it is not a terminal (also FORCE_COLOR=1)')
    .option('--no-color', 'no colour (also NO_COLOR=1)')
    .option('--compact', 'JSON without indentation (the default when stdout is not a terminal)')
    .option('--pretty', 'JSON indented (the default on a terminal)')
    .option('-q, --quiet', 'print no table, summary, progress or notes: only errors, warnings and output asked for by name (--json, --format, files)')
    .helpOption('-h, --help', 'print this help')
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpCommand('help [command]', 'print help for a command')
    .addHelpText('after', `${EXIT_CODES}\n\nRun mcp-risk <command> --help for the options of a command.\n`);

  const command = (name: string, summary: string): Command =>
    program
      .command(name)
      .summary(summary)
      .description(`${summary[0]!.toUpperCase()}${summary.slice(1)}.`);

  addLlmOptions(
    addInstallOptions(
      addSandboxOptions(
        command('scan', 'scan servers over stdio or HTTP, or from a manifest, client config or npm package')
          .usage(
            '[options] -- <command> [args...]   a server over stdio\n' +
              '       mcp-risk scan [options] <https://host/mcp>       streamable HTTP, falling back to SSE\n' +
              '       mcp-risk scan [options] <file>                   a tools/list result, a bare array of tools,\n' +
              '                                                        or an MCP client config (mcpServers, servers, mcp_servers)\n' +
              '       mcp-risk scan [options] npm:<package>[@version] [-- args...]\n' +
              '                                                        install a server package into the cache\n' +
              '       mcp-risk scan [options] --discover [--list] [--server NAME]\n' +
              '                                                        every server of your MCP client configs',
          )
          .argument('[target...]', 'an http(s) URL, a manifest or client config file, or npm:<package>[@version]')
          .addOption(
            new Option(
              '--discover',
              'scan every server of the MCP client configs you have (Claude Desktop, Claude Code, Cursor, VS Code, Windsurf, Codex; see the README)',
            ),
          )
          .addOption(new Option('--list', 'print the servers that would be scanned, with where each was found, and start nothing'))
          .addOption(new Option('--server <name>', 'only this server of a client config or of --discover (an unknown name lists the known ones)'))
          .addOption(
            new Option('--project <dir>', "the project whose .mcp.json, .cursor/ and .vscode/ configs --discover reads, and ${workspaceFolder} (default: '.')"),
          )
          .addOption(
            new Option(
              '--name <name>',
              'store the server under this name (default: what was scanned; a client config key); with a client config or --discover, only with --server',
            ),
          )
          .addOption(
            new Option('--env <KEY=VALUE>', 'pass a variable to a stdio server (repeatable); nothing else of our environment reaches it').argParser(collect),
          )
          .addOption(new Option('--header <"Name: value">', 'send a header to an HTTP server (repeatable)').argParser(collect))
          .addOption(numberOption('--connect-timeout <ms>', 'time allowed to start and initialize (default 15000)', 'ms'))
          .addOption(numberOption('--list-timeout <ms>', 'time allowed to list tools, prompts and resources (default 30000)', 'ms'))
          .addOption(
            new Option(
              '--policy <file>',
              'also write the starter policy (one file per server: a client config with several servers writes FILE as name.<server>.json)',
            ),
          )
          .addOption(policyFormatOption('--policy-format <format>', 'the format --policy writes'))
          .addOption(breakToxicFlowsOption())
          .addOption(formatOption('mcp-risk/scan@1'))
          .addOption(jsonFormatOption())
          .addOption(outputOption())
          .addOption(failOnOption())
          .addOption(failOnScoreOption())
          .addOption(dbOption()),
        'npm: packages',
      ),
      { bin: true },
    ),
  )
    .addHelpText('after', `\nEverything after -- is the server's command line and is never read as mcp-risk's options.\n${LLM_NOTE}\n`)
    .action(async (targets: string[], flags: ScanFlags) => {
      const { scanCommand } = await import('./commands/scan.js');
      finish(await scanCommand(targets, serverCommand, flags, io));
    });

  command('classify', 'classify a manifest with the rules alone (no database, no server, no LLM)')
    .argument('<file>', 'a tools/list result or a bare array of tools (JSON or YAML)')
    .addOption(formatOption('mcp-risk/scan@1'))
    .addOption(jsonFormatOption())
    .addOption(outputOption())
    .addOption(failOnOption())
    .addOption(failOnScoreOption())
    .addOption(new Option('--stream', 'read a JSON tool list tool by tool, for lists too long to hold (automatic past 48 MiB); JSON output only'))
    .action(async (file: string, flags: ClassifyFlags) => {
      const { classifyCommand } = await import('./commands/classify.js');
      finish(await classifyCommand(file, flags, io));
    });

  command('show', 'read results back from the database')
    .argument('[server[/tool]]', 'a stored server, or one of its tools (default: every server)')
    .addOption(jsonOption('the servers, the scan or the tool as JSON'))
    .addOption(dbOption())
    .action(async (what: string | undefined, flags: ShowFlags) => {
      const { showCommand } = await import('./commands/show.js');
      finish(await showCommand(what, flags, io));
    });

  command('policy', 'write the starter policy for a stored server (policy.json, Intercept, Claude Code or Codex)')
    .argument('<server>', 'a stored server; its latest scan that listed tools is used')
    .addOption(new Option('--out <file>', 'write the policy to FILE (default: stdout)'))
    .addOption(policyFormatOption('--format <format>', 'the policy format'))
    .addOption(breakToxicFlowsOption())
    .addOption(dbOption())
    .action(async (server: string, flags: PolicyFlags) => {
      const { policyCommand } = await import('./commands/policy.js');
      finish(await policyCommand(server, flags, io));
    });

  command('site', 'write the static catalogue site (index, a page per server and per tool) from the database')
    .addOption(new Option('--out <dir>', 'the folder to write; a site written there before is replaced at once').makeOptionMandatory())
    .addOption(dbOption())
    .action(async (flags: SiteFlags) => {
      const { siteCommand } = await import('./commands/site.js');
      finish(await siteCommand(flags, io));
    });

  addLlmOptions(
    addInstallOptions(
      addSandboxOptions(
        command('refresh', 'scan every server of a catalogue file (YAML); incremental and resumable')
          .argument('<catalogue>', 'a catalogue file (see the README)')
          .addOption(numberOption('--concurrency <n>', 'servers scanned at once (default: the number of cores)', 'positive'))
          .addOption(new Option('--force', 'rescan servers whose version and configuration are unchanged'))
          .addOption(
            durationOption('--max-age <duration>', 'URL and command servers (no version to compare): rescan those last scanned longer ago than this, e.g. 7d'),
          )
          .addOption(new Option('--shard <I/N>', 'only the servers of shard I of N (a stable split by name)'))
          .addOption(numberOption('--timeout <ms>', 'whole scan of one server unless the catalogue says (default 60000)', 'ms'))
          .addOption(numberOption('--retries <n>', 'extra attempts after a timeout or a failed HTTP server (default 1)', 'count'))
          .addOption(new Option('--progress', 'a progress bar even when stderr is not a terminal'))
          .addOption(new Option('--no-progress', 'no progress output (default: a bar on a terminal, a line per server otherwise)'))
          .addOption(jsonOption('the summary as JSON'))
          .addOption(failOnOption())
          .addOption(
            new Option(
              '--fail-on-drift',
              'exit 1 when a tool of this run drifted (its definition changed and its risk rose, or it gained a poisoning finding)',
            ),
          )
          .addOption(dbOption()),
        'every stdio and npm: server',
      ),
      { bin: false },
    ),
  )
    .addHelpText(
      'after',
      '\nAn interrupted refresh (Ctrl-C, a kill) resumes when the same command runs again. Servers that could\n' +
        `not be scanned are listed as not covered; the refresh itself still exits 0.\n${LLM_NOTE}\n`,
    )
    .action(async (catalogue: string, flags: RefreshFlags) => {
      const { refreshCommand } = await import('./commands/refresh.js');
      finish(await refreshCommand(catalogue, flags, io));
    });

  command('diff', 'what changed between two scans of a server, drift flagged')
    .argument('<server>', 'a stored server')
    .addOption(numberOption('--from <id>', 'the older scan (default: the scan that listed tools before --to)', 'scanId'))
    .addOption(numberOption('--to <id>', 'the newer scan (default: the latest scan that listed tools)', 'scanId'))
    .addOption(jsonOption('the changes as JSON'))
    .addOption(new Option('--fail-on-drift', 'exit 1 when a tool drifted between the two scans'))
    .addOption(dbOption())
    .action(async (server: string, flags: DiffFlags) => {
      const { diffCommand } = await import('./commands/diff.js');
      finish(await diffCommand(server, flags, io));
    });

  command('history', 'every stored scan of a server, newest first, with the ids diff takes')
    .argument('<server>', 'a stored server')
    .addOption(jsonOption('the scans as JSON'))
    .addOption(dbOption())
    .action(async (server: string, flags: HistoryFlags) => {
      const { historyCommand } = await import('./commands/history.js');
      finish(await historyCommand(server, flags, io));
    });

  command('forget', 'remove a server and all its scans from the database (a typo, a probe)')
    .argument('<server>', 'the exact name of a stored server')
    .addOption(dbOption())
    .action(async (server: string, flags: ForgetFlags) => {
      const { forgetCommand } = await import('./commands/forget.js');
      finish(await forgetCommand(server, flags, io));
    });

  command('prune', 'remove old scans, keeping every scan history needs (first sightings, the latest, the latest good)')
    .argument('[server]', 'a stored server (default: every server)')
    .addOption(numberOption('--keep <n>', 'keep the newest N scans of each server', 'positive'))
    .addOption(durationOption('--older-than <duration>', 'remove only scans older than this: 12h, 30d, 2w (with --keep, a scan either keeps stays)'))
    .addOption(new Option('--dry-run', 'print what would be removed and change nothing'))
    .addOption(new Option('--vacuum', 'then rewrite the database file to hand the space back (needs free disk space the size of the database)'))
    .addOption(jsonOption('what was removed, as JSON'))
    .addOption(dbOption())
    .addHelpText(
      'after',
      '\nAlways kept: every scan that listed a definition no earlier scan of its server had, the latest scan and\n' +
        'the latest scan that listed tools of each server, and what an unfinished refresh resumes from.\n' +
        'Refuses to run while a refresh holds the database.\n',
    )
    .action(async (server: string | undefined, flags: PruneFlags) => {
      const { pruneCommand } = await import('./commands/prune.js');
      finish(await pruneCommand(server, flags, io));
    });

  command('import', 'MCP Registry listings or a directory web page into a catalogue file')
    .usage('[options] registry <url>\n       mcp-risk import [options] html <file-or-url>')
    .addArgument(new Argument('<kind>', 'where the listings come from').choices(['registry', 'html']))
    .argument('<from>', 'the registry URL, or the page (a file or an http(s) URL)')
    .addOption(new Option('--out <file>', 'write the catalogue to FILE; an existing file gets only the new servers, its comments kept'))
    .addOption(numberOption('--limit <n>', 'registry: listings per page', 'positive'))
    .addOption(numberOption('--max-pages <n>', 'registry: pages to read at most', 'positive'))
    .addOption(new Option('--selectors <name|file>', 'html: a selector config shipped under data/directories, or a file (default: generic)'))
    .addOption(numberOption('--timeout <ms>', 'per request', 'ms'))
    .action(async (kind: 'registry' | 'html', from: string, flags: ImportFlags) => {
      const { importCommand } = await import('./commands/import.js');
      finish(await importCommand(kind, from, flags, io));
    });

  command('merge', 'combine result databases (shards), history included')
    .argument('<out.db>', 'the database to merge into (created when absent)')
    .argument('<in.db...>', 'the databases to merge from')
    .addOption(jsonOption('the merge report as JSON'))
    .action(async (out: string, inputs: string[], flags: MergeFlags) => {
      const { mergeCommand } = await import('./commands/merge.js');
      finish(await mergeCommand(out, inputs, flags, io));
    });

  addLlmOptions(
    command('reclassify', "new verdicts for stored servers' definitions after the classifier changed (no server is started)")
      .argument('[server]', 'a stored server (default: every server)')
      .addOption(jsonOption('what was re-classified, as JSON'))
      .addOption(dbOption()),
  ).action(async (server: string | undefined, flags: ReclassifyFlags) => {
    const { reclassifyCommand } = await import('./commands/reclassify.js');
    finish(await reclassifyCommand(server, flags, io));
  });

  // Last, after each command's own notes.
  for (const sub of program.commands) sub.addHelpText('after', `${EXIT_CODES}\n`);
  return program;
}

/** For repeatable options: every occurrence, in order. */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** `scan ... -- <command> [args...]`: what follows `--` is the server's, so commander never sees it. */
function splitServerCommand(argv: string[]): { ours: string[]; serverCommand: string[] } {
  const dashDash = argv[0] === 'scan' ? argv.indexOf('--') : -1;
  if (dashDash === -1) return { ours: argv, serverCommand: [] };
  return { ours: argv.slice(0, dashDash), serverCommand: argv.slice(dashDash + 1) };
}

/** Commander's "error: unknown option '--jsno'\n(Did you mean --json?)" as one of our one-line errors. */
function usageError(error: CommanderError, command: string | undefined): McpRiskError {
  const [first = error.message, ...rest] = error.message.split('\n');
  const suggestion = /^\(Did you mean (.+)\?\)$/.exec(rest.join(' ').trim())?.[1];
  return new McpRiskError('USAGE', first.replace(/^error: /, ''), {
    hint: suggestion !== undefined ? `did you mean ${suggestion}?` : `run mcp-risk ${command === undefined ? '' : `${command} `}--help`,
  });
}

export function formatError(error: unknown): { text: string; internal: boolean } {
  if (error instanceof McpRiskError) {
    // An error about many problems (a catalogue file) names the count; each problem follows on its own line.
    const details = (error as { details?: unknown }).details;
    const lines = Array.isArray(details) ? details.filter((d): d is string => typeof d === 'string').map((d) => `  - ${d.replace(/[\r\n]+/g, ' ')}\n`) : [];
    return { text: `mcp-risk: ${error.message}${error.hint === undefined ? '' : ` (${error.hint})`}\n${lines.join('')}`, internal: false };
  }
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return {
    text: `mcp-risk: internal error, please report it with the command you ran:\n${stack}\n`,
    internal: true,
  };
}

/** Runs one command line. Everything it reads and writes comes through `io`; it never sets process.exitCode. */
export async function run(argv: string[], io: Io): Promise<number> {
  const { ours, serverCommand } = splitServerCommand(argv[0] === '-v' ? ['--version', ...argv.slice(1)] : argv);
  let code: number = EXIT.OK;
  let current: string | undefined;
  try {
    // Commands read this copy: the global options below may still change its colour and quietness.
    const ctx: Io = { ...io };
    const program = buildProgram(ctx, serverCommand, (c) => (code = c));
    program.hook('preAction', () => {
      const global = program.opts<{ color?: boolean; quiet?: boolean; compact?: boolean; pretty?: boolean }>();
      if (global.color !== undefined) ctx.color = global.color;
      if (global.compact === true && global.pretty === true) throw new McpRiskError('USAGE', '--compact and --pretty contradict each other');
      if (global.compact === true) ctx.compactJson = true;
      if (global.pretty === true) ctx.compactJson = false;
      if (global.quiet === true) ctx.quiet = true;
    });
    program.hook('preSubcommand', (_program, sub) => {
      current = sub.name();
    });
    if (ours.length === 0) {
      program.outputHelp();
      return EXIT.ERROR;
    }
    await program.parseAsync(ours, { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help or the version was printed (exit code 0), or help was printed as the error (`help nosuch`).
      if (error.exitCode === 0) return EXIT.OK;
      if (error.code === 'commander.help') return EXIT.ERROR;
      io.err(formatError(usageError(error, current)).text);
      return EXIT.ERROR;
    }
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
  // A reader that stops early (`| head`) closes the pipe: the rest of that stream's output is dropped
  // quietly and the command finishes as it would have (stored results included), instead of dying with a
  // stack trace halfway through a write.
  // Any other failed write (a full disk behind `> out.json`) is one line and exit 2, as OUTPUT_FAILED is.
  const closed = { stdout: false, stderr: false };
  let writeFailed = false;
  for (const name of ['stdout', 'stderr'] as const) {
    process[name].on('error', (error: NodeJS.ErrnoException) => {
      closed[name] = true;
      if (error.code === 'EPIPE') return;
      writeFailed = true;
      process.exitCode = 2;
      if (!closed.stderr) process.stderr.write(`mcp-risk: cannot write to ${name}: ${error.message}\n`);
    });
  }
  const code = await run(process.argv.slice(2), {
    out: (text) => void (closed.stdout || process.stdout.write(text)),
    err: (text) => void (closed.stderr || process.stderr.write(text)),
    color: colorFromEnv(process.env, process.stdout.isTTY === true),
    // Indented for a person at a terminal, compact for a pipe or a file (a third of pretty JSON is indentation).
    compactJson: process.stdout.isTTY !== true,
    env: process.env,
    isTTY: process.stderr.isTTY === true,
  });
  process.exitCode = writeFailed ? 2 : code;
}
