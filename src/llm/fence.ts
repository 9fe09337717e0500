// Puts untrusted server text into a prompt as data: JSON-encoded, bounded, between markers made from a fresh random value.
import { randomBytes } from 'node:crypto';
import type { ToolDefinition } from '../model/index.js';
import { escapeHiddenInJson } from '../output/safe-text.js';

/** A fresh marker value per request: text written before the request cannot know it, so cannot close the fence. */
export function newNonce(): string {
  return randomBytes(12).toString('hex');
}

/**
 * One fenced block. The value is JSON on a single line with `<` and `>` escaped, so server text can
 * neither start a new line nor spell a marker; `<<<` in a description arrives as `\u003c\u003c\u003c`.
 */
export function fence(nonce: string, label: string, value: unknown): string {
  const json = escapeHiddenInJson(JSON.stringify(value)).replace(/</g, '\\u003c').replace(/>/g, '\\u003e');
  return `<<<data-${nonce} ${label}>>>\n${json}\n<<<end-${nonce}>>>`;
}

export const LIMITS = {
  name: 200,
  title: 200,
  description: 2_000,
  /** The input schema as compact JSON; larger schemas are cut and marked. */
  schema: 4_000,
  instructions: 1_500,
  siblings: 150,
  siblingName: 80,
} as const;

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…[cut: ${text.length - max} more characters]` : text;
}

/** What the model sees of one tool: bounded fields; annotations marked as the server's own claims. */
export function toolData(definition: ToolDefinition): Record<string, unknown> {
  const data: Record<string, unknown> = { name: cut(definition.name, LIMITS.name) };
  if (definition.title) data.title = cut(definition.title, LIMITS.title);
  data.description = cut(definition.description ?? '', LIMITS.description);
  const schema = JSON.stringify(definition.inputSchema ?? {});
  data.inputSchema = schema.length > LIMITS.schema ? cut(schema, LIMITS.schema) : definition.inputSchema;
  if (definition.annotations && Object.keys(definition.annotations).length > 0) {
    data.declaredAnnotations = definition.annotations;
  }
  return data;
}

export function serverData(server: { name: string; instructions?: string; toolNames: readonly string[] }): Record<string, unknown> {
  const names = server.toolNames.slice(0, LIMITS.siblings).map((n) => cut(n, LIMITS.siblingName));
  const data: Record<string, unknown> = { name: cut(server.name, LIMITS.name) };
  if (server.instructions) data.instructions = cut(server.instructions, LIMITS.instructions);
  data.toolNames = server.toolNames.length > names.length ? [...names, `…and ${server.toolNames.length - names.length} more`] : names;
  return data;
}
