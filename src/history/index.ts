// Public API of history: what changed between two scans of one server, worded, and the drift findings.
export { diffScans, riskRose } from './diff.js';
export type { ScanDiff, ToolDiff, ScanRef } from './diff.js';
export { definitionChanges, firstDifference, schemaType, MAX_CHANGES } from './changes.js';
export type { ToolChange } from './changes.js';
export { descriptionMentions } from './mentions.js';
export type { Mention, MentionDelta } from './mentions.js';
export { describeChange, summariseChanges, gerund, MAX_SUMMARY } from './describe.js';
