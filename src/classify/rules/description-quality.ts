// An empty or uninformative description is a risk signal: the effect must be guessed from the name alone.
import type { Rule } from '../rule.js';
import { bounded } from '../rule.js';
import type { ToolView } from '../view.js';

export type QualityProblem =
  | { code: 'quality.empty-description' }
  | { code: 'quality.uninformative-description'; reason: 'placeholder' | 'too-short' | 'restates-name'; words: number };

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

export const descriptionQualityRule: Rule = {
  meta: {
    id: 'quality.description',
    docs: 'Empty, placeholder, very short or name-restating descriptions raise risk one step and lower confidence; they never make a tool safe.',
    impact: 'medium',
    confidence: 'weak',
    modifier: 'undocumented',
    source: 'src/classify/rules/description-quality.ts',
  },
  check(view: ToolView, out) {
    const problem = describeQuality(view);
    if (!problem) return;
    out.push({
      rule: 'quality.description',
      path: 'description',
      match: problem.code === 'quality.empty-description' ? '(empty)' : bounded(view.description.trim()),
      modifier: { id: 'undocumented', delta: 1 },
    });
  },
  cases: {
    fire: [
      { tool: { name: 'cancel_job', description: '' } },
      { tool: { name: 'cancel_job' } },
      { tool: { name: 'cancel_job', description: 'cancel job' } },
      { tool: { name: 'do_thing', description: 'TODO' } },
    ],
    pass: [{ tool: { name: 'cancel-job', description: 'Cancel a Serverless job that is queued or in progress.' } }],
  },
};
