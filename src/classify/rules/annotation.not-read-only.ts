// readOnlyHint: false (or a destructiveHint: true) is the server saying the tool changes something.
import { defineRule } from '../rule.js';

export default defineRule({
  meta: {
    id: 'annotation.not-read-only',
    docs: 'readOnlyHint: false, or destructiveHint: true, is a server claim that the tool changes state: low-weight evidence against Read.',
    confidence: 'low',
    category: 'Write',
    version: 1,
  },
  check(view, ctx) {
    const a = view.annotations;
    if (a?.readOnlyHint === false) ctx.report({ path: 'annotations.readOnlyHint', match: 'readOnlyHint: false' });
    else if (a?.destructiveHint === true && a.readOnlyHint !== true) ctx.report({ path: 'annotations.destructiveHint', match: 'destructiveHint: true' });
  },
  cases: {
    fire: [
      { tool: { name: 'sync', annotations: { readOnlyHint: false } }, report: { path: 'annotations.readOnlyHint' } },
      { tool: { name: 'browser_click', annotations: { destructiveHint: true } }, report: { path: 'annotations.destructiveHint' } },
    ],
    pass: [{ tool: { name: 'echo', annotations: { readOnlyHint: true } } }, { tool: { name: 'echo' } }],
  },
});
