// The poisoning stage: does a server try to manipulate the agent that reads its tool list?
export { poisoningFindings, toolPoisoningFindings, POISONING_CODES, isPoisoning } from './analyse.js';
export { llmManipulationFinding } from './llm-quote.js';
export { toolTextFields, serverTextFields } from './fields.js';
export type { TextField } from './fields.js';
export { hiddenContent, visibleText } from './hidden.js';
export { loadPoisoningRules, compilePoisoningRules, matchRule, POISONING_KINDS } from './rules.js';
export type { PoisoningRule, PoisoningKind } from './rules.js';
export { flowRoles, toxicFlowBreak, toxicFlowFindings, toxicFlowFindingsByRole } from './toxic-flow.js';
export { serverOwnFindings } from './server.js';
export { crossServerFindings, configToxicFlow } from './cross-server.js';
export type { ConfigServer } from './cross-server.js';
