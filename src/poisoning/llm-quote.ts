// The LLM second opinion's manipulation verdict, held to the tool's own text: a poisoning finding only
// where the words it quotes are there. A quote that is not (a paraphrase, a hallucination, text a hostile
// server talked the model into inventing) is dropped; the rules' findings stand either way.
import type { Finding, LlmOpinion, ToolDefinition } from '../model/index.js';
import type { ToolView } from '../classify/view.js';
import { POISONING_CODES, excerpt } from './analyse.js';
import { toolTextFields } from './fields.js';
import { readAs } from './hidden.js';

/** Shorter quotes are too common to pin on anything ("always", "the user"); ideographs carry more each. */
const MIN_QUOTE = 12;
const MIN_QUOTE_IDEOGRAPHIC = 5;
const IDEOGRAPHIC = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/;

// Left out of the comparison: invisible characters (the rules drop them too) and marks a model may
// change when it copies (quotation marks of any style).
// The zero-width joiner stands outside the brackets: inside, it would read as joined to its neighbour.
const SKIPPED = /[\u{E0000}-\u{E007F}\u200B\u200C\u2060\u180E\uFEFF\u202A-\u202E\u2066-\u2069\u00AD"'`«»‘’‚‛“”„‟‹›]|\u200D/u;
const DASHES = /[\u2010-\u2015\u2212]/;

/**
 * `text` as both sides are compared: look-alike letters read as the Latin ones they imitate, NFKC,
 * lowercase, dashes as `-`, whitespace runs as one space, invisible characters and quotation marks
 * out; with, for each character of the result, where it came from in `text`.
 */
function folded(text: string): { text: string; from: number[] } {
  let out = '';
  const from: number[] = [];
  let space = false;
  for (let i = 0; i < text.length;) {
    const cp = text.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    const at = i;
    i += ch.length;
    if (SKIPPED.test(ch)) continue;
    if (/\s/.test(ch)) {
      space = out.length > 0;
      continue;
    }
    if (space) {
      out += ' ';
      from.push(at);
      space = false;
    }
    const read = DASHES.test(ch) ? '-' : readAs(ch).toLowerCase();
    for (const c of read) {
      out += c;
      from.push(at);
    }
  }
  return { text: out, from };
}

/** The quote's pieces: the model may leave out a middle part with an ellipsis, or end on one. */
function pieces(quote: string): string[] {
  return quote
    .split(/…|\.{3}/)
    .map((p) => folded(p).text.trim())
    .filter((p) => p !== '');
}

export function llmManipulationFinding(definition: ToolDefinition, view: ToolView, opinion: LlmOpinion): Finding | undefined {
  const m = opinion.manipulation;
  if (opinion.status !== 'ok' || m === undefined) return undefined;
  const parts = pieces(m.quote);
  const length = parts.reduce((n, p) => n + p.length, 0);
  if (length < (IDEOGRAPHIC.test(m.quote) ? MIN_QUOTE_IDEOGRAPHIC : MIN_QUOTE)) return undefined;
  for (const f of toolTextFields(definition, view)) {
    const text = folded(f.text);
    // Each piece in order, within one field: a quote across two fields is not the model's copy of either.
    let start = -1;
    let end = 0;
    for (const p of parts) {
      const at = text.text.indexOf(p, end);
      if (at === -1) {
        start = -1;
        break;
      }
      if (start === -1) start = at;
      end = at + p.length;
    }
    if (start === -1) continue;
    // Positions and excerpt in the server's own text, as the rules' findings give them.
    const from = text.from[start]!;
    const lastAt = text.from[end - 1]!;
    const to = lastAt + String.fromCodePoint(f.text.codePointAt(lastAt)!).length;
    return {
      code: POISONING_CODES[m.kind],
      tool: definition.name,
      path: f.path,
      severity: 'warning',
      args: { rule: `llm:${opinion.model}`, match: excerpt(f.text.slice(from, to)), start: from, end: to },
    };
  }
  return undefined;
}
