// The library's public API: the pipeline stages and the plain types they exchange.
export * from './model/index.js';
export { scanServer, loadManifest, scrubbedEnv, DEFAULT_SCAN_OPTIONS } from './ingest/index.js';
export type { ManifestContent, StdioTarget, HttpTarget, ServerTarget, ScanOptions } from './ingest/index.js';
export { classifyTool, classifySnapshot, collectEvidence, combine, loadTaxonomy, RULESET_VERSION } from './classify/index.js';
export type { ClassifyContext, Opinion, CombinedVerdict, Taxonomy } from './classify/index.js';
export { openStore, defaultDbPath } from './store/index.js';
export type { Store, StoredScan, StoredScanInfo, StoredTool, ServerSummary, ToolVersionHistory } from './store/index.js';
export {
  buildStarterPolicy,
  starterPolicyFor,
  renderPolicy,
  renderScanTable,
  renderFinding,
  safeText,
  toScanJson,
  viewFromSnapshot,
  viewFromStored,
  SCAN_JSON_SCHEMA,
} from './output/index.js';
export type { Policy, ScanJson, ScanView, ToolView } from './output/index.js';
