// An empty or uninformative description is a risk signal: the effect must be guessed from the name alone.
import { defineRule } from '../rule.js';
import { describeQuality } from '../description-quality.js';

export default defineRule({
  meta: {
    id: 'quality.description',
    docs: 'Empty, placeholder, very short or name-restating descriptions raise risk one step and lower confidence; they never make a tool safe.',
    confidence: 'weak',
    modifier: 'undocumented',
    version: 1,
  },
  check(view, ctx) {
    const problem = describeQuality(view);
    if (problem) ctx.report({ path: 'description', match: problem.code === 'quality.empty-description' ? '(empty)' : view.description.trim() });
  },
  cases: {
    fire: [
      { tool: { name: 'cancel_job', description: '' }, report: { path: 'description' } },
      { tool: { name: 'cancel_job' }, report: { path: 'description' } },
      { tool: { name: 'cancel_job', description: 'cancel job' }, report: { path: 'description' } },
      { tool: { name: 'do_thing', description: 'TODO' }, report: { path: 'description' } },
    ],
    pass: [{ tool: { name: 'cancel-job', description: 'Cancel a Serverless job that is queued or in progress.' } }],
  },
});
