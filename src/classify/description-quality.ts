// An empty or uninformative description is a risk signal: the effect must be guessed from the name alone.
import type { ToolView } from './view.js';

export type QualityProblem =
  { code: 'quality.empty-description' } | { code: 'quality.uninformative-description'; reason: 'placeholder' | 'too-short' | 'restates-name'; words: number };

const PLACEHOLDER = /^(?:todo|tbd|fixme|n\/?a|none|null|undefined|description|placeholder|xxx|-+|\.+|\?+)\.?$/i;
const WORD = /[A-Za-z0-9]+/g;

/** Shared with the findings step, so the evidence and the finding always agree (memoised on the view). */
export function describeQuality(view: ToolView): QualityProblem | undefined {
  if (view.quality === undefined) view.quality = computeQuality(view) ?? null;
  return (view.quality as QualityProblem | null) ?? undefined;
}

function computeQuality(view: ToolView): QualityProblem | undefined {
  const text = view.description.trim();
  if (text === '') return { code: 'quality.empty-description' };
  if (PLACEHOLDER.test(text)) return { code: 'quality.uninformative-description', reason: 'placeholder', words: 1 };
  // A long description cannot merely restate a short name; skip the word split for it.
  if (text.length > 120) return undefined;
  const words = (text.match(WORD) ?? []).map((w) => w.toLowerCase());
  if (words.length < 3) return { code: 'quality.uninformative-description', reason: 'too-short', words: words.length };
  const nameWords = new Set([...view.strippedPrefix, ...view.nameWords]);
  const extra = words.filter((w) => !nameWords.has(w) && w !== 'a' && w !== 'an' && w !== 'the');
  if (extra.length === 0) return { code: 'quality.uninformative-description', reason: 'restates-name', words: words.length };
  return undefined;
}
