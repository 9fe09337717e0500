// destructiveHint is the server's own claim: low-weight evidence, never the verdict.
import { defineRule } from '../rule.js';

export default defineRule({
  meta: {
    id: 'annotation.destructive-hint',
    // Weaker than the "changes state" reading the same hint gives (annotation.not-read-only): one
    // well-known server sets it on every click, so alone it says Write, and only with other evidence Destructive.
    docs: 'destructiveHint: true (on a tool not marked read-only) is a server claim that the tool may destroy data; alone it is not enough for Destructive.',
    confidence: 'weak',
    category: 'Destructive',
    version: 2,
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
