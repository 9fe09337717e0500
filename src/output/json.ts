// Renders a scan as JSON with a stable, documented shape for scripts and the catalogue.
//
// Shape `mcp-risk/scan@1` (JSON Schema: schemas/scan.schema.json). Keys always appear in this order; a key
// marked `?` is left out when empty. Tools are sorted by name (then hash). No timestamp other than
// `scan.startedAt`, no absolute paths beyond what the user gave as the source.
//
// {
//   "schema": "mcp-risk/scan@1",
//   "server": {
//     "name": string,                       // --name, else serverInfo.name, else from the source
//     "source": { "kind": "stdio" | "http" | "manifest" | "npm", "target": string },   // npm: "npm:name@exact-version"
//     "serverInfo": { "name": string, "version"?: string, "title"?: string } | null,
//     "protocolVersion": string | null,
//     "promptCount": number | null,         // null: the server offers no prompts
//     "resourceCount": number | null
//   },
//   "scan": {
//     "id"?: number,                        // present when read from the database
//     "status": "ok" | "auth-required" | "failed" | "timeout" | "no-tools",
//     "error"?: string,                     // one line, when status is not ok
//     "startedAt": string,                  // ISO 8601
//     "durationMs": number,
//     "isolation"?: "sandbox" | "sandbox+network" | "pid-namespace" | "process-group",   // stdio: how the server ran
//     "llm"?: {                             // how the LLM second opinion went, when the scan knows
//       "status": "off" | "ok" | "partial" | "failed",
//       "model"?, "prompt"?: string,        // e.g. "gpt-4o-mini", "classify-tools@1"
//       "requests", "attempts", "cachedTools", "askedTools", "unknownTools",
//       "promptTokens", "completionTokens": number,
//       "reason"?: string                   // why it is off, or why tools got no LLM verdict
//     }
//   },
//   "summary": {
//     "tools": number,
//     "byCategory": { "Read", "Write", "Execute", "Destructive", "Financial", "Unknown": number },
//     "byRisk": { "Critical", "High", "Medium", "Low", "Unknown": number },
//     "highestRisk": "Critical" | "High" | "Medium" | "Low" | "Unknown" | null,
//                                           // Unknown outranks Low; null when there are no tools
//     "findings": number,                   // scan findings + all tool findings
//     "needsReview"?: number                // tools whose rules and LLM verdicts disagreed
//   },
//   "tools": [{
//     "name": string,
//     "title"?: string,                     // title, else annotations.title
//     "hash": string,                       // SHA-256 of the canonical definition
//     "category": "Read" | "Write" | "Execute" | "Destructive" | "Financial" | "Unknown",
//     "risk": "Low" | "Medium" | "High" | "Critical" | "Unknown",   // follows the category
//     "score": 1..5 | null,                 // the finer ranking within the level; null when Unknown or stored before scores
//     "capabilities": string[],
//     "signals": string[],
//     "evidence": [{ "rule", "path", "match", "category"?, "capability"?, "modifier"?: {"id","delta"}, "hard"? }],
//     "rationale": string,
//     "confidence": number,                 // 0..1; 0 when not classified
//     "method": "rules" | "llm" | "rules+llm" | null,       // null: not classified
//     "provenance": { "rules", "taxonomy", "prompt"?, "model"? } | null,
//     "findings": Finding[],                // this tool's findings
//     "annotations": { ... } | null,        // as the server declared them: hints, not truth
//     "needsReview"?: true,                 // the rules and the LLM disagreed (finding llm.disagreement)
//     "llm"?: {                             // the LLM's own verdict, when it was asked
//       "status": "ok" | "unknown", "model", "prompt", "category", "risk", "capabilities", "signals",
//       "rationale", "confidence", "manipulation"?: { "kind", "quote" },  // what its text tries to make the agent do
//       "reason"?                           // reason: why status is unknown
//     }
//   }],
//   "findings": Finding[]                   // scan-level (ingest) findings, in the order found
// }
//
// Finding = { "code": string, "severity": "info" | "warning" | "error", "tool"?: string, "path"?: string,
//             "args": { ...sorted keys } }
//
// A tool nobody classified appears with category and risk "Unknown", method and provenance null, and
// the rationale "Not classified." It is never reported as Low.
import { jsonText, jsonValueText } from './safe-text.js';
import type { Category, Evidence, Finding, LlmOpinion, LlmRun, Method, Provenance, Risk, ScanStatus, SourceKind, ToolAnnotations } from '../model/index.js';
import type { StoredScan } from '../store/index.js';
import { JSON_SCHEMA_TAGS } from './json-schemas.js';
import { byNameThenHash, summarise } from './summary.js';
import type { ScanSummary } from './summary.js';
import { needsReview, toView } from './view.js';
import type { ScanView, ToolView } from './view.js';

export const SCAN_JSON_SCHEMA = JSON_SCHEMA_TAGS.scan;

export interface ScanJsonTool {
  name: string;
  title?: string;
  hash: string;
  category: Category;
  risk: Risk;
  score: number | null;
  capabilities: string[];
  signals: string[];
  evidence: Evidence[];
  rationale: string;
  confidence: number;
  method: Method | null;
  provenance: Provenance | null;
  findings: Finding[];
  annotations: ToolAnnotations | null;
  needsReview?: true;
  llm?: LlmOpinion;
}

export interface ScanJson {
  schema: typeof SCAN_JSON_SCHEMA;
  server: {
    name: string;
    source: { kind: SourceKind; target: string };
    serverInfo: { name: string; version?: string; title?: string } | null;
    protocolVersion: string | null;
    promptCount: number | null;
    resourceCount: number | null;
  };
  scan: { id?: number; status: ScanStatus; error?: string; startedAt: string; durationMs: number; isolation?: ScanView['scan']['isolation']; llm?: LlmRun };
  summary: {
    tools: number;
    byCategory: Record<Category, number>;
    byRisk: Record<Risk, number>;
    highestRisk: Risk | null;
    findings: number;
    needsReview?: number;
  };
  tools: ScanJsonTool[];
  findings: Finding[];
}

export function toScanJson(result: ScanView | StoredScan): ScanJson {
  const view = toView(result);
  return { ...scanJsonWithout(view), tools: [...view.tools].sort(byNameThenHash).map(toolJson), findings: view.findings.map(findingJson) };
}

/** Everything of the document but its tools and findings, in the documented key order. */
function scanJsonWithout(view: ScanView, summary: ScanSummary = summarise(view)): Omit<ScanJson, 'tools' | 'findings'> {
  const info = view.server.serverInfo;
  // Built key by key to keep the documented order with optional keys in the middle.
  const scan = {} as ScanJson['scan'];
  if (view.scan.id !== undefined) scan.id = view.scan.id;
  scan.status = view.scan.status;
  if (view.scan.error !== undefined) scan.error = view.scan.error;
  scan.startedAt = view.scan.startedAt;
  scan.durationMs = view.scan.durationMs;
  if (view.scan.isolation !== undefined) scan.isolation = view.scan.isolation;
  if (view.scan.llm !== undefined) scan.llm = llmRunJson(view.scan.llm);

  return {
    schema: SCAN_JSON_SCHEMA,
    server: {
      name: view.server.name,
      source: { kind: view.server.source.kind, target: view.server.source.target },
      serverInfo: info
        ? {
            name: info.name,
            ...(info.version !== undefined ? { version: info.version } : {}),
            ...(info.title !== undefined ? { title: info.title } : {}),
          }
        : null,
      protocolVersion: view.server.protocolVersion ?? null,
      promptCount: view.server.promptCount ?? null,
      resourceCount: view.server.resourceCount ?? null,
    },
    scan,
    summary: {
      tools: summary.tools,
      byCategory: summary.byCategory,
      byRisk: summary.byRisk,
      highestRisk: summary.highestRisk,
      findings: summary.findings,
      ...(summary.needsReview > 0 ? { needsReview: summary.needsReview } : {}),
    },
  };
}

// Stand in for the tool and finding lists while the rest of the document is stringified: strings no
// JSON value of ours can hold (a NUL is always escaped), so splitting at them is exact.
const TOOLS_SLOT = '\u0000tools\u0000';
const FINDINGS_SLOT = '\u0000findings\u0000';

/**
 * The text of `jsonText(toScanJson(result), compact)`, byte for byte, as pieces: the document around
 * the tool list, then one tool at a time. Nothing holds the whole text or every tool's JSON at once, so
 * a manifest of hundreds of thousands of tools is written without one giant string.
 */
export function scanJsonChunks(result: ScanView | StoredScan, compact = false): Generator<string> {
  const view = toView(result);
  const tools = [...view.tools].sort(byNameThenHash);
  // Rendered as written, one at a time: a list of every tool's text would be the giant string in parts.
  const items = function* <T>(list: readonly T[], render: (item: T, compact: boolean) => string): Generator<string> {
    for (const item of list) yield render(item, compact);
  };
  return scanJsonAround(view, summarise(view), items(tools, toolItem), items(view.findings, findingItem), compact);
}

/**
 * The same document with its tools and findings given as items already rendered (toolItem, findingItem,
 * in document order) and its summary counted elsewhere: a streamed classify keeps neither list in memory.
 * `view`'s own tools and findings are not read.
 */
export function* scanJsonAround(
  view: ScanView,
  summary: ScanSummary,
  tools: Iterable<string>,
  findings: Iterable<string>,
  compact: boolean,
): Generator<string> {
  const text = jsonText({ ...scanJsonWithout(view, summary), tools: TOOLS_SLOT, findings: FINDINGS_SLOT }, compact);
  const toolsAt = text.indexOf(JSON.stringify(TOOLS_SLOT));
  const findingsAt = text.indexOf(JSON.stringify(FINDINGS_SLOT));
  yield text.slice(0, toolsAt);
  yield* listItems(tools, compact);
  yield text.slice(toolsAt + JSON.stringify(TOOLS_SLOT).length, findingsAt);
  yield* listItems(findings, compact);
  yield text.slice(findingsAt + JSON.stringify(FINDINGS_SLOT).length);
}

/** A list at depth 1 of the document, item by item: pretty, its items are indented by four spaces and it closes at two. */
function* listItems(items: Iterable<string>, compact: boolean): Generator<string> {
  let first = true;
  for (const item of items) {
    yield compact ? `${first ? '[' : ','}${item}` : `${first ? '[' : ','}\n    ${item.replaceAll('\n', '\n    ')}`;
    first = false;
  }
  yield first ? '[]' : compact ? ']' : '\n  ]';
}

/** One tool as an item of scanJsonAround's list. */
export function toolItem(t: ToolView, compact: boolean): string {
  return jsonValueText(toolJson(t), compact);
}

/** One scan-level finding as an item of scanJsonAround's list. */
export function findingItem(f: Finding, compact: boolean): string {
  return jsonValueText(findingJson(f), compact);
}

/** Pretty JSON with a trailing newline, ready to write to a file or stdout. */
export function renderScanJson(result: ScanView | StoredScan): string {
  return `${JSON.stringify(toScanJson(result), null, 2)}\n`;
}

/** Code-unit order, not locale order, so the output is the same on every machine. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function toolJson(t: ToolView): ScanJsonTool {
  const c = t.classification;
  const title = t.definition.title ?? t.definition.annotations?.title;
  // Key by key in the documented order rather than with spreads: each spread of an optional key is a
  // throwaway object, and this runs for every tool of the document.
  const out = { name: t.definition.name } as ScanJsonTool;
  if (typeof title === 'string') out.title = title;
  out.hash = t.hash;
  out.category = c?.category ?? 'Unknown';
  out.risk = c?.risk ?? 'Unknown';
  out.score = c?.score ?? null;
  out.capabilities = c ? [...c.capabilities] : [];
  out.signals = c ? [...c.signals] : [];
  out.evidence = c ? c.evidence.map(evidenceJson) : [];
  out.rationale = c?.rationale ?? 'Not classified.';
  out.confidence = c?.confidence ?? 0;
  out.method = c?.method ?? null;
  out.provenance = c ? provenanceJson(c.provenance) : null;
  out.findings = c ? c.findings.map(findingJson) : [];
  out.annotations = t.definition.annotations ? sortKeys(t.definition.annotations) : null;
  if (needsReview(t)) out.needsReview = true;
  if (c?.llm) out.llm = llmOpinionJson(c.llm);
  return out;
}

function llmRunJson(r: LlmRun): LlmRun {
  const out = { status: r.status } as LlmRun;
  if (r.model !== undefined) out.model = r.model;
  if (r.prompt !== undefined) out.prompt = r.prompt;
  Object.assign(out, {
    requests: r.requests,
    attempts: r.attempts,
    cachedTools: r.cachedTools,
    askedTools: r.askedTools,
    unknownTools: r.unknownTools,
    promptTokens: r.promptTokens,
    completionTokens: r.completionTokens,
  });
  if (r.reason !== undefined) out.reason = r.reason;
  return out;
}

function llmOpinionJson(o: LlmOpinion): LlmOpinion {
  const out: LlmOpinion = {
    status: o.status,
    model: o.model,
    prompt: o.prompt,
    category: o.category,
    risk: o.risk,
    capabilities: [...o.capabilities],
    signals: [...o.signals],
    rationale: o.rationale,
    confidence: o.confidence,
  };
  if (o.manipulation !== undefined) out.manipulation = { kind: o.manipulation.kind, quote: o.manipulation.quote };
  if (o.reason !== undefined) out.reason = o.reason;
  return out;
}

function evidenceJson(e: Evidence): Evidence {
  const out: Evidence = { rule: e.rule, path: e.path, match: e.match };
  if (e.category !== undefined) out.category = e.category;
  if (e.capability !== undefined) out.capability = e.capability;
  if (e.modifier !== undefined) out.modifier = { id: e.modifier.id, delta: e.modifier.delta };
  if (e.hard !== undefined) out.hard = e.hard;
  return out;
}

function provenanceJson(p: Provenance): Provenance {
  const out: Provenance = { rules: p.rules, taxonomy: p.taxonomy };
  if (p.prompt !== undefined) out.prompt = p.prompt;
  if (p.model !== undefined) out.model = p.model;
  return out;
}

function findingJson(f: Finding): Finding {
  // Built key by key so `tool` and `path` sit before `args`, whatever order the producer used.
  const out = { code: f.code, severity: f.severity } as Finding;
  if (f.tool !== undefined) out.tool = f.tool;
  if (f.path !== undefined) out.path = f.path;
  out.args = sortKeys(f.args ?? {});
  return out;
}

function sortKeys<T extends object>(o: T): T {
  const keys = Object.keys(o);
  // Most objects (annotations, finding args) come in order already: then no sort.
  let ordered = true;
  for (let i = 1; i < keys.length && ordered; i++) ordered = compare(keys[i - 1] as string, keys[i] as string) < 0;
  if (!ordered) keys.sort(compare);
  // A server's own `__proto__` key must stay a key: assigned, it would set the copy's prototype instead.
  if (keys.includes('__proto__')) return Object.fromEntries(keys.map((k) => [k, (o as Record<string, unknown>)[k]])) as T;
  const out: Record<string, unknown> = {};
  for (const key of keys) out[key] = (o as Record<string, unknown>)[key];
  return out as T;
}
