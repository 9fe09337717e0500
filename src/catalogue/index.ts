// The catalogue stage: catalogue files (load, validate, render, merge) and importers that fill them.
export type { Catalogue, CatalogueDefaults, CatalogueEntry, CatalogueProblem, CatalogueSource, SkippedListing } from './types.js';
export { loadCatalogue, renderCatalogue, appendToCatalogueText, mergeCatalogues, CatalogueInvalidError } from './catalogue-file.js';
export { validateCatalogue, summariseProblems, CATALOGUE_VERSION } from './validate.js';
export { expandEnvRefs, referencedVariables } from './env-refs.js';
export { fetchText, readTextSource, DEFAULT_FETCH_TIMEOUT_MS, DEFAULT_MAX_BYTES } from './fetch-text.js';
export type { FetchTextFn, FetchTextOptions } from './fetch-text.js';
export { importRegistry } from './import-registry.js';
// The one comparator for versions, re-exported where registry listings are ordered.
export { compareVersions } from '../packages/npm-spec.js';
export type { ImportRegistryOptions, ImportRegistryResult } from './import-registry.js';
export { importHtml, NO_SOURCE } from './import-html.js';
export type { DirectoryListing, ImportHtmlResult } from './import-html.js';
export { loadDirectoryConfig, listDirectoryConfigs, validateDirectoryConfig } from './directory-config.js';
export type { DirectoryConfig, FieldSpec } from './directory-config.js';
