// The shapes the store hands back: scans, stored results, server summaries and tool history.
import type { Classification, Finding, LlmRun, Risk, ScanStatus, ServerInfo, ServerSnapshot, SourceRef, ToolDefinition } from '../model/index.js';

/** One scan as stored, without its tools. */
export interface StoredScanInfo {
  id: number;
  serverName: string;
  /** The source as given for this scan. */
  source: SourceRef;
  status: ScanStatus;
  error?: string;
  stderrTail?: string;
  startedAt: string;
  durationMs: number;
  serverInfo?: ServerInfo;
  protocolVersion?: string;
  instructions?: string;
  promptCount?: number;
  resourceCount?: number;
  /** stdio: how the server was contained; absent for HTTP, manifests and scans stored before 0.3. */
  isolation?: NonNullable<ServerSnapshot['isolation']>;
  toolCount: number;
  /** How the LLM part went; absent for scans stored before the LLM existed. */
  llm?: LlmRun;
}

export interface StoredTool {
  definition: ToolDefinition;
  hash: string;
  /** When any scan, of any server, first saw this exact definition. */
  firstSeenAt: string;
  /** The verdict this scan recorded; absent means not classified, which is shown as Unknown. */
  classification?: Classification;
}

/** A scan read back whole: tools in listing order, and scan-level (ingest) findings. */
export interface StoredScan {
  scan: StoredScanInfo;
  tools: StoredTool[];
  /** Findings the listing produced. Findings a verdict carried are in `tools[].classification.findings`. */
  findings: Finding[];
}

export interface ServerSummary {
  name: string;
  /** The source of the most recent scan. */
  source: SourceRef;
  firstSeenAt: string;
  lastScanId: number;
  lastScanAt: string;
  lastStatus: ScanStatus;
  /** The last scan that listed successfully (status ok or no-tools); tool count and risk come from it. */
  lastOkScanId?: number;
  lastOkScanAt?: string;
  /** 0 when no scan ever listed successfully. */
  toolCount: number;
  /** Highest risk in the last successful scan; null when it had no tools or there was none. */
  highestRisk: Risk | null;
}

/** One version of a tool on one server: since when, and which scans saw it. */
export interface ToolVersionHistory {
  hash: string;
  name: string;
  definition: ToolDefinition;
  /** First scan of this server that saw this version. */
  firstSeenAt: string;
  lastSeenAt: string;
  scans: Array<{ id: number; startedAt: string }>;
  /** The verdict from the most recent scan that saw this version, if any. */
  classification?: Classification;
}

export interface LatestScanOptions {
  /** Only a scan that listed successfully: status `ok` or `no-tools`. */
  okOnly?: boolean;
}
