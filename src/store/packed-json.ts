// Tool definitions and verdicts are stored as raw DEFLATE (RFC 1951) of their JSON: they are most of the
// database, and JSON text of a kilobyte packs to under half. Only these two blobs are packed; every column
// a query filters or counts on (names, hashes, category, risk, classifier version) stays plain.
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { McpRiskError } from '../model/index.js';

/**
 * The most a packed blob may unpack to. Ingest bounds what a server sends far below this; a blob that
 * claims more is damaged or hostile (a merged file), and must not take the process's memory with it.
 */
export const MAX_UNPACKED_BYTES = 64 * 1024 * 1024;

/** The JSON of `value`, deflated. */
export function packJson(value: unknown): Buffer {
  return packText(JSON.stringify(value));
}

/** JSON text, deflated (the migration packs the text stored before). */
export function packText(json: string): Buffer {
  return deflateRawSync(json);
}

/** The JSON text a packed blob holds; DB_ERROR for a blob that is not one or unpacks too large. */
export function unpackText(blob: Uint8Array): string {
  try {
    return inflateRawSync(blob, { maxOutputLength: MAX_UNPACKED_BYTES }).toString('utf8');
  } catch (cause) {
    throw damaged('cannot be unpacked', cause);
  }
}

/** The value a packed blob holds. */
export function unpackJson<T>(blob: Uint8Array): T {
  const text = unpackText(blob);
  try {
    return JSON.parse(text) as T;
  } catch (cause) {
    throw damaged('is not JSON', cause);
  }
}

function damaged(what: string, cause: unknown): McpRiskError {
  return new McpRiskError('DB_ERROR', `A stored definition or verdict ${what}: ${(cause as Error).message.split('\n')[0]}`, {
    cause,
    hint: 'The results database is damaged; scan the server again, or use another --db.',
  });
}
