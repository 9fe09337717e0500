// One document for the servers of a scan or classify run, in the format asked for: JSON, Markdown or SARIF.
import type { ScanDiff } from '../history/index.js';
import type { DocumentFormat } from './formats.js';
import { scanJsonChunks, toScanJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { jsonText } from './safe-text.js';
import { renderSarif } from './sarif.js';
import type { SarifOptions } from './sarif.js';
import type { ScanView } from './view.js';

export interface ScanReport {
  view: ScanView;
  /** Against the server's previous scan that listed tools, when there is one (Markdown shows it). */
  diff?: ScanDiff;
  /** The manifest or client-config file the server was read from (SARIF points at it). */
  file?: string;
}

/**
 * JSON is `mcp-risk/scan@1` for one server and an array of them for several (a client config); Markdown
 * and SARIF are one document for all the servers.
 */
export function renderReport(format: DocumentFormat, reports: readonly ScanReport[], options: SarifOptions & { compact?: boolean }): string {
  switch (format) {
    case 'json':
      return jsonText(reports.length === 1 ? toScanJson(reports[0]!.view) : reports.map((r) => toScanJson(r.view)), options.compact === true);
    case 'markdown':
      return renderMarkdown(reports);
    case 'sarif':
      return renderSarif(reports, options, options.compact === true);
  }
}

/**
 * The same document as renderReport, in pieces to write one after the other: one server's JSON streams
 * tool by tool (see scanJsonChunks); the other documents come whole.
 */
export function reportChunks(format: DocumentFormat, reports: readonly ScanReport[], options: SarifOptions & { compact?: boolean }): Iterable<string> {
  if (format === 'json' && reports.length === 1) return scanJsonChunks(reports[0]!.view, options.compact === true);
  return [renderReport(format, reports, options)];
}
