// The plain data types every stage exchanges. Depends on nothing else in src/.
export type { ToolAnnotations, JsonObject, ToolDefinition, ToolRecord, ScanStatus, SourceKind, SourceRef, ServerInfo, ServerSnapshot } from './tool.js';
export type { Finding, FindingArgs, FindingCode, FindingOf, PoisoningTextArgs, Severity } from './finding.js';
export { FINDING_CODES, finding } from './finding.js';
export type {
  Category,
  KnownCategory,
  Risk,
  KnownRisk,
  Method,
  Evidence,
  Provenance,
  Classification,
  LlmOpinion,
  LlmRun,
  ManipulationKind,
} from './classification.js';
export {
  CATEGORIES,
  RISKS,
  CATEGORY_ORDER,
  RISK_ORDER,
  LISTED_STATUSES,
  MANIPULATION_KINDS,
  attentionRank,
  categoryRank,
  highestRisk,
  isListed,
  riskRank,
} from './classification.js';
export { isRecord } from './guards.js';
export { canonicalJson, hashToolDefinition, toToolRecord } from './tool-hash.js';
export { McpRiskError, ERROR_CODES } from './errors.js';
export type { ErrorCode } from './errors.js';
