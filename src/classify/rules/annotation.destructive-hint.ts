// destructiveHint is the server's own claim: low-weight evidence, never the verdict.
import { defineRule } from '../rule.js';

export default defineRule({
  meta: {
    id: 'annotation.destructive-hint',
    docs: 'destructiveHint: true (on a tool not marked read-only) is a server claim that the tool may destroy data.',
    confidence: 'low',
    category: 'Destructive',
    version: 1,
  },
  check(view, ctx) {
    const a = view.annotations;
    if (a?.destructiveHint === true && a.readOnlyHint !== true) ctx.report({ path: 'annotations.destructiveHint', match: 'destructiveHint: true' });
  },
  cases: {
    fire: [
      {
        tool: { name: 'delete_entities', annotations: { readOnlyHint: false, destructiveHint: true } },
        report: { path: 'annotations.destructiveHint' },
      },
    ],
    pass: [
      { tool: { name: 'create_entities', annotations: { destructiveHint: false } } },
      {
        tool: { name: 'read_graph', annotations: { readOnlyHint: true, destructiveHint: true } },
        note: 'destructiveHint is meaningless when readOnlyHint is true (MCP spec)',
      },
    ],
  },
});
