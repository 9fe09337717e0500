// Plain types for what a server tells us: its identity, its tools, and how the listing went.
import type { Finding } from './finding.js';

/** MCP tool annotations as the server declared them. Hints, not truth. */
export interface ToolAnnotations {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
  [key: string]: unknown;
}

export type JsonObject = { [key: string]: unknown };

/** One tool exactly as listed by the server, after lenient validation. */
export interface ToolDefinition {
  name: string;
  title?: string;
  description?: string;
  inputSchema: JsonObject;
  outputSchema?: JsonObject;
  annotations?: ToolAnnotations;
}

/** A tool definition pinned by the SHA-256 of its canonical form (see model/tool-hash.ts). */
export interface ToolRecord {
  definition: ToolDefinition;
  hash: string;
}

export type ScanStatus = 'ok' | 'auth-required' | 'failed' | 'timeout' | 'no-tools';

/** `npm`: a package installed into the cache and run over stdio; the target is `npm:name@exact-version`. */
export type SourceKind = 'stdio' | 'http' | 'manifest' | 'npm';

/** Where a snapshot came from, in a form that can be shown and stored (never holds env values). */
export interface SourceRef {
  kind: SourceKind;
  /** Command line, URL, or manifest path as the user gave it. */
  target: string;
}

export interface ServerInfo {
  name: string;
  version?: string;
  title?: string;
}

/** Everything one listing of one server produced. Server-level failures are a status, not an exception. */
export interface ServerSnapshot {
  /** Display and lookup name: --name, else serverInfo.name, else derived from the source. */
  name: string;
  source: SourceRef;
  status: ScanStatus;
  /** One line saying why status is not ok. */
  error?: string;
  /** Last lines the server wrote to stderr, bounded; kept for failed scans. */
  stderrTail?: string;
  serverInfo?: ServerInfo;
  protocolVersion?: string;
  instructions?: string;
  /** Counts when the server offers prompts/resources; undefined when it does not. */
  promptCount?: number;
  resourceCount?: number;
  /** Names and descriptions the server gave its prompts and resources, bounded; read for poisoning, not stored. */
  prompts?: Array<{ name: string; description?: string }>;
  resources?: Array<{ name: string; description?: string; uri?: string }>;
  /** stdio: how the server was contained: sandbox, sandbox+network, pid-namespace or process-group. */
  isolation?: 'sandbox' | 'sandbox+network' | 'pid-namespace' | 'process-group';
  tools: ToolRecord[];
  /** Ingest findings: malformed tools, cursor loops, junk on stdout, truncations. */
  findings: Finding[];
  startedAt: string;
  durationMs: number;
}
