// The ingest stage: turn a live server or a manifest file into a ServerSnapshot.
export { scanServer } from './scan.js';
export { loadManifest } from './manifest.js';
export type { ManifestContent } from './manifest.js';
export { scrubbedEnv } from './env.js';
export { validateTools } from './lenient.js';
export type { LenientResult } from './lenient.js';
export { deriveServerName, sourceOf } from './server-name.js';
export { DEFAULT_SCAN_OPTIONS } from './targets.js';
export type { StdioTarget, HttpTarget, ServerTarget, ScanOptions } from './targets.js';
export { useChildLedger, endAllChildren, reapLeftoverChildren, liveChildren } from './child-ledger.js';
