// The catalogue's plain data types: servers to scan, each with one source, as read from a catalogue file.

// Source kinds are the ones a scan's SourceRef uses (stdio, http, npm, manifest); the file keys stay `command:` and `url:`.
export type CatalogueSource =
  | { kind: 'npm'; package: string; version?: string; bin?: string }
  | { kind: 'stdio'; command: string; cwd?: string }
  | { kind: 'http'; url: string }
  | { kind: 'manifest'; path: string };

export interface CatalogueEntry {
  /** Unique in the catalogue; scan results are stored under it. */
  name: string;
  source: CatalogueSource;
  /** npm and command sources only. */
  args: string[];
  /** npm and command sources only; `${NAME}` references stay unexpanded until `expandEnvRefs`. */
  env: Record<string, string>;
  /** url sources only; `${NAME}` references stay unexpanded until `expandEnvRefs`. */
  headers: Record<string, string>;
  /** The whole scan of this server. */
  timeoutMs?: number;
  tags: string[];
  /** Informational: variables or headers the server needs (set by importers). */
  needs: string[];
}

export interface CatalogueDefaults {
  timeoutMs?: number;
  tags: string[];
}

export interface Catalogue {
  /** The file it was loaded from; relative `cwd` and `manifest` paths were resolved against its folder. */
  path?: string;
  entries: CatalogueEntry[];
  defaults: CatalogueDefaults;
}

/** One problem found in a catalogue file; `path` locates it, e.g. `servers[3] (foo)`. */
export interface CatalogueProblem {
  path: string;
  message: string;
}

/** A listing an importer could not turn into a catalogue entry, and why. */
export interface SkippedListing {
  name: string;
  reason: string;
}
