// Loads a versioned prompt file from prompts/ and fills it: the taxonomy from data/taxonomy.yaml, the batch as fenced data.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { loadTaxonomy } from '../classify/index.js';
import type { Taxonomy } from '../classify/index.js';
import { McpRiskError } from '../model/index.js';

export const DEFAULT_PROMPT = 'classify-tools@2';

export interface PromptTemplate {
  id: string;
  version: number;
  /** `id@version`, recorded with every verdict and part of the cache key. */
  ref: string;
  /** SHA-256 of the file, so a test can hold a shipped version to its bytes. */
  sha256: string;
  /** The system message, taxonomy filled in; the same for every request with this prompt. */
  system: string;
  /** The user message with {{tool_count}}, {{nonce}}, {{server}} and {{tools}} still open. */
  user: string;
}

const SYSTEM_MARK = '<!-- system -->';
const USER_MARK = '<!-- user -->';

/** Reads `prompts/<id>.v<version>.md` from the package, e.g. `classify-tools@1`. */
export function loadPrompt(ref: string = DEFAULT_PROMPT, taxonomy: Taxonomy = loadTaxonomy()): PromptTemplate {
  const m = /^([a-z0-9-]+)@(\d+)$/.exec(ref);
  if (!m) throw new McpRiskError('USAGE', `a prompt is named id@version (e.g. ${DEFAULT_PROMPT}), got '${ref}'`);
  const [, id, version] = m as unknown as [string, string, string];
  let text: string;
  try {
    text = readFileSync(new URL(`../../prompts/${id}.v${version}.md`, import.meta.url), 'utf8');
  } catch {
    throw new McpRiskError('INPUT_NOT_FOUND', `there is no prompt ${ref} (prompts/${id}.v${version}.md)`);
  }
  return compilePrompt(text, taxonomy);
}

export function compilePrompt(text: string, taxonomy: Taxonomy): PromptTemplate {
  const front = /^---\n([\s\S]*?)\n---\n/.exec(text);
  if (!front) throw new Error('prompt file has no front matter');
  const meta = parse(front[1]!) as { id?: unknown; version?: unknown; placeholders?: { system?: string[]; user?: string[] } };
  if (typeof meta.id !== 'string' || typeof meta.version !== 'number') throw new Error('prompt front matter needs id and version');
  const body = text.slice(front[0].length);
  const s = body.indexOf(SYSTEM_MARK);
  const u = body.indexOf(USER_MARK);
  if (s === -1 || u === -1 || u < s) throw new Error(`prompt needs ${SYSTEM_MARK} then ${USER_MARK}`);
  const systemTemplate = body.slice(s + SYSTEM_MARK.length, u).trim();
  const user = body.slice(u + USER_MARK.length).trim();
  const declared = [...(meta.placeholders?.system ?? []), ...(meta.placeholders?.user ?? [])];
  for (const name of placeholdersIn(systemTemplate + user)) {
    if (!declared.includes(name)) throw new Error(`prompt uses {{${name}}} but does not declare it`);
  }
  const system = fill(systemTemplate, taxonomyValues(taxonomy));
  return {
    id: meta.id,
    version: meta.version,
    ref: `${meta.id}@${meta.version}`,
    sha256: createHash('sha256').update(text).digest('hex'),
    system,
    user,
  };
}

function placeholdersIn(text: string): string[] {
  return [...text.matchAll(/\{\{([a-z_]+)\}\}/g)].map((m) => m[1]!);
}

/** Replaces {{name}}; a placeholder without a value is a bug, not something to send to a model. */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{([a-z_]+)\}\}/g, (_, name: string) => {
    const v = values[name];
    if (v === undefined) throw new Error(`prompt placeholder {{${name}}} has no value`);
    return v;
  });
}

/** The taxonomy in the words of data/taxonomy.yaml: defined once, never retyped into a prompt. */
function taxonomyValues(t: Taxonomy): Record<string, string> {
  const categories = t.categoryOrder.map((id) => {
    const c = t.categories.get(id)!;
    const lines = [`- **${c.id}** (default risk ${c.defaultRisk}): ${c.means} ${c.description}`];
    if (c.examples.length > 0) lines.push(`  - Qualifies: ${c.examples.map((e) => `\`${e}\``).join('; ')}`);
    if (c.notExamples.length > 0) lines.push(`  - Do not flag as ${c.id}: ${c.notExamples.map((e) => `\`${e}\``).join('; ')}`);
    return lines.join('\n');
  });
  const modifiers = [...t.modifiers.values()].map(
    (m) => `- ${m.delta > 0 ? 'raise' : 'lower'} one level: ${m.means}${m.appliesTo.length > 0 ? ` (for ${m.appliesTo.join(', ')})` : ''}`,
  );
  const capabilities = [...t.capabilities.values()].map((c) => `- \`${c.id}\`: ${c.means}`);
  return {
    taxonomy_version: t.version,
    categories: categories.join('\n'),
    risk_levels: t.riskLevels.join(', '),
    modifiers: modifiers.join('\n'),
    capabilities: capabilities.join('\n'),
    unknown_means: t.unknownMeans.trim(),
  };
}
