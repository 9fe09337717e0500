// The ingest stage: turn a live server or a manifest file into a ServerSnapshot.
export { scanServer } from './scan.js';
export { loadManifest } from './manifest.js';
export type { ManifestContent } from './manifest.js';
export { readClientConfig } from './client-config.js';
export type { ClientConfig, ConfigGroup, ConfigWarning, PlaceholderContext } from './client-config.js';
export { nameServers } from './config-names.js';
export type { NamedServer, SplitName } from './config-names.js';
export { configPlaces, discoverServers } from './discover.js';
export type { ConfigPlace, ConfigRead, Discovery, DiscoveryPlaces } from './discover.js';
export { scrubbedEnv } from './env.js';
export { validateTools } from './lenient.js';
export type { LenientResult } from './lenient.js';
export { deriveServerName, sourceOf } from './server-name.js';
export { DEFAULT_SCAN_OPTIONS } from './targets.js';
export type { StdioTarget, HttpTarget, ServerTarget, ScanOptions } from './targets.js';
export { useChildLedger, endAllChildren, reapLeftoverChildren, liveChildren } from './child-ledger.js';
