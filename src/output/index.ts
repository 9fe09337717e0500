// Public API of the output stage: terminal-safe text, tables, JSON, policies and finding messages.
export { safeText, oneLine, truncate, hasHiddenCharacters, escapeHiddenInJson, jsonText, markdownText, markdownCode, DEFAULT_MAX_LEN } from './safe-text.js';
export type { SafeTextOptions, OneLineOptions, MarkdownTextOptions } from './safe-text.js';
export { plural } from './plural.js';
export { renderScanTable, llmLine } from './table.js';
export type { TableOptions } from './table.js';
export { renderServerList } from './servers.js';
export type { ServerListOptions } from './servers.js';
export { renderToolDetail } from './tool-detail.js';
export type { ToolDetailOptions } from './tool-detail.js';
export { toScanJson, renderScanJson, SCAN_JSON_SCHEMA } from './json.js';
export type { ScanJson, ScanJsonTool } from './json.js';
export {
  buildStarterPolicy,
  starterPolicyFor,
  renderPolicy,
  policyDecisions,
  policyCategory,
  renderPolicyAs,
  policyExtension,
  POLICY_FORMATS,
  interceptPolicy,
  claudeCodePermissions,
  claudeCodeRule,
  codexServerTools,
  WRITE_LIMIT_PER_MINUTE,
  EXECUTE_LIMIT_PER_MINUTE,
  HUMAN_APPROVAL_MESSAGE,
} from './policy/index.js';
export type { Policy, PolicyToolRule, PolicyLimit, PolicyDenyRule, PolicyFormat, PolicyDecisions, ToolDecision, ToolAction } from './policy/index.js';
export { renderFinding, MESSAGES } from './findings.js';
export { viewFromSnapshot, viewFromStored, toView, needsReview } from './view.js';
export type { ScanView, ToolView } from './view.js';
export { summarise } from './summary.js';
// The orders are the model's; listed here too because renderers reach for them from output.
export { CATEGORY_ORDER, RISK_ORDER } from '../model/index.js';
export type { ScanSummary } from './summary.js';
export { progressLine, serverLine, renderRefreshSummary } from './refresh.js';
export { renderDiff, renderDiffJson, toDiffJson, DIFF_JSON_SCHEMA } from './diff.js';
export { JSON_SCHEMA_TAGS } from './json-schemas.js';
export { REPORT_FORMATS } from './formats.js';
export type { ReportFormat, DocumentFormat } from './formats.js';
export { renderReport } from './report.js';
export type { ScanReport } from './report.js';
export { renderMarkdown, MARKDOWN_LIMITS } from './markdown.js';
export type { MarkdownScan } from './markdown.js';
export { toSarif, renderSarif, sarifRules, artifactLocation, SARIF_VERSION, SARIF_SCHEMA_URI, NOT_LISTED_RULE } from './sarif.js';
export type { SarifScan, SarifOptions } from './sarif.js';
export type { DiffJson, DiffRenderOptions } from './diff.js';
