// Short content hashes for versions derived from data (rule set, taxonomy).
import { createHash } from 'node:crypto';
import { canonicalJson } from '../model/index.js';

/** Seven hex digits of the SHA-256 of a value's canonical JSON: short to read, plenty to tell versions apart. */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 7);
}
