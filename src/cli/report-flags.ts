// --format and --output for the commands that report a scan (scan, classify): which renderer, and where its text goes.
import { Option } from 'commander';
import { McpRiskError } from '../model/errors.js';
import { REPORT_FORMATS } from '../output/formats.js';
import type { ReportFormat } from '../output/formats.js';
import { AtomicFile } from './files.js';
import { note } from './io.js';
import type { Io } from './io.js';

export interface ReportFlagValues {
  /** --json, kept as the short way to say --format json. */
  json?: boolean;
  format?: ReportFormat;
  output?: string;
}

export function parseReportFormat(value: string): ReportFormat {
  const format = REPORT_FORMATS.find((f) => f === value.toLowerCase());
  if (format === undefined) throw new McpRiskError('USAGE', `--format takes one of ${REPORT_FORMATS.join(', ')}, got '${value}'`);
  return format;
}

/** --format; `json` names the JSON shape for the help text. */
export function formatOption(json: string): Option {
  return new Option(
    '--format <format>',
    `table (default), json (shape: ${json}), markdown (for a pull-request comment) or sarif (SARIF 2.1.0, for code scanning)`,
  ).argParser(parseReportFormat);
}

export function jsonFormatOption(): Option {
  return new Option('--json', 'the same as --format json');
}

export function outputOption(): Option {
  return new Option('--output <file>', 'write the report to FILE (whole or not at all) instead of stdout');
}

/** The format asked for; `--json` with another `--format` is a contradiction, not a choice to guess. */
export function reportFormat(values: ReportFlagValues): ReportFormat {
  if (values.json === true && values.format !== undefined && values.format !== 'json') {
    throw new McpRiskError('USAGE', `--json and --format ${values.format} contradict each other`, { hint: 'give one of them' });
  }
  return values.json === true ? 'json' : (values.format ?? 'table');
}

/** Where a report's text goes: stdout as it comes, or one file written whole when the command is done. */
export interface ReportOutput {
  format: ReportFormat;
  /** ANSI colours only on a terminal, never in a file. */
  color: boolean;
  print(text: string): void;
  /** Pieces of one document, written as they come (a file goes to its temporary name until finish). */
  printAll(chunks: Iterable<string>): void;
  /** Writes the file (atomically) and says so on stderr; a no-op for stdout. */
  finish(): void;
}

export function reportOutput(values: ReportFlagValues, io: Io): ReportOutput {
  const format = reportFormat(values);
  const file = values.output;
  // --quiet keeps what was asked for by name (JSON, Markdown, SARIF, a file) and drops the table.
  if (file === undefined) {
    const print = io.quiet === true && format === 'table' ? () => undefined : io.out;
    return {
      format,
      color: io.color,
      print,
      printAll: (chunks) => {
        for (const chunk of batched(chunks)) print(chunk);
      },
      finish: () => undefined,
    };
  }
  if (file === '') throw new McpRiskError('USAGE', '--output needs a file name');
  const out = new AtomicFile(file);
  return {
    format,
    color: false,
    print: (text) => out.write(text),
    printAll: (chunks) => {
      for (const chunk of batched(chunks)) out.write(chunk);
    },
    finish: () => {
      out.commit();
      note(io, `mcp-risk: wrote the ${format} report to ${file}\n`);
    },
  };
}

/** Chunks are joined up to this many characters before a write: one write per tool costs a system call each. */
const BATCH_CHARS = 1 << 16;

/** The same text as `chunks`, in pieces of about BATCH_CHARS (a larger chunk passes whole). */
export function* batched(chunks: Iterable<string>): Generator<string> {
  let pending = '';
  for (const chunk of chunks) {
    pending += chunk;
    if (pending.length >= BATCH_CHARS) {
      yield pending;
      pending = '';
    }
  }
  if (pending !== '') yield pending;
}
