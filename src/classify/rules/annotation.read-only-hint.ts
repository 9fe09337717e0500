// readOnlyHint is the server's own claim: low-weight evidence, never the verdict.
import { defineRule } from '../rule.js';

export default defineRule({
  meta: {
    id: 'annotation.read-only-hint',
    docs: 'readOnlyHint: true is a server claim that the tool only reads; low weight because servers get it wrong.',
    confidence: 'low',
    category: 'Read',
    version: 1,
  },
  check(view, ctx) {
    if (view.annotations?.readOnlyHint === true) ctx.report({ path: 'annotations.readOnlyHint', match: 'readOnlyHint: true' });
  },
  cases: {
    fire: [{ tool: { name: 'echo', annotations: { readOnlyHint: true } }, report: { path: 'annotations.readOnlyHint' } }],
    pass: [{ tool: { name: 'echo', annotations: { readOnlyHint: false } } }, { tool: { name: 'echo' } }],
  },
});
