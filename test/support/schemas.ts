// Validators for the JSON Schemas tests hold outputs to: mcp-risk's own (schemas/) and the vendored SARIF 2.1.0 one.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { ROOT } from './cli.js';

export const SCHEMA_DIR = join(ROOT, 'schemas');
export const SARIF_SCHEMA = join(ROOT, 'test/fixtures/sarif/sarif-2.1.0-rtm.5.json');

/** The three formats the schemas use, checked as strictly as the RFCs ask where it matters for us. */
const FORMATS = {
  'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i,
  uri: (s: string): boolean => /^[a-z][a-z0-9+.-]*:[^\s]*$/i.test(s) && URL.canParse(s),
  // A relative reference: no spaces or characters RFC 3986 never allows unescaped.
  'uri-reference': (s: string): boolean => !/[\s"<>\\^`{|}]/.test(s) && URL.canParse(s, 'file:///base/'),
};

type Json = Record<string, unknown>;
const read = (path: string): Json => JSON.parse(readFileSync(path, 'utf8')) as Json;

/** Every mcp-risk schema file, by $id. */
export function ourSchemas(): Map<string, Json> {
  const files = readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.schema.json'));
  return new Map(files.map((f) => [String(read(join(SCHEMA_DIR, f)).$id), read(join(SCHEMA_DIR, f))]));
}

let ours: Ajv2020 | undefined;

/** The validator for one tag, e.g. `mcp-risk/scan@1`, with every shipped schema loaded (they refer to common). */
export function validatorFor(tag: string): ValidateFunction {
  if (ours === undefined) {
    ours = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, formats: FORMATS });
    for (const schema of ourSchemas().values()) ours.addSchema(schema);
  }
  const id = `urn:mcp-risk:schema:${tag.replace(/^mcp-risk\//, '')}`;
  const validate = ours.getSchema(id);
  if (validate === undefined) throw new Error(`no schema with $id ${id} under schemas/`);
  return validate;
}

let sarif: ValidateFunction | undefined;

/**
 * The vendored SARIF 2.1.0 schema is draft-04, which ajv 8 does not read: its two draft-04 spellings are
 * updated here (`id` is `$id` from draft-06 on; the $schema line goes), the file itself stays as published.
 */
export function sarifValidator(): ValidateFunction {
  if (sarif === undefined) {
    const { $schema: _draft04, id, ...rest } = read(SARIF_SCHEMA);
    // As published, the schema does not pass ajv's strict mode, and its language pattern has a stray `]`
    // that a Unicode regular expression refuses (a plain one reads it as a literal, as the authors' tools did).
    sarif = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false, formats: FORMATS }).compile({ $id: String(id), ...rest });
  }
  return sarif;
}

/** ajv's errors as lines a failing assertion prints. */
export function errorLines(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
