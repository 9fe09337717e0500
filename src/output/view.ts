// One shape for a scan result, whether it was just made or read back from the store.
import type { Classification, Finding, LlmRun, ScanStatus, ServerInfo, ServerSnapshot, SourceRef, ToolDefinition } from '../model/index.js';
import type { StoredScan } from '../store/index.js';

type Isolation = NonNullable<ServerSnapshot['isolation']>;

export interface ToolView {
  definition: ToolDefinition;
  hash: string;
  /** Absent when nothing classified this tool; every renderer shows that as Unknown. */
  classification?: Classification;
}

export interface ScanView {
  server: {
    name: string;
    source: SourceRef;
    serverInfo?: ServerInfo;
    protocolVersion?: string;
    promptCount?: number;
    resourceCount?: number;
  };
  scan: {
    /** Set when the scan is stored. */
    id?: number;
    status: ScanStatus;
    error?: string;
    startedAt: string;
    durationMs: number;
    /** stdio: how the server was contained (sandbox, sandbox+network, pid-namespace, process-group). */
    isolation?: Isolation;
    /** How the LLM second opinion went; absent when not known (an old stored scan, an offline classify). */
    llm?: LlmRun;
  };
  /** In listing order. */
  tools: ToolView[];
  /** Scan-level findings (ingest). Tool-level ones are in `tools[].classification.findings`. */
  findings: Finding[];
}

/** A fresh scan: verdicts are matched to tools by definition hash. Pass `scanId` once it is stored. */
export function viewFromSnapshot(snapshot: ServerSnapshot, classifications: readonly Classification[], scanId?: number, llm?: LlmRun): ScanView {
  const byHash = new Map(classifications.map((c) => [c.hash, c] as const));
  return {
    server: serverPart(snapshot.name, snapshot.source, snapshot),
    scan: scanPart(scanId, llm === undefined ? snapshot : { ...snapshot, llm }),
    tools: snapshot.tools.map((t) => withClassification({ definition: t.definition, hash: t.hash }, byHash.get(t.hash))),
    findings: [...snapshot.findings],
  };
}

export function viewFromStored(stored: StoredScan): ScanView {
  const s = stored.scan;
  return {
    server: serverPart(s.serverName, s.source, s),
    scan: scanPart(s.id, s),
    tools: stored.tools.map((t) => withClassification({ definition: t.definition, hash: t.hash }, t.classification)),
    findings: [...stored.findings],
  };
}

/** Accepts either shape, so renderers can take a stored scan directly. */
export function toView(result: ScanView | StoredScan): ScanView {
  return 'server' in result ? result : viewFromStored(result);
}

function withClassification(tool: ToolView, c: Classification | undefined): ToolView {
  if (c) tool.classification = c;
  return tool;
}

function serverPart(
  name: string,
  source: SourceRef,
  s: { serverInfo?: ServerInfo; protocolVersion?: string; promptCount?: number; resourceCount?: number },
): ScanView['server'] {
  const server: ScanView['server'] = { name, source: { kind: source.kind, target: source.target } };
  if (s.serverInfo) server.serverInfo = { ...s.serverInfo };
  if (s.protocolVersion !== undefined) server.protocolVersion = s.protocolVersion;
  if (s.promptCount !== undefined) server.promptCount = s.promptCount;
  if (s.resourceCount !== undefined) server.resourceCount = s.resourceCount;
  return server;
}

function scanPart(
  id: number | undefined,
  s: { status: ScanStatus; error?: string; startedAt: string; durationMs: number; isolation?: Isolation; llm?: LlmRun },
): ScanView['scan'] {
  const scan: ScanView['scan'] = { status: s.status, startedAt: s.startedAt, durationMs: s.durationMs };
  if (id !== undefined) scan.id = id;
  if (s.error !== undefined) scan.error = s.error;
  if (s.isolation !== undefined) scan.isolation = s.isolation;
  if (s.llm !== undefined) scan.llm = { ...s.llm };
  return scan;
}

/** A verdict a person should look at: the rules and the LLM disagreed about it. */
export function needsReview(tool: ToolView): boolean {
  return tool.classification?.findings.some((f) => f.code === 'llm.disagreement') === true;
}
