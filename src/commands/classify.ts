// `mcp-risk classify FILE`: the rules alone on a captured tool list; no database, no server, no LLM.
import { open, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { classifySnapshot } from '../classify/index.js';
import { serverOwnFindings, toxicFlowFindings } from '../poisoning/index.js';
import { loadManifest } from '../ingest/manifest.js';
import { McpRiskError } from '../model/errors.js';
import type { KnownRisk } from '../model/index.js';
import { reportChunks } from '../output/report.js';
import { renderScanTable } from '../output/table.js';
import { viewFromSnapshot } from '../output/view.js';
import { failOnGate } from '../cli/fail-on.js';
import type { Io } from '../cli/io.js';
import { reportOutput } from '../cli/report-flags.js';
import type { ReportFlagValues } from '../cli/report-flags.js';
import { packageVersion } from '../cli/version.js';

export interface ClassifyFlags extends ReportFlagValues {
  failOn?: KnownRisk;
  failOnScore?: number;
  /** Read the tool list tool by tool (JSON only); a JSON file past STREAM_ABOVE_BYTES is always read so. */
  stream?: boolean;
}

/**
 * A JSON manifest bigger than this is classified as a stream: read whole, its tools, their verdicts and
 * the document would take about 8 times its size in memory (a 38 MB file of 50,000 tools peaks near
 * 320 MB), so past 48 MiB the peak would pass 500 MB. Streamed, memory holds only the tools' names.
 */
export const STREAM_ABOVE_BYTES = 48 * 2 ** 20;

export async function classifyCommand(file: string, flags: ClassifyFlags, io: Io): Promise<number> {
  const report = reportOutput(flags, io);
  if (await classifiesStreamed(file, flags)) {
    if (report.format !== 'json') {
      const why = flags.stream === true ? '--stream' : `a manifest past ${STREAM_ABOVE_BYTES / 2 ** 20} MiB is read tool by tool and`;
      throw new McpRiskError('USAGE', `${why} writes JSON only, not ${report.format}`, { hint: 'add --json (or --format json)' });
    }
    const { classifyStreamed } = await import('./classify-stream.js');
    return classifyStreamed(file, flags, report, io);
  }
  const manifest = await loadManifest(file);
  if (manifest.kind !== 'snapshot') throw clientConfigGiven(file);
  const classifications = classifySnapshot(manifest.snapshot);
  manifest.snapshot.findings.push(...serverOwnFindings(manifest.snapshot), ...toxicFlowFindings(classifications));
  const view = viewFromSnapshot(manifest.snapshot, classifications);
  if (report.format === 'table') report.print(renderScanTable(view, { color: report.color }) + '\n');
  // One server's JSON goes out tool by tool: a manifest of 300,000 tools never makes one giant string.
  else report.printAll(reportChunks(report.format, [{ view, file }], { version: packageVersion(), cwd: process.cwd(), compact: io.compactJson === true }));
  report.finish();
  return failOnGate([view], flags, io.err);
}

/** classify reads tool lists; a client config names servers, which scan reads. */
export function clientConfigGiven(file: string): McpRiskError {
  return new McpRiskError('NOT_A_TOOL_LIST', `${file} is an MCP client config, not a tool list`, { hint: `scan it instead: mcp-risk scan ${file}` });
}

/**
 * Whether to stream: asked for (JSON only), or a JSON file too big to hold comfortably. A file without
 * an extension may be YAML (the whole read tries JSON, then YAML), so it is streamed only when its first
 * character opens a JSON object or array.
 */
export async function classifiesStreamed(file: string, flags: ClassifyFlags, above = STREAM_ABOVE_BYTES): Promise<boolean> {
  const extension = extname(file).toLowerCase();
  const json = extension === '.json' || extension === '';
  if (flags.stream === true) {
    if (!json) throw new McpRiskError('USAGE', `--stream reads JSON only, not ${extension.slice(1).toUpperCase()}`, { hint: 'drop --stream' });
    return true;
  }
  if (!json) return false;
  const size = await stat(file).then(
    (s) => (s.isFile() ? s.size : 0),
    () => 0,
  );
  if (size <= above) return false;
  return extension === '.json' || (await opensJson(file));
}

/** Whether the file's first character past a BOM and whitespace (in its first 4 KiB) is `{` or `[`. */
async function opensJson(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
    const first = /^\uFEFF?[ \t\r\n]*([\s\S])/.exec(buffer.toString('utf8', 0, bytesRead))?.[1];
    return first === '{' || first === '[';
  } finally {
    await handle.close();
  }
}
