// A finding is data: a stable code, typed arguments and a path. Wording lives in output/findings.ts.

export type Severity = 'info' | 'warning' | 'error';

export interface Finding {
  /** Stable id, e.g. `ingest.malformed-tool`, `quality.empty-description`, `annotation.contradiction`. */
  code: string;
  severity: Severity;
  /** Tool name when the finding is about one tool. */
  tool?: string;
  /** Field path into the tool or the listing, e.g. `annotations.readOnlyHint`. */
  path?: string;
  args: Record<string, string | number | boolean>;
}
