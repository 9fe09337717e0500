// Field-level changes between two definitions of one tool, so every change of the pinned hash is explained.
import { canonicalJson, isRecord } from '../model/index.js';
import type { Category, Risk, ToolDefinition } from '../model/index.js';
import { truncate } from '../output/safe-text.js';
import { descriptionMentions } from './mentions.js';
import type { MentionDelta } from './mentions.js';

export type ToolChange =
  | { kind: 'description'; before?: string; after?: string; mentions: MentionDelta }
  | { kind: 'title'; before?: string; after?: string }
  /** `name` is dotted for nested parameters: `options.command`, `edits[].oldText`. */
  | { kind: 'parameter-added'; name: string; type?: string; required: boolean }
  | { kind: 'parameter-removed'; name: string; required: boolean }
  | {
      kind: 'parameter-changed';
      name: string;
      /** Schema keywords that changed: `type`, `enum`, `description`, `required`, `default`, or any other key. */
      what: string[];
      type?: { before?: string; after?: string };
      /** Present when `required` changed: whether it is required now. */
      required?: boolean;
      enumAdded?: string[];
      enumRemoved?: string[];
      default?: { before?: unknown; after?: unknown };
    }
  /** An MCP annotation; `before`/`after` absent when the hint was not declared. */
  | { kind: 'annotation'; hint: string; before?: unknown; after?: unknown }
  | { kind: 'output-schema'; what: 'added' | 'removed' | 'changed' }
  /** Any other change of the pinned definition, at the JSON path of its first difference. */
  | { kind: 'schema-other'; path: string }
  /** Changes past MAX_CHANGES, counted, not listed. */
  | { kind: 'more'; count: number }
  | { kind: 'verdict'; before: { category: Category; risk: Risk }; after: { category: Category; risk: Risk } };

/** Nested parameters are followed this deep; deeper changes are named by the keyword at the limit. */
const MAX_DEPTH = 4;
/** Hostile schemas can be wide: past this many changes a tool's list stops and one `more` entry counts the rest. */
export const MAX_CHANGES = 50;
/** Enum values listed per change. */
const MAX_ENUM = 20;
const MAX_VALUE_CHARS = 80;

type Obj = Record<string, unknown>;

/** Own keys only: a parameter called `constructor` or `__proto__` is just a name. */
function has(o: Obj, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}

function same(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** The fields the hash pins (see model/tool-hash.ts); anything else a server adds is ignored here too. */
function pinned(d: ToolDefinition): Obj {
  return {
    name: d.name,
    title: d.title,
    description: d.description,
    inputSchema: d.inputSchema,
    outputSchema: d.outputSchema,
    annotations: d.annotations,
  };
}

/** A schema's type as one word: `string`, `string|null`, `enum`; undefined when it does not say. */
export function schemaType(schema: unknown): string | undefined {
  if (!isRecord(schema)) return undefined;
  const t = schema.type;
  if (typeof t === 'string') return t;
  if (Array.isArray(t) && t.every((x) => typeof x === 'string') && t.length > 0) return t.join('|');
  if (Array.isArray(schema.enum)) return 'enum';
  if (Array.isArray(schema.anyOf) || Array.isArray(schema.oneOf)) return 'union';
  return undefined;
}

function requiredSet(schema: unknown): Set<string> {
  if (!isRecord(schema) || !Array.isArray(schema.required)) return new Set();
  return new Set(schema.required.filter((r): r is string => typeof r === 'string'));
}

function enumValue(v: unknown): string {
  const s = typeof v === 'string' ? v : canonicalJson(v);
  return truncate(s, MAX_VALUE_CHARS);
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

function childPath(path: string, key: string): string {
  const bounded = truncate(key, MAX_VALUE_CHARS);
  const step = IDENTIFIER.test(bounded) ? bounded : JSON.stringify(bounded);
  if (path === '') return step;
  return IDENTIFIER.test(bounded) ? `${path}.${step}` : `${path}[${step}]`;
}

/** JSON path of the first place two values differ, in sorted key order; undefined when equal. */
export function firstDifference(a: unknown, b: unknown, path = '', depth = 0): string | undefined {
  if (same(a, b)) return undefined;
  if (depth >= 32) return path;
  if (isRecord(a) && isRecord(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const key of keys) {
      const found = firstDifference(a[key], b[key], childPath(path, key), depth + 1);
      if (found !== undefined) return found;
    }
    return path;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const found = firstDifference(a[i], b[i], `${path}[${i}]`, depth + 1);
      if (found !== undefined) return found;
    }
  }
  return path;
}

class Collector {
  readonly changes: ToolChange[] = [];
  dropped = 0;

  push(change: ToolChange): void {
    if (this.changes.length < MAX_CHANGES) this.changes.push(change);
    else this.dropped++;
  }
}

/**
 * Properties and `required` of an object schema (the input schema itself, or an object parameter).
 * Names are listed in the after-schema's order, then removed ones in the before-schema's order.
 */
function compareProperties(before: unknown, after: unknown, prefix: string, path: string, depth: number, out: Collector): void {
  const bProps = isRecord(before) && isRecord(before.properties) ? before.properties : {};
  const aProps = isRecord(after) && isRecord(after.properties) ? after.properties : {};
  const bReq = requiredSet(before);
  const aReq = requiredSet(after);
  const names = [...new Set([...Object.keys(aProps), ...Object.keys(bProps)])];
  for (const name of names) {
    const full = prefix === '' ? name : `${prefix}.${name}`;
    const inBefore = has(bProps, name);
    const inAfter = has(aProps, name);
    if (!inBefore) {
      const type = schemaType(aProps[name]);
      out.push({ kind: 'parameter-added', name: full, ...(type !== undefined ? { type } : {}), required: aReq.has(name) });
    } else if (!inAfter) {
      out.push({ kind: 'parameter-removed', name: full, required: bReq.has(name) });
    } else {
      compareParameter(full, bProps[name], aProps[name], bReq.has(name), aReq.has(name), childPath(path, 'properties'), name, depth, out);
    }
  }
  // `required` entries naming no property change the hash too; say where.
  const stray = [...new Set([...bReq, ...aReq])].filter((n) => !has(bProps, n) && !has(aProps, n) && bReq.has(n) !== aReq.has(n));
  if (stray.length > 0) out.push({ kind: 'schema-other', path: childPath(path, 'required') });
}

function compareParameter(
  name: string,
  before: unknown,
  after: unknown,
  requiredBefore: boolean,
  requiredAfter: boolean,
  propertiesPath: string,
  key: string,
  depth: number,
  out: Collector,
): void {
  const path = childPath(propertiesPath, key);
  const what: string[] = [];
  const change: Extract<ToolChange, { kind: 'parameter-changed' }> = { kind: 'parameter-changed', name, what };
  if (requiredBefore !== requiredAfter) {
    what.push('required');
    change.required = requiredAfter;
  }
  if (!isRecord(before) || !isRecord(after)) {
    if (!same(before, after)) what.push('schema');
    if (what.length > 0) out.push(change);
    return;
  }
  // An object parameter's properties and `required` become entries of their own, after this one.
  const recurse = depth < MAX_DEPTH && (isRecord(before.properties) || isRecord(after.properties));
  let nested: (() => void) | undefined;
  if (recurse && (!same(before.properties, after.properties) || !same(before.required, after.required))) {
    nested = () => compareProperties(before, after, name, path, depth + 1, out);
  }
  const keys = [...new Set([...Object.keys(after), ...Object.keys(before)])];
  for (const k of keys) {
    if (recurse && (k === 'properties' || k === 'required')) continue;
    if (same(before[k], after[k])) continue;
    if (k === 'type') {
      what.push('type');
      const tb = schemaType({ type: before.type });
      const ta = schemaType({ type: after.type });
      change.type = { ...(tb !== undefined ? { before: tb } : {}), ...(ta !== undefined ? { after: ta } : {}) };
    } else if (k === 'enum') {
      what.push('enum');
      const b = Array.isArray(before.enum) ? before.enum.map(enumValue) : [];
      const a = Array.isArray(after.enum) ? after.enum.map(enumValue) : [];
      const added = a.filter((v) => !b.includes(v)).slice(0, MAX_ENUM);
      const removed = b.filter((v) => !a.includes(v)).slice(0, MAX_ENUM);
      if (added.length > 0) change.enumAdded = added;
      if (removed.length > 0) change.enumRemoved = removed;
    } else if (k === 'default') {
      what.push('default');
      change.default = { ...(has(before, 'default') ? { before: before.default } : {}), ...(has(after, 'default') ? { after: after.default } : {}) };
    } else if (k === 'items' && depth < MAX_DEPTH && isRecord(before.items) && isRecord(after.items)) {
      const items = before.items;
      const itemsAfter = after.items;
      nested = chain(nested, () => compareParameter(`${name}[]`, items, itemsAfter, false, false, path, 'items', depth + 1, out));
    } else {
      what.push(k);
    }
  }
  if (what.length > 0) out.push(change);
  nested?.();
}

function chain(first: (() => void) | undefined, next: () => void): () => void {
  return first === undefined ? next : () => (first(), next());
}

function compareInputSchema(before: unknown, after: unknown, out: Collector): void {
  if (same(before, after)) return;
  if (!isRecord(before) || !isRecord(after)) {
    out.push({ kind: 'schema-other', path: 'inputSchema' });
    return;
  }
  compareProperties(before, after, '', 'inputSchema', 0, out);
  const keys = [...new Set([...Object.keys(after), ...Object.keys(before)])].sort();
  for (const key of keys) {
    if (key === 'properties' || key === 'required') continue;
    const path = firstDifference(before[key], after[key], childPath('inputSchema', key));
    if (path !== undefined) out.push({ kind: 'schema-other', path });
  }
}

function compareAnnotations(before: unknown, after: unknown, out: Collector): void {
  if ((before !== undefined && !isRecord(before)) || (after !== undefined && !isRecord(after))) {
    if (!same(before, after)) out.push({ kind: 'schema-other', path: 'annotations' });
    return;
  }
  const b = isRecord(before) ? before : {};
  const a = isRecord(after) ? after : {};
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].sort();
  for (const hint of keys) {
    if (same(b[hint], a[hint])) continue;
    out.push({
      kind: 'annotation',
      hint,
      ...(b[hint] !== undefined ? { before: b[hint] } : {}),
      ...(a[hint] !== undefined ? { after: a[hint] } : {}),
    });
  }
}

/**
 * Every change between two definitions of the same tool, in a fixed order: title, description,
 * parameters, the rest of the input schema, output schema, annotations. When the pinned definitions
 * differ and nothing above explains it, one `schema-other` names the first differing path, so pinning
 * covers the whole definition. At most MAX_CHANGES entries, then one `more` entry with the count left out.
 */
export function definitionChanges(before: ToolDefinition, after: ToolDefinition): ToolChange[] {
  const out = new Collector();
  if (!same(before.title, after.title)) {
    const b = text(before.title);
    const a = text(after.title);
    out.push({ kind: 'title', ...(b !== undefined ? { before: b } : {}), ...(a !== undefined ? { after: a } : {}) });
  }
  if (!same(before.description, after.description)) {
    const b = text(before.description);
    const a = text(after.description);
    out.push({
      kind: 'description',
      ...(b !== undefined ? { before: b } : {}),
      ...(a !== undefined ? { after: a } : {}),
      mentions: descriptionMentions(before, after),
    });
  }
  compareInputSchema(before.inputSchema, after.inputSchema, out);
  if (!same(before.outputSchema, after.outputSchema)) {
    const what = before.outputSchema === undefined ? 'added' : after.outputSchema === undefined ? 'removed' : 'changed';
    out.push({ kind: 'output-schema', what });
  }
  compareAnnotations(before.annotations, after.annotations, out);
  const changes = out.changes;
  if (out.dropped > 0) changes.push({ kind: 'more', count: out.dropped });
  if (changes.length === 0) {
    const path = firstDifference(pinned(before), pinned(after));
    if (path !== undefined) changes.push({ kind: 'schema-other', path: path === '' ? '(definition)' : path });
  }
  return changes;
}
