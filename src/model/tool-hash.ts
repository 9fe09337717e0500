// Pins a tool definition: SHA-256 over a canonical JSON of the whole definition.
import { createHash } from 'node:crypto';
import type { ToolDefinition, ToolRecord } from './tool.js';

type Work = { text: string } | { value: unknown };

/**
 * JSON with object keys sorted at every depth, so equal definitions hash equal whatever the key order.
 * Walks with its own stack rather than recursion, so a definition nested thousands deep cannot overflow it.
 */
export function canonicalJson(value: unknown): string {
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
  return createHash('sha256').update(canonicalJson(pinned)).digest('hex');
}

export function toToolRecord(definition: ToolDefinition): ToolRecord {
  return { definition, hash: hashToolDefinition(definition) };
}
