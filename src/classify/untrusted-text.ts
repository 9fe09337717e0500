// Findings for tool text that tries to steer a classifier or forge the LLM prompt's data fences.
import type { Finding, Severity, ToolDefinition } from '../model/index.js';
import { DataFileError, isRecord, readDataFile, stringList } from './data-files.js';
import { buildView } from './view.js';
import { UNTRUSTED_WAKEABLES } from '../poisoning/scan.js';
import type { ToolView } from './view.js';

export type UntrustedTextKind = 'fence-forgery' | 'steering';

export interface UntrustedTextPattern {
  id: string;
  kind: UntrustedTextKind;
  pattern: RegExp;
  severity: Severity;
  /** The same pattern for lowercased text, without the slower case-insensitive flag. */
  lower: RegExp;
  /** Words of which every match holds one: a tool without any is not searched (src/poisoning/tool-scan.ts). */
  triggers: string[];
  /** Texts it must match, must not match, and should match but does not yet. */
  fire: string[];
  pass: string[];
  todo: string[];
}

const CODES: Record<UntrustedTextKind, 'untrusted.fence-forgery' | 'untrusted.steering'> = {
  'fence-forgery': 'untrusted.fence-forgery',
  steering: 'untrusted.steering',
};

const PATTERN_KEYS = new Set(['id', 'pattern', 'severity', 'triggers', 'fire', 'pass', 'todo']);
const SEVERITIES: readonly Severity[] = ['info', 'warning', 'error'];

/** Longest excerpt of server text a finding keeps. */
const EXCERPT = 80;
/** Strings longer than this are only searched in their first part: patterns are short and anchored in prose. */
const MAX_SCAN = 20_000;

let cached: UntrustedTextPattern[] | undefined;

export function loadUntrustedTextPatterns(): UntrustedTextPattern[] {
  cached ??= compilePatterns(readDataFile('untrusted-text.yaml'));
  return cached;
}

export function compilePatterns(raw: unknown): UntrustedTextPattern[] {
  const problems: string[] = [];
  const out: UntrustedTextPattern[] = [];
  if (!isRecord(raw)) throw new DataFileError('untrusted-text.yaml', ['top level is not a mapping']);
  for (const [key, kind] of [
    ['fence_forgery', 'fence-forgery'],
    ['steering', 'steering'],
  ] as const) {
    for (const p of Array.isArray(raw[key]) ? raw[key] : []) {
      if (!isRecord(p) || typeof p.id !== 'string' || typeof p.pattern !== 'string') {
        problems.push(`${key}: every entry needs an id and a pattern`);
        continue;
      }
      for (const k of Object.keys(p)) if (!PATTERN_KEYS.has(k)) problems.push(`${p.id}: unknown key ${k}`);
      if (p.severity !== undefined && !SEVERITIES.includes(p.severity as Severity)) problems.push(`${p.id}: severity must be one of ${SEVERITIES.join(', ')}`);
      let pattern: RegExp;
      try {
        pattern = new RegExp(p.pattern, 'i');
      } catch (error) {
        problems.push(`${p.id}: ${(error as Error).message}`);
        continue;
      }
      const triggers = stringList(p.triggers);
      if (triggers.length === 0) problems.push(`${p.id}: needs triggers, the words every match holds one of`);
      for (const t of triggers) if (!/^[a-z0-9]+$/.test(t)) problems.push(`${p.id}: trigger ${JSON.stringify(t)} is not one lowercase word`);
      const severity = (p.severity as Severity | undefined) ?? 'warning';
      // An upper-case escape (\S, \W, ...) would change meaning when lowercased: such a pattern keeps its flag.
      const lower = /\\[A-Z]/.test(pattern.source) ? pattern : new RegExp(pattern.source.toLowerCase());
      out.push({ id: p.id, kind, pattern, severity, lower, triggers, fire: stringList(p.fire), pass: stringList(p.pass), todo: stringList(p.todo) });
    }
  }
  if (out.length > UNTRUSTED_WAKEABLES) problems.push(`${out.length} patterns: the shared word scan has room for ${UNTRUSTED_WAKEABLES}`);
  if (problems.length > 0) throw new DataFileError('untrusted-text.yaml', problems);
  return out;
}

/**
 * One finding per pattern that matches, at the first field it matches in: the name, title and
 * description, then each parameter's name, description, enum values and default, as the rules see
 * them (`ToolView`: nested parameters included, bounded in depth and count). These are the fields
 * written as prose for a reader or a model. `woken`, from the scan of the tool's text that
 * classifyTool shares with the poisoning analyser, says which patterns' trigger words the tool holds:
 * only those are tried. Without it, one combined expression rejects most tools in one pass.
 */
export function untrustedTextFindings(
  definition: ToolDefinition,
  view: ToolView = buildView(definition),
  patterns = loadUntrustedTextPatterns(),
  woken?: (pattern: number) => boolean,
): Finding[] {
  if (woken !== undefined && !patterns.some((_, i) => woken(i))) return [];
  // All fields in one lowercased text; "." between fields stops a pattern from spanning two of them.
  let all = definition.name;
  if (definition.title) all += SEP + bounded(definition.title);
  if (definition.description) all += SEP + bounded(definition.description);
  for (const param of view.params) {
    all += SEP + param.name + SEP + param.description;
    if (param.enumValues) for (const v of param.enumValues) all += SEP + bounded(v);
    if (typeof param.defaultValue === 'string') all += SEP + bounded(param.defaultValue);
  }
  all = all.toLowerCase();
  // One combined expression rejects nearly every tool in a single pass; only a tool it matches is
  // checked pattern by pattern.
  if (woken === undefined && !anyOf(patterns).test(all)) return [];
  const hits = patterns.filter((p, i) => (woken === undefined || woken(i)) && p.lower.test(all));
  // Rare: only now list the fields with their paths, to say where each pattern matched first.
  const fields: Array<[string, string]> = [['name', definition.name]];
  if (definition.title) fields.push(['title', definition.title]);
  if (definition.description) fields.push(['description', definition.description]);
  for (const param of view.params) {
    fields.push([param.path, param.name], [`${param.path}.description`, param.description]);
    param.enumValues?.forEach((v, i) => fields.push([`${param.path}.enum[${i}]`, v]));
    if (typeof param.defaultValue === 'string') fields.push([`${param.path}.default`, param.defaultValue]);
  }
  const findings: Finding[] = [];
  for (const p of hits) {
    for (const [path, text] of fields) {
      const m = p.pattern.exec(bounded(text));
      if (!m) continue;
      findings.push({ code: CODES[p.kind], severity: p.severity, tool: definition.name, path, args: { pattern: p.id, match: m[0].slice(0, EXCERPT) } });
      break;
    }
  }
  return findings;
}

const SEP = '\n.\n';

const combined = new WeakMap<readonly UntrustedTextPattern[], RegExp>();
function anyOf(patterns: readonly UntrustedTextPattern[]): RegExp {
  let re = combined.get(patterns);
  if (!re) {
    re = new RegExp(patterns.map((p) => `(?:${p.lower.source})`).join('|'), patterns.some((p) => p.lower.flags.includes('i')) ? 'i' : '');
    combined.set(patterns, re);
  }
  return re;
}

function bounded(text: string): string {
  return text.length > MAX_SCAN ? text.slice(0, MAX_SCAN) : text;
}

/**
 * The same patterns over what a server says about itself: its `instructions` (which a client hands to
 * the model as context) and its serverInfo name and title. Scan-level findings, with no tool.
 */
export function serverTextFindings(
  server: { instructions?: string; serverInfo?: { name?: string; title?: string } },
  patterns = loadUntrustedTextPatterns(),
): Finding[] {
  const fields: Array<[string, string]> = [];
  if (server.instructions) fields.push(['instructions', server.instructions]);
  if (server.serverInfo?.name) fields.push(['serverInfo.name', server.serverInfo.name]);
  if (server.serverInfo?.title) fields.push(['serverInfo.title', server.serverInfo.title]);
  const findings: Finding[] = [];
  for (const p of patterns) {
    for (const [path, text] of fields) {
      const m = p.pattern.exec(bounded(text));
      if (!m) continue;
      findings.push({ code: CODES[p.kind], severity: p.severity, path, args: { pattern: p.id, match: m[0].slice(0, EXCERPT) } });
      break;
    }
  }
  return findings;
}
