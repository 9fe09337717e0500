// Pins a tool definition: SHA-256 over a canonical JSON of the whole definition.
import * as crypto from 'node:crypto';
import type { ToolDefinition, ToolRecord } from './tool.js';

type Work = { text: string } | { value: unknown };

/**
 * JSON with object keys sorted at every depth, so equal definitions hash equal whatever the key order.
 * Walks with its own stack rather than recursion, so a definition nested thousands deep cannot overflow it.
 */
export function canonicalJson(value: unknown): string {
  // Nearly every value takes the fast way: a key-sorted copy written by the native JSON.stringify.
  const sorted = sortedCopy(value, 0);
  return sorted === UNSUITED ? walkedJson(value) : (JSON.stringify(sorted) ?? 'null');
}

/** Deeper than this, the copy's recursion stops and the walk with its own stack takes over. */
const COPY_DEPTH = 256;
const UNSUITED = Symbol('unsuited');
/** A key that JavaScript enumerates before all others (an array index): a copy cannot keep it in sorted place. */
const INDEX_KEY = /^(?:0|[1-9][0-9]*)$/;

/**
 * `value` with every object's keys inserted in sorted order, so JSON.stringify writes exactly what the
 * walk below writes; UNSUITED where they could differ: too deep, an index-like key or `__proto__`, an
 * array hole, or a value that is not plain JSON data (a function, a Date, a class instance).
 */
function sortedCopy(value: unknown, depth: number): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === undefined) return value;
  if (typeof value !== 'object' || depth > COPY_DEPTH) return UNSUITED;
  if (Array.isArray(value)) {
    const copy = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) return UNSUITED;
      const element = sortedCopy(value[i], depth + 1);
      if (element === UNSUITED) return UNSUITED;
      copy[i] = element;
    }
    return copy;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return UNSUITED;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (!inOrder(keys)) keys.sort();
  // An ordinary object, not a null-prototype one: V8 keeps those as slow dictionaries, which the copy and
  // JSON.stringify both pay for. The one key it would not keep as data, __proto__, goes to the walk.
  const copy: Record<string, unknown> = {};
  for (const key of keys) {
    const first = key.charCodeAt(0);
    if ((first >= 48 && first <= 57 && INDEX_KEY.test(key)) || key === '__proto__') return UNSUITED;
    const element = record[key];
    if (element === undefined) continue;
    const sorted = sortedCopy(element, depth + 1);
    if (sorted === UNSUITED) return UNSUITED;
    copy[key] = sorted;
  }
  return copy;
}

/** Whether the keys are already in code-unit order (most small objects are, or nearly): then no sort. */
function inOrder(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) if ((keys[i - 1] as string) > (keys[i] as string)) return false;
  return true;
}

/** The same text, walked with an explicit stack: for values the copy above cannot take. */
function walkedJson(value: unknown): string {
  const out: string[] = [];
  const work: Work[] = [{ value }];
  for (let item = work.pop(); item !== undefined; item = work.pop()) {
    if ('text' in item) {
      out.push(item.text);
      continue;
    }
    const v = item.value;
    if (v === null || typeof v !== 'object') {
      out.push(JSON.stringify(v) ?? 'null');
      continue;
    }
    const parts: Work[] = [];
    if (Array.isArray(v)) {
      parts.push({ text: '[' });
      v.forEach((element: unknown, index) => {
        if (index > 0) parts.push({ text: ',' });
        parts.push({ value: element });
      });
      parts.push({ text: ']' });
    } else {
      const entries = Object.entries(v as Record<string, unknown>)
        .filter(([, e]) => e !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      parts.push({ text: '{' });
      entries.forEach(([k, e], index) => {
        parts.push({ text: `${index > 0 ? ',' : ''}${JSON.stringify(k)}:` }, { value: e });
      });
      parts.push({ text: '}' });
    }
    for (let i = parts.length - 1; i >= 0; i -= 1) work.push(parts[i] as Work);
  }
  return out.join('');
}

/**
 * SHA-256 in hex. The one-shot crypto.hash (Node 20.12 and later) costs half of a Hash object per tool;
 * the engines field allows older 20.x, which get the object.
 */
const oneShot = (crypto as { hash?: (algorithm: string, data: string) => string }).hash;
const sha256Hex: (text: string) => string =
  typeof oneShot === 'function' ? (text) => oneShot('sha256', text) : (text) => crypto.createHash('sha256').update(text).digest('hex');

/** The fields that make up a tool's identity; anything else a server adds is not pinned. */
export function hashToolDefinition(tool: ToolDefinition): string {
  const pinned = {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: tool.inputSchema,
    outputSchema: tool.outputSchema,
    annotations: tool.annotations,
  };
  return sha256Hex(canonicalJson(pinned));
}

export function toToolRecord(definition: ToolDefinition): ToolRecord {
  return { definition, hash: hashToolDefinition(definition) };
}
