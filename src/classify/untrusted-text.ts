// Findings for tool text that tries to steer a classifier or forge the LLM prompt's data fences.
import type { Finding, Severity, ToolDefinition } from '../model/index.js';
import { DataFileError, isRecord, readDataFile, stringList } from './data-files.js';

export type UntrustedTextKind = 'fence-forgery' | 'steering';

export interface UntrustedTextPattern {
  id: string;
  kind: UntrustedTextKind;
  pattern: RegExp;
  severity: Severity;
  fires: string[];
  quiet: string[];
}

const CODES: Record<UntrustedTextKind, string> = {
  'fence-forgery': 'untrusted.fence-forgery',
  steering: 'untrusted.steering',
};

/** Longest excerpt of server text a finding keeps. */
const EXCERPT = 80;
/** Strings longer than this are only searched in their first part: patterns are short and anchored in prose. */
const MAX_SCAN = 20_000;
/** Schemas are walked to this depth and this many strings, so a hostile schema cannot make the walk slow. */
const MAX_DEPTH = 12;
const MAX_STRINGS = 2_000;

let cached: UntrustedTextPattern[] | undefined;

export function loadUntrustedTextPatterns(): UntrustedTextPattern[] {
  cached ??= compilePatterns(readDataFile('untrusted-text.yaml'));
  return cached;
}

export function compilePatterns(raw: unknown): UntrustedTextPattern[] {
  const problems: string[] = [];
  const out: UntrustedTextPattern[] = [];
  if (!isRecord(raw)) throw new DataFileError('untrusted-text.yaml', ['top level is not a mapping']);
  for (const [key, kind] of [['fence_forgery', 'fence-forgery'], ['steering', 'steering']] as const) {
    for (const p of Array.isArray(raw[key]) ? raw[key] : []) {
      if (!isRecord(p) || typeof p.id !== 'string' || typeof p.pattern !== 'string') {
        problems.push(`${key}: every entry needs an id and a pattern`);
        continue;
      }
      let pattern: RegExp;
      try {
        pattern = new RegExp(p.pattern, 'i');
      } catch (error) {
        problems.push(`${p.id}: ${(error as Error).message}`);
        continue;
      }
      const severity = p.severity === 'info' || p.severity === 'error' ? p.severity : 'warning';
      out.push({ id: p.id, kind, pattern, severity, fires: stringList(p.fires), quiet: stringList(p.quiet) });
    }
  }
  if (problems.length > 0) throw new DataFileError('untrusted-text.yaml', problems);
  return out;
}

/** Every string of a definition with its field path: name, title, description, and all schema strings. */
function* strings(definition: ToolDefinition): Generator<[string, string]> {
  yield ['name', definition.name];
  if (definition.title !== undefined) yield ['title', definition.title];
  if (definition.description !== undefined) yield ['description', definition.description];
  let budget = MAX_STRINGS;
  function* walk(value: unknown, path: string, depth: number): Generator<[string, string]> {
    if (budget <= 0 || depth > MAX_DEPTH) return;
    if (typeof value === 'string') {
      budget -= 1;
      yield [path, value];
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) yield* walk(value[i], `${path}[${i}]`, depth + 1);
    } else if (isRecord(value)) {
      for (const [k, v] of Object.entries(value)) {
        budget -= 1;
        yield [`${path}.${k}`, k];
        yield* walk(v, `${path}.${k}`, depth + 1);
      }
    }
  }
  yield* walk(definition.inputSchema, 'inputSchema', 0);
  if (definition.outputSchema !== undefined) yield* walk(definition.outputSchema, 'outputSchema', 0);
  if (definition.annotations !== undefined) yield* walk(definition.annotations, 'annotations', 0);
}

/** One finding per pattern that matches, at the first field it matches in. */
export function untrustedTextFindings(definition: ToolDefinition, patterns = loadUntrustedTextPatterns()): Finding[] {
  const findings: Finding[] = [];
  const remaining = new Set(patterns);
  for (const [path, text] of strings(definition)) {
    if (remaining.size === 0) break;
    const head = text.length > MAX_SCAN ? text.slice(0, MAX_SCAN) : text;
    for (const p of remaining) {
      const m = p.pattern.exec(head);
      if (!m) continue;
      remaining.delete(p);
      findings.push({
        code: CODES[p.kind],
        severity: p.severity,
        tool: definition.name,
        path,
        args: { pattern: p.id, match: m[0].slice(0, EXCERPT) },
      });
    }
  }
  return findings;
}
