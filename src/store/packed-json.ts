// Tool definitions and verdicts are stored as raw DEFLATE (RFC 1951) of their JSON: they are most of the
// database, and JSON text of a kilobyte packs to under half. Only these two blobs are packed; every column
// a query filters or counts on (names, hashes, category, risk, classifier version) stays plain.
import { deflateRawSync, inflateRawSync } from 'node:zlib';

/** The JSON of `value`, deflated. */
export function packJson(value: unknown): Buffer {
  return packText(JSON.stringify(value));
}

/** JSON text, deflated (the migration packs the text stored before). */
export function packText(json: string): Buffer {
  return deflateRawSync(json);
}

/** The JSON text a packed blob holds. */
export function unpackText(blob: Uint8Array): string {
  return inflateRawSync(blob).toString('utf8');
}

/** The value a packed blob holds. */
export function unpackJson<T>(blob: Uint8Array): T {
  return JSON.parse(unpackText(blob)) as T;
}
