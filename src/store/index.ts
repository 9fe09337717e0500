// Public API of the store: one SQLite file holding servers, scans, tool versions, verdicts and findings.
export { openStore, defaultDbPath, classifierVersion, classifierVersionOf } from './store.js';
export type { Store, LlmCacheKey, RecordScanOptions, RefreshStart, RefreshHandle, PruneOptions, PruneReport, PrunedServer } from './store.js';
export { migrations } from './migrations.js';
export type { ManifestHashes, ManifestStamp } from './manifest-stamps.js';
export type { Migration } from './migrations.js';
export { mergeStores, type MergeReport } from './merge.js';
// Kept for callers that found it here first; it lives with the other orderings in the model.
export { highestRisk } from '../model/index.js';
export type { StoredScan, StoredScanInfo, StoredTool, ServerSummary, ToolVersionHistory, LatestScanOptions } from './types.js';
