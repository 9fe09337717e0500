// The `schema` tag of every JSON output mcp-risk writes; each has its JSON Schema in schemas/<name>.schema.json.
//
// A tag names a shape and its major version. Within a version keys are only added (the shipped schema
// gains them in the same release), never removed or given another meaning; that would be `@2`.
export const JSON_SCHEMA_TAGS = {
  /** scan --format json, classify --format json, show SERVER --json (scan: an array of them for a client config). */
  scan: 'mcp-risk/scan@1',
  /** show SERVER/TOOL --json */
  tool: 'mcp-risk/tool@1',
  /** show --json */
  servers: 'mcp-risk/servers@1',
  /** diff SERVER --json */
  diff: 'mcp-risk/diff@1',
  /** refresh CATALOGUE --json */
  refresh: 'mcp-risk/refresh@1',
  /** merge OUT.db IN.db... --json */
  merge: 'mcp-risk/merge@1',
  /** history SERVER --json */
  history: 'mcp-risk/history@1',
  /** prune [SERVER] --json */
  prune: 'mcp-risk/prune@1',
  /** reclassify [SERVER] --json */
  reclassify: 'mcp-risk/reclassify@1',
} as const;
