// Reads, writes and merges catalogue files (YAML or JSON): the list of servers a refresh scans.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Document, isMap, isScalar, isSeq, parse, parseDocument, visit, YAMLParseError, YAMLSeq } from 'yaml';
import type { Node } from 'yaml';
import { McpRiskError } from '../model/index.js';
import { toFileShape } from './file-shape.js';
import { serverKey } from './same-server.js';
import type { Catalogue, CatalogueEntry, CatalogueProblem } from './types.js';
import { CATALOGUE_VERSION, problemLine, summariseProblems, validateCatalogue } from './validate.js';

/** Thrown by `loadCatalogue` for a file that parses but is not a valid catalogue; carries every problem. */
export class CatalogueInvalidError extends McpRiskError {
  readonly problems: CatalogueProblem[];
  /** Every problem, one line each, printed by the CLI after the message when there is more than one. */
  readonly details: string[];
  constructor(file: string, problems: CatalogueProblem[]) {
    super('INPUT_INVALID', summariseProblems(problems, file), {
      hint: 'Fix the catalogue file; the format, with an example, is in the README under "Catalogue file".',
    });
    this.problems = problems;
    this.details = problems.length > 1 ? problems.map(problemLine) : [];
  }
}

/** Unique keys and bounded aliases: a crafted file must not blow up or silently drop a duplicate key. */
const PARSE_OPTIONS = { uniqueKeys: true, maxAliasCount: 1000 } as const;

function parseError(path: string, error: unknown): McpRiskError {
  if (error instanceof YAMLParseError) {
    const at = error.linePos?.[0];
    const where = at === undefined ? '' : ` at line ${at.line}, column ${at.col}`;
    const first = (error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, '');
    return new McpRiskError('INPUT_INVALID', `${path}: invalid YAML${where}: ${first}`, { cause: error });
  }
  return new McpRiskError('INPUT_INVALID', `${path}: invalid YAML: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

function readCatalogueText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT' || code === 'ENOTDIR'
        ? `${path}: no such catalogue file`
        : code === 'EISDIR'
          ? `${path} is a folder, not a catalogue file`
          : `${path}: cannot be read (${code ?? 'unknown error'})`;
    throw new McpRiskError('INPUT_NOT_FOUND', message, { cause: error, hint: 'Check the path, or create the file with mcp-risk import.' });
  }
}

/**
 * Loads and validates a catalogue file. YAML and JSON are both read (JSON is YAML). Relative `cwd` and
 * `manifest` paths come back resolved against the file's folder; `${NAME}` references stay unexpanded.
 */
export function loadCatalogue(path: string): Catalogue {
  const text = readCatalogueText(path);
  let data: unknown;
  try {
    data = parse(text, PARSE_OPTIONS);
  } catch (error) {
    throw parseError(path, error);
  }
  const { catalogue, problems } = validateCatalogue(data, path);
  if (catalogue === undefined) throw new CatalogueInvalidError(path, problems);
  return catalogue;
}

const HEADER = [
  ' mcp-risk catalogue: the servers `mcp-risk refresh` scans, results stored under each name.',
  ' Each server has exactly one source: npm (with version, bin), command (with cwd), url (with headers) or manifest.',
  ' "${NAME}" in env and headers is taken from the environment of the refresh; the README documents every key.',
].join('\n');

const TO_STRING = { lineWidth: 0, flowCollectionPadding: false } as const;

/** Short lists of scalars read best on one line; everything else stays in block style. */
function tidy(node: Node | Document): void {
  visit(node, {
    Seq(_key, node) {
      if (node.items.every(isScalar) && node.items.map((item) => String(item.value)).join(', ').length <= 60) node.flow = true;
    },
    // Quoted like the README example, so `1.10` never reads as a number to a person or a tool.
    Pair(_key, pair) {
      if (isScalar(pair.key) && pair.key.value === 'version' && isScalar(pair.value) && typeof pair.value.value === 'string') {
        pair.value.type = 'QUOTE_DOUBLE';
      }
    },
  });
}

function serverNodes(doc: Document, catalogue: Catalogue, entries: readonly CatalogueEntry[]): Node[] {
  const baseDir = catalogue.path === undefined ? undefined : dirname(resolve(catalogue.path));
  return entries.map((entry) => {
    const node = doc.createNode(toFileShape(entry, catalogue.defaults, baseDir)) as Node;
    tidy(node);
    return node;
  });
}

/**
 * The catalogue as a YAML file: a header comment, `version`, `defaults` when any, then the servers in
 * file key order. Values the defaults already give are left out, and `cwd`/`manifest` paths inside the
 * catalogue's folder are written relative to it, so `loadCatalogue` of the written file gives it back.
 */
export function renderCatalogue(catalogue: Catalogue): string {
  const doc = new Document({ version: CATALOGUE_VERSION });
  doc.commentBefore = HEADER;
  const defaults: Record<string, unknown> = {};
  if (catalogue.defaults.timeoutMs !== undefined) defaults.timeoutMs = catalogue.defaults.timeoutMs;
  if (catalogue.defaults.tags.length > 0) defaults.tags = [...catalogue.defaults.tags];
  if (Object.keys(defaults).length > 0) doc.set('defaults', doc.createNode(defaults));
  const servers = new YAMLSeq();
  for (const [index, node] of serverNodes(doc, catalogue, catalogue.entries).entries()) {
    if (index > 0) node.spaceBefore = true;
    servers.items.push(node);
  }
  doc.set('servers', servers);
  tidy(doc);
  return doc.toString(TO_STRING);
}

/**
 * Appends entries to the text of an existing catalogue file, keeping everything already there (comments
 * included, which re-rendering would lose). `existing` is that file loaded, for its defaults and folder.
 * JSON text stays JSON.
 */
export function appendToCatalogueText(text: string, existing: Catalogue, entries: readonly CatalogueEntry[]): string {
  const file = existing.path ?? 'catalogue';
  const baseDir = existing.path === undefined ? undefined : dirname(resolve(existing.path));
  const shapes = entries.map((entry) => toFileShape(entry, existing.defaults, baseDir));
  if (text.trimStart().startsWith('{')) {
    try {
      const data = JSON.parse(text) as Record<string, unknown>;
      data.servers = [...(Array.isArray(data.servers) ? data.servers : []), ...shapes];
      return `${JSON.stringify(data, null, 2)}\n`;
    } catch {
      // Not JSON after all: a YAML flow mapping. The YAML path below handles it.
    }
  }
  const doc = parseDocument(text, PARSE_OPTIONS);
  const error = doc.errors[0];
  if (error !== undefined) throw parseError(file, error);
  if (!isMap(doc.contents)) throw new McpRiskError('INPUT_INVALID', `${file}: not a catalogue (the top level is not a mapping)`);
  const found = doc.get('servers', true);
  if (found !== undefined && found !== null && !isSeq(found) && !(isScalar(found) && found.value === null)) {
    throw new McpRiskError('INPUT_INVALID', `${file}: servers is not a list`);
  }
  let servers: YAMLSeq;
  if (isSeq(found)) servers = found;
  else {
    servers = new YAMLSeq();
    doc.set('servers', servers);
  }
  for (const node of serverNodes(doc, existing, entries)) {
    if (servers.items.length > 0 && !servers.flow) node.spaceBefore = true;
    servers.items.push(node);
  }
  return doc.toString(TO_STRING);
}

function isEntryList(value: Catalogue | readonly CatalogueEntry[]): value is readonly CatalogueEntry[] {
  return Array.isArray(value);
}

/**
 * Adds imported entries whose names are new; an entry already present by name is kept as it is, since
 * the user may have edited it, and so is one that starts a server already present under another name
 * (see serverKey). Added entries take the existing catalogue's defaults.
 */
export function mergeCatalogues(
  existing: Catalogue,
  imported: Catalogue | readonly CatalogueEntry[],
): { catalogue: Catalogue; added: string[]; kept: string[] } {
  const incoming: readonly CatalogueEntry[] = isEntryList(imported) ? imported : imported.entries;
  const names = new Set(existing.entries.map((entry) => entry.name));
  const entries = [...existing.entries];
  const added: string[] = [];
  const kept: string[] = [];
  const servers = new Set(existing.entries.map(serverKey));
  for (const entry of incoming) {
    if (names.has(entry.name) || servers.has(serverKey(entry))) {
      if (!added.includes(entry.name) && !kept.includes(entry.name)) kept.push(entry.name);
      continue;
    }
    names.add(entry.name);
    servers.add(serverKey(entry));
    added.push(entry.name);
    const merged: CatalogueEntry = { ...entry, tags: [...new Set([...existing.defaults.tags, ...entry.tags])] };
    const timeoutMs = entry.timeoutMs ?? existing.defaults.timeoutMs;
    if (timeoutMs !== undefined) merged.timeoutMs = timeoutMs;
    entries.push(merged);
  }
  const catalogue: Catalogue = { entries, defaults: existing.defaults };
  if (existing.path !== undefined) catalogue.path = existing.path;
  return { catalogue, added, kept };
}
