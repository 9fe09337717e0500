// openWorldHint is the server's own claim that the tool reaches outside: a capability, low weight.
import { defineRule } from '../rule.js';

export default defineRule({
  meta: {
    id: 'annotation.open-world-hint',
    docs: 'openWorldHint: true says the tool reaches an open world of external entities (the web, other users).',
    confidence: 'low',
    capability: 'network-egress',
    version: 1,
  },
  check(view, ctx) {
    if (view.annotations?.openWorldHint === true) ctx.report({ path: 'annotations.openWorldHint', match: 'openWorldHint: true' });
  },
  cases: {
    fire: [{ tool: { name: 'fetch', annotations: { openWorldHint: true } }, report: { path: 'annotations.openWorldHint' } }],
    pass: [{ tool: { name: 'read_graph', annotations: { openWorldHint: false } } }],
  },
});
