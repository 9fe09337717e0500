// Pins a tool definition: SHA-256 over a canonical JSON of the whole definition.
import { createHash } from 'node:crypto';
import type { ToolDefinition, ToolRecord } from './tool.js';

/** JSON with object keys sorted at every depth, so equal definitions hash equal whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
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
