// The library's public API: the pipeline stages and the plain types they exchange.
export * from './model/index.js';
export { scanServer, loadManifest, scrubbedEnv, DEFAULT_SCAN_OPTIONS, readClientConfig, discoverServers, configPlaces } from './ingest/index.js';
export type { ManifestContent, StdioTarget, HttpTarget, ServerTarget, ScanOptions, Discovery, DiscoveryPlaces, ClientConfig } from './ingest/index.js';
export { classifyTool, classifySnapshot, collectEvidence, combine, loadTaxonomy, rulesetVersion } from './classify/index.js';
export type { ClassifyContext, Opinion, CombinedVerdict, Taxonomy } from './classify/index.js';
export { openStore, defaultDbPath, mergeStores } from './store/index.js';
export type { Store, StoredScan, StoredScanInfo, StoredTool, ServerSummary, ToolVersionHistory, MergeReport } from './store/index.js';
export {
  buildStarterPolicy,
  starterPolicyFor,
  renderPolicy,
  policyDecisions,
  renderPolicyAs,
  POLICY_FORMATS,
  renderScanTable,
  renderFinding,
  safeText,
  toScanJson,
  viewFromSnapshot,
  viewFromStored,
  SCAN_JSON_SCHEMA,
  JSON_SCHEMA_TAGS,
  renderMarkdown,
  renderSarif,
  toSarif,
  renderReport,
  REPORT_FORMATS,
} from './output/index.js';
export type { Policy, PolicyDecisions, PolicyFormat, ScanJson, ScanView, ToolView, ScanReport, ReportFormat, SarifOptions } from './output/index.js';
export { resolveLlmChoice, LlmEndpoint, loadPrompt, secondOpinion } from './llm/index.js';
export type { LlmChoice, LlmSettings, EndpointOptions, PromptTemplate } from './llm/index.js';
export { analyse, analyseAndStore, llmContext } from './pipeline/analyse.js';
export type { Analysis, LlmContext } from './pipeline/analyse.js';
export { scanNpmPackage } from './pipeline/npm-source.js';
export { parseNpmSpec, installNpmPackage, resolveNpmVersion } from './packages/index.js';
export type { NpmSpec, InstallOptions, InstalledPackage } from './packages/index.js';
export { loadCatalogue, renderCatalogue, importRegistry, importHtml, loadDirectoryConfig } from './catalogue/index.js';
export type { Catalogue, CatalogueEntry, CatalogueSource } from './catalogue/index.js';
export { runRefresh } from './refresh/refresh.js';
export type { RefreshOptions, RefreshSummary, RefreshEvent, ServerOutcome } from './refresh/refresh.js';
export { parseShard, inShard } from './refresh/shard.js';
export { diffScans, describeChange } from './history/index.js';
export type { ScanDiff, ToolDiff, ToolChange } from './history/index.js';
export { renderDiff, toDiffJson, renderRefreshSummary } from './output/index.js';
export { buildSite } from './site/build.js';
export type { SiteOptions, SiteResult } from './site/build.js';
export { poisoningFindings, toolPoisoningFindings, crossServerFindings, isPoisoning } from './poisoning/index.js';
