// Validates a tool list one tool at a time: good tools are kept, each bad one becomes a finding.
import { isRecord } from '../model/index.js';
import type { Finding, JsonObject, ToolAnnotations, ToolDefinition } from '../model/index.js';

export const MAX_DESCRIPTION_CHARS = 16 * 1024;
export const MAX_TITLE_CHARS = 1024;
export const MAX_NAME_CHARS = 512;
/** How deep objects and arrays may nest in one tool definition; real schemas stay well under ten. */
export const MAX_TOOL_DEPTH = 64;
const HINTS = ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const;

export interface LenientResult {
  tools: ToolDefinition[];
  findings: Finding[];
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

/** Keeps at most `max` characters, reporting the cut so nobody mistakes the text for the whole. */
function bound(text: string, max: number, field: string, tool: string, findings: Finding[]): string {
  if (text.length <= max) return text;
  findings.push({
    code: 'ingest.truncated',
    severity: 'warning',
    tool,
    path: field,
    args: { field, originalLength: text.length, keptLength: max },
  });
  return text.slice(0, max);
}

function malformed(index: number, reason: string, name?: string): Finding {
  const args: Finding['args'] = { index, reason };
  if (name !== undefined) args.name = name;
  const finding: Finding = { code: 'ingest.malformed-tool', severity: 'error', path: `tools[${index}]`, args };
  if (name !== undefined) finding.tool = name;
  return finding;
}

/** Whether objects and arrays in `value` nest deeper than `max` (the tool itself is depth 1), walked without recursion. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  // Two parallel stacks rather than one of {value, depth} records: this walks every tool of a list.
  const values: unknown[] = [value];
  const depths: number[] = [1];
  while (values.length > 0) {
    const item = values.pop();
    const depth = depths.pop() as number;
    if (item === null || typeof item !== 'object') continue;
    if (depth > max) return true;
    const children = Array.isArray(item) ? (item as unknown[]) : Object.values(item as Record<string, unknown>);
    for (const child of children) {
      if (child === null || typeof child !== 'object') continue;
      values.push(child);
      depths.push(depth + 1);
    }
  }
  return false;
}

/** Why a raw tool cannot be kept, or undefined when it can. */
function rejectReason(raw: JsonObject): string | undefined {
  // First, so nothing below (hashing, classifying, storing) ever walks a definition crafted to overflow the stack.
  if (nestsDeeperThan(raw, MAX_TOOL_DEPTH)) return `definition is nested too deep (more than ${MAX_TOOL_DEPTH} levels)`;
  if (typeof raw.name !== 'string') return raw.name === undefined ? 'name is missing' : `name is ${typeOf(raw.name)}, not a string`;
  if (raw.name.trim() === '') return 'name is empty';
  if (raw.name.length > MAX_NAME_CHARS) return `name is longer than ${MAX_NAME_CHARS} characters`;
  if (raw.inputSchema !== undefined && !isRecord(raw.inputSchema)) return `inputSchema is ${typeOf(raw.inputSchema)}, not an object`;
  if (raw.outputSchema !== undefined && raw.outputSchema !== null && !isRecord(raw.outputSchema))
    return `outputSchema is ${typeOf(raw.outputSchema)}, not an object`;
  for (const field of ['title', 'description'] as const) {
    const value = raw[field];
    if (value !== undefined && value !== null && typeof value !== 'string') return `${field} is ${typeOf(value)}, not a string`;
  }
  if (raw.annotations !== undefined && raw.annotations !== null && !isRecord(raw.annotations))
    return `annotations is ${typeOf(raw.annotations)}, not an object`;
  return undefined;
}

/** Validates one tool that passed rejectReason, bounding its text and noting what we had to change. */
function normalise(raw: JsonObject, findings: Finding[]): ToolDefinition {
  const name = raw.name as string;
  let inputSchema: JsonObject;
  if (isRecord(raw.inputSchema)) {
    inputSchema = raw.inputSchema;
  } else {
    // The tool is still callable by a model, so keep it rather than hide it; say the schema was absent.
    inputSchema = { type: 'object' };
    findings.push({ code: 'ingest.missing-input-schema', severity: 'warning', tool: name, path: 'inputSchema', args: {} });
  }
  const tool: ToolDefinition = { name, inputSchema };
  if (typeof raw.title === 'string') tool.title = bound(raw.title, MAX_TITLE_CHARS, 'title', name, findings);
  if (typeof raw.description === 'string') tool.description = bound(raw.description, MAX_DESCRIPTION_CHARS, 'description', name, findings);
  if (isRecord(raw.outputSchema)) tool.outputSchema = raw.outputSchema;
  if (isRecord(raw.annotations)) {
    const annotations: ToolAnnotations = { ...raw.annotations };
    for (const hint of HINTS) {
      const value = annotations[hint];
      if (value === undefined || typeof value === 'boolean') continue;
      // A hint that is not a boolean says nothing reliable; drop it rather than guess.
      delete annotations[hint];
      findings.push({
        code: 'ingest.invalid-annotation',
        severity: 'warning',
        tool: name,
        path: `annotations.${hint}`,
        args: { hint, type: typeOf(value) },
      });
    }
    if (typeof annotations.title === 'string') annotations.title = bound(annotations.title, MAX_TITLE_CHARS, 'annotations.title', name, findings);
    tool.annotations = annotations;
  }
  return tool;
}

/** Validates each entry of a raw tool list; never throws. */
export function validateTools(raw: readonly unknown[]): LenientResult {
  const tools: ToolDefinition[] = [];
  const findings: Finding[] = [];
  const firstIndex = new Map<string, number>();
  const seenAt = (name: string, index: number): number | undefined => {
    const seen = firstIndex.get(name);
    if (seen === undefined) firstIndex.set(name, index);
    return seen;
  };
  raw.forEach((entry, index) => {
    const tool = validateEntry(entry, index, seenAt, findings);
    if (tool !== undefined) tools.push(tool);
  });
  return { tools, findings };
}

/**
 * One entry of a tool list, validated: the tool to keep, or undefined with a finding saying why not.
 * `seenAt` is asked once per kept tool, in list order: the index of the first kept tool of that name
 * when this one is not it, else undefined. Findings are appended in list order.
 */
export function validateEntry(
  entry: unknown,
  index: number,
  seenAt: (name: string, index: number) => number | undefined,
  findings: Finding[],
): ToolDefinition | undefined {
  if (!isRecord(entry)) {
    findings.push(malformed(index, `tool is ${typeOf(entry)}, not an object`));
    return undefined;
  }
  const reason = rejectReason(entry);
  if (reason !== undefined) {
    findings.push(malformed(index, reason, typeof entry.name === 'string' ? entry.name.slice(0, MAX_NAME_CHARS) : undefined));
    return undefined;
  }
  const name = entry.name as string;
  const seen = seenAt(name, index);
  if (seen !== undefined) {
    // A client routes one tool per name, but which one is the server's choice: every definition is kept
    // and classified, and the strictest decides the policy for the name.
    findings.push({ code: 'ingest.duplicate-tool', severity: 'error', tool: name, path: `tools[${index}]`, args: { index, firstIndex: seen } });
  }
  return normalise(entry, findings);
}

/** The name of an entry validateEntry keeps, else undefined: what a first pass over a streamed list needs. */
export function keptName(entry: unknown): string | undefined {
  return isRecord(entry) && rejectReason(entry) === undefined ? (entry.name as string) : undefined;
}
