// The reply contract: the JSON schema sent with each request, and validation of what comes back, tool by tool.
import { CATEGORIES, MANIPULATION_KINDS, RISKS } from '../model/index.js';
import type { Category, LlmOpinion, ManipulationKind, Risk } from '../model/index.js';
import { oneLine } from '../output/safe-text.js';

/** One tool's verdict as the model gave it, after validation: an LLM opinion without who gave it. */
export type ReplyVerdict = Pick<LlmOpinion, 'category' | 'risk' | 'capabilities' | 'signals' | 'rationale' | 'confidence' | 'manipulation'>;

export interface ParsedReply {
  /** Valid verdicts by request id (`t1`, …). */
  verdicts: Map<string, ReplyVerdict>;
  /** Why each requested id has no valid verdict. */
  problems: Map<string, string>;
}

const CATEGORY_VALUES = [...CATEGORIES, 'Unknown'] as const;
const RISK_VALUES = [...RISKS, 'Unknown'] as const;
const MAX_SIGNALS = 3;
const MAX_SIGNAL = 80;
const MAX_RATIONALE = 600;
/** The prompt asks for at most 200 characters; a longer quote is cut, and still has to be found in the text. */
const MAX_QUOTE = 240;
/** A reply larger than this is not read: no honest batch needs it. */
export const MAX_REPLY_CHARS = 200_000;

export const REPLY_SCHEMA_NAME = 'tool_classifications';

/**
 * The schema a prompt's replies follow: classify-tools@1 asks for no manipulation verdict, so its
 * schema does not require one (a strict endpoint would otherwise make the model invent it).
 */
export function replySchema(promptVersion: number): Record<string, unknown> {
  return promptVersion >= 2 ? REPLY_SCHEMA : REPLY_SCHEMA_V1;
}

/** Strict-mode compatible (every property required, no extra properties). */
export const REPLY_SCHEMA: Record<string, unknown> = {
  type: 'object',
  additionalProperties: false,
  required: ['tools'],
  properties: {
    tools: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'category', 'risk', 'capabilities', 'signals', 'rationale', 'confidence', 'manipulation'],
        properties: {
          id: { type: 'string' },
          category: { type: 'string', enum: [...CATEGORY_VALUES] },
          risk: { type: 'string', enum: [...RISK_VALUES] },
          capabilities: { type: 'array', items: { type: 'string' } },
          signals: { type: 'array', items: { type: 'string' } },
          rationale: { type: 'string' },
          confidence: { type: 'number' },
          manipulation: {
            type: 'object',
            additionalProperties: false,
            required: ['kind', 'quote'],
            properties: { kind: { type: 'string', enum: ['none', ...MANIPULATION_KINDS] }, quote: { type: 'string' } },
          },
        },
      },
    },
  },
};

const REPLY_SCHEMA_V1 = withoutManipulation(REPLY_SCHEMA);

function withoutManipulation(schema: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(schema) as { properties: { tools: { items: { required: string[]; properties: Record<string, unknown> } } } };
  const item = copy.properties.tools.items;
  item.required = item.required.filter((k) => k !== 'manipulation');
  delete item.properties['manipulation'];
  return copy as unknown as Record<string, unknown>;
}

/** Local models like to wrap JSON in a code fence or add a sentence; take the outermost object. */
function extractJson(text: string): unknown {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start === -1 || end <= start) throw new Error('no JSON object in the reply');
  return JSON.parse(text.slice(start, end + 1));
}

/**
 * Validates a reply against the ids that were asked for. A reply that is not JSON marks every id as a
 * problem; otherwise each entry stands or falls on its own, so one bad entry costs one tool, not the batch.
 */
export function parseReply(text: string, ids: readonly string[], capabilities: ReadonlySet<string>): ParsedReply {
  const verdicts = new Map<string, ReplyVerdict>();
  const problems = new Map<string, string>();
  const wanted = new Set(ids);
  const failAll = (why: string): ParsedReply => {
    for (const id of ids) problems.set(id, why);
    return { verdicts, problems };
  };
  if (text.length > MAX_REPLY_CHARS) return failAll(`reply too large (${text.length} characters)`);
  let data: unknown;
  try {
    data = extractJson(text);
  } catch (error) {
    return failAll(`reply is not valid JSON (${oneLine((error as Error).message, 120)})`);
  }
  const tools = (data as { tools?: unknown } | null)?.tools;
  if (!Array.isArray(tools)) return failAll('reply has no "tools" list');
  for (const entry of tools) {
    if (typeof entry !== 'object' || entry === null) continue;
    const e = entry as Record<string, unknown>;
    const id = typeof e.id === 'string' ? e.id : undefined;
    if (id === undefined || !wanted.has(id) || verdicts.has(id)) continue;
    const problem = check(e);
    if (problem) {
      problems.set(id, problem);
      continue;
    }
    problems.delete(id);
    verdicts.set(id, {
      category: e.category as Category,
      risk: e.risk as Risk,
      capabilities: [...new Set((e.capabilities as unknown[]).filter((c): c is string => typeof c === 'string' && capabilities.has(c)))],
      // Model output is shaped by hostile tool text too: one bounded line each, hidden characters gone.
      signals: (Array.isArray(e.signals) ? e.signals : [])
        .filter((s): s is string => typeof s === 'string')
        .map((s) => oneLine(s, MAX_SIGNAL))
        .filter((s) => s !== '')
        .slice(0, MAX_SIGNALS),
      rationale: oneLine(typeof e.rationale === 'string' ? e.rationale : '', MAX_RATIONALE),
      confidence: Math.max(0, Math.min(1, e.confidence as number)),
      ...manipulationOf(e.manipulation),
    });
  }
  for (const id of ids) if (!verdicts.has(id) && !problems.has(id)) problems.set(id, 'missing from the reply');
  return { verdicts, problems };
}

function check(e: Record<string, unknown>): string | undefined {
  if (!(CATEGORY_VALUES as readonly unknown[]).includes(e.category)) return `invalid category ${oneLine(String(e.category), 40)}`;
  if (!(RISK_VALUES as readonly unknown[]).includes(e.risk)) return `invalid risk ${oneLine(String(e.risk), 40)}`;
  if ((e.category === 'Unknown') !== (e.risk === 'Unknown')) return `category ${String(e.category)} with risk ${String(e.risk)}`;
  if (!Array.isArray(e.capabilities)) return 'capabilities is not a list';
  if (typeof e.confidence !== 'number' || !Number.isFinite(e.confidence)) return 'confidence is not a number';
  if (typeof e.rationale !== 'string') return 'rationale is not text';
  return undefined;
}

/**
 * The manipulation the model named, when it named one of the kinds with a quote. Absent, `none`, or
 * malformed (a reply to classify-tools@1 has none) is no verdict either way: the rules still decide.
 */
function manipulationOf(value: unknown): { manipulation?: { kind: ManipulationKind; quote: string } } {
  if (typeof value !== 'object' || value === null) return {};
  const { kind, quote } = value as { kind?: unknown; quote?: unknown };
  if (!(MANIPULATION_KINDS as readonly unknown[]).includes(kind) || typeof quote !== 'string') return {};
  // Invisible characters go (as the text they are compared with drops them), not replaced by spaces.
  const bounded = oneLine(quote, MAX_QUOTE, { hidden: 'drop' });
  return bounded === '' ? {} : { manipulation: { kind: kind as ManipulationKind, quote: bounded } };
}
