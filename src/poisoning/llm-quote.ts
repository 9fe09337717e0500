// The LLM second opinion's manipulation verdict, held to the tool's own text: a poisoning finding only
// where the words it quotes are there. A quote that is not (a paraphrase, a hallucination, text a hostile
// server talked the model into inventing) is dropped; the rules' findings stand either way.
import type { Finding, LlmOpinion, ToolDefinition } from '../model/index.js';
import type { ToolView } from '../classify/view.js';
import { POISONING_CODES, excerpt } from './analyse.js';
import { toolTextFields } from './fields.js';
import { visibleText } from './hidden.js';

/** Shorter quotes are too common to pin on anything ("always", "the user"). */
const MIN_QUOTE = 12;

/** Lowercase, invisible characters out, whitespace runs one space: the form both sides are compared in. */
const normal = (text: string): string => visibleText(text).replace(/\s+/g, ' ').trim().toLowerCase();

export function llmManipulationFinding(definition: ToolDefinition, view: ToolView, opinion: LlmOpinion): Finding | undefined {
  const m = opinion.manipulation;
  if (opinion.status !== 'ok' || m === undefined) return undefined;
  // The model may wrap its quote in quotation marks or end it with an ellipsis.
  const quote = normal(m.quote.replace(/^["'“‘«]+|["'”’»]+$|…$/g, ''));
  if (quote.length < MIN_QUOTE) return undefined;
  for (const f of toolTextFields(definition, view)) {
    const text = normal(f.text);
    const start = text.indexOf(quote);
    if (start === -1) continue;
    return {
      code: POISONING_CODES[m.kind],
      tool: definition.name,
      path: f.path,
      severity: 'warning',
      args: { rule: `llm:${opinion.model}`, match: excerpt(text.slice(start, start + quote.length)), start, end: start + quote.length },
    };
  }
  return undefined;
}
