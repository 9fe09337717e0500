// MCP annotations are the server's own hints: they count as (low-weight) evidence, never as the verdict.
import type { Rule } from '../rule.js';

export const readOnlyHintRule: Rule = {
  meta: {
    id: 'annotation.read-only-hint',
    docs: 'readOnlyHint: true is a server claim that the tool only reads; low weight because servers get it wrong.',
    impact: 'low',
    confidence: 'low',
    category: 'Read',
    source: 'src/classify/rules/annotations.ts',
  },
  check(view, out) {
    if (view.annotations?.readOnlyHint === true) {
      out.push({ rule: 'annotation.read-only-hint', path: 'annotations.readOnlyHint', match: 'readOnlyHint: true', category: 'Read' });
    }
  },
  cases: {
    fire: [{ tool: { name: 'echo', annotations: { readOnlyHint: true } } }],
    pass: [{ tool: { name: 'echo', annotations: { readOnlyHint: false } } }, { tool: { name: 'echo' } }],
  },
};

export const destructiveHintRule: Rule = {
  meta: {
    id: 'annotation.destructive-hint',
    docs: 'destructiveHint: true (on a tool not marked read-only) is a server claim that the tool may destroy data.',
    impact: 'medium',
    confidence: 'low',
    category: 'Destructive',
    source: 'src/classify/rules/annotations.ts',
  },
  check(view, out) {
    const a = view.annotations;
    if (a?.destructiveHint === true && a.readOnlyHint !== true) {
      out.push({ rule: 'annotation.destructive-hint', path: 'annotations.destructiveHint', match: 'destructiveHint: true', category: 'Destructive' });
    }
  },
  cases: {
    fire: [{ tool: { name: 'delete_entities', annotations: { readOnlyHint: false, destructiveHint: true } } }],
    pass: [
      { tool: { name: 'create_entities', annotations: { destructiveHint: false } } },
      { tool: { name: 'read_graph', annotations: { readOnlyHint: true, destructiveHint: true } }, note: 'destructiveHint is meaningless when readOnlyHint is true (MCP spec)' },
    ],
  },
};

export const openWorldHintRule: Rule = {
  meta: {
    id: 'annotation.open-world-hint',
    docs: 'openWorldHint: true says the tool reaches an open world of external entities (the web, other users).',
    impact: 'low',
    confidence: 'low',
    capability: 'network-egress',
    source: 'src/classify/rules/annotations.ts',
  },
  check(view, out) {
    if (view.annotations?.openWorldHint === true) {
      out.push({ rule: 'annotation.open-world-hint', path: 'annotations.openWorldHint', match: 'openWorldHint: true', capability: 'network-egress' });
    }
  },
  cases: {
    fire: [{ tool: { name: 'fetch', annotations: { openWorldHint: true } } }],
    pass: [{ tool: { name: 'read_graph', annotations: { openWorldHint: false } } }],
  },
};
