// The packages stage: resolve and install a server package into the isolated cache, then target its bin.
export { parseNpmSpec, isNpmSpec, formatNpmSpec, exactVersion } from './npm-spec.js';
export type { NpmSpec } from './npm-spec.js';
export { installNpmPackage, resolveNpmVersion, DEFAULT_INSTALL_TIMEOUT_MS } from './npm-install.js';
export type { InstallOptions, InstalledPackage } from './npm-install.js';
export { defaultCacheDir } from './cache.js';
export { chooseBin } from './bin.js';
export { targetForPackage } from './target.js';
export type { PackageTargetExtras } from './target.js';
