// Type guards for values parsed from untrusted JSON or YAML.

/** A plain object (not null, not an array): the shape of a JSON object or a YAML mapping. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
