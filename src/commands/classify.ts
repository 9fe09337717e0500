// `mcp-risk classify FILE`: the rules alone on a captured tool list; no database, no server, no LLM.
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
}

export async function classifyCommand(file: string, flags: ClassifyFlags, io: Io): Promise<number> {
  const report = reportOutput(flags, io);
  const manifest = await loadManifest(file);
  if (manifest.kind !== 'snapshot') {
    throw new McpRiskError('NOT_A_TOOL_LIST', `${file} is an MCP client config, not a tool list`, {
      hint: `scan it instead: mcp-risk scan ${file}`,
    });
  }
  const classifications = classifySnapshot(manifest.snapshot);
  manifest.snapshot.findings.push(...serverOwnFindings(manifest.snapshot), ...toxicFlowFindings(classifications));
  const view = viewFromSnapshot(manifest.snapshot, classifications);
  if (report.format === 'table') report.print(renderScanTable(view, { color: report.color }) + '\n');
  // One server's JSON goes out tool by tool: a manifest of 300,000 tools never makes one giant string.
  else report.printAll(reportChunks(report.format, [{ view, file }], { version: packageVersion(), cwd: process.cwd(), compact: io.compactJson === true }));
  report.finish();
  return failOnGate([view], flags, io.err);
}
