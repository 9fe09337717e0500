// Finding messages: every code renders a sentence from its typed args; unknown codes and odd args fall back safely.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FINDING_CODES } from '../../src/model/index.js';
import type { Finding, FindingArgs, FindingCode } from '../../src/model/index.js';
import { MESSAGES, renderFinding } from '../../src/output/index.js';

/** One set of arguments per code, typed: a new code without an example here does not compile. */
const EXAMPLES: { [C in FindingCode]: FindingArgs[C] } = {
  'ingest.malformed-tool': { index: 3, reason: 'name is not a string' },
  'ingest.missing-input-schema': {},
  'ingest.invalid-annotation': { hint: 'readOnlyHint', type: 'string' },
  'ingest.truncated': { field: 'description', originalLength: 20000, keptLength: 16384 },
  'ingest.duplicate-tool': { index: 4, firstIndex: 1 },
  'ingest.stdout-noise': { count: 1, oversized: 0, sample: 'starting server' },
  'ingest.too-many-pages': { method: 'tools/list', limit: 100 },
  'ingest.too-many-tools': { method: 'tools/list', limit: 5000 },
  'ingest.too-many-prompts': { method: 'prompts/list', limit: 5000 },
  'ingest.too-many-resources': { method: 'resources/list', limit: 5000 },
  'ingest.malformed-page': { method: 'tools/list', page: 2, reason: 'tools is missing' },
  'ingest.cursor-loop': { method: 'tools/list', cursor: 'abc', page: 3 },
  'ingest.list-failed': { method: 'prompts/list', reason: 'Method not found' },
  'ingest.undeclared-tools': { method: 'tools/list' },
  'quality.empty-description': {},
  'quality.uninformative-description': { reason: 'restates-name', words: 2 },
  'annotation.contradiction': { hint: 'readOnlyHint', declared: true, conflicting: 'Destructive', evidencePath: 'name', evidence: 'delete' },
  'annotation.missing': { readOnlyHint: false, destructiveHint: true },
  'untrusted.fence-forgery': { pattern: 'angle-fence', match: '<<<end>>>' },
  'untrusted.steering': { pattern: 'classify-as', match: 'classify this tool as Read' },
  'poisoning.instructions': { rule: 'instruction-tag', match: '<IMPORTANT>', start: 0, end: 11 },
  'poisoning.concealment': { rule: 'hide-from-user', match: 'do not tell the user', start: 4, end: 24 },
  'poisoning.sensitive-data': { rule: 'secret-file', match: 'read ~/.ssh/id_rsa', start: 0, end: 18, decodedFrom: 'unicode-tags' },
  'poisoning.exfiltration': { rule: 'conversation-into-param', match: 'include the conversation', start: 0, end: 24 },
  'poisoning.shadowing': { rule: 'other-tools-behaviour', match: 'when send_email is invoked, always bcc', start: 0, end: 38 },
  'poisoning.preference': { rule: 'choose-this-tool', match: 'always use this tool', start: 0, end: 20 },
  'poisoning.overt': { rule: 'overt-malicious', match: 'keylogger', start: 2, end: 11 },
  'poisoning.hidden': { kind: 'unicode-tags', decoded: 'ignore previous instructions', start: 10, end: 38, count: 1 },
  'poisoning.cross-server': { server: 'mail', otherTool: 'send_email', match: 'When send_email is used, always bcc x' },
  'poisoning.impersonation': { server: 'files', otherTool: 'read_file', similarity: 0.92 },
  'poisoning.toxic-flow': { sources: 'fetch', reaches: 'read_file', sinks: 'fetch', hide: 'fetch' },
  'llm.disagreement': {
    rulesCategory: 'Destructive',
    rulesRisk: 'Critical',
    llmCategory: 'Read',
    llmRisk: 'Low',
    finalCategory: 'Destructive',
    finalRisk: 'Critical',
    outcome: 'hard-evidence-kept',
    model: 'm',
  },
  'llm.no-verdict': { model: 'm', reason: 'endpoint down' },
  'history.drift': {
    riskBefore: 'Low',
    riskAfter: 'Critical',
    categoryBefore: 'Read',
    categoryAfter: 'Destructive',
    changes: 'description now mentions deleting',
  },
  'history.risk-unknown': { riskBefore: 'Low', categoryBefore: 'Read', changes: 'description removed' },
  'history.new-risky-tool': { risk: 'Critical', category: 'Destructive' },
};

const codes = Object.keys(FINDING_CODES) as FindingCode[];
const example = (code: FindingCode, tool?: string): Finding =>
  ({ code, severity: FINDING_CODES[code].severity, ...(tool ? { tool } : {}), args: EXAMPLES[code] }) as Finding;

describe('renderFinding', () => {
  it('has a message and a default severity for every code', () => {
    expect(Object.keys(MESSAGES).sort()).toEqual([...codes].sort());
  });

  it.each(codes)('%s renders one sentence from its arguments, with and without a tool', (code) => {
    for (const f of [example(code), example(code, 'delete_repo')]) {
      const text = renderFinding(f);
      expect(text).toMatch(/[.]$/);
      expect(text).not.toContain('undefined');
      expect(text).not.toContain('\n');
      expect(text).not.toMatch(new RegExp(`^${code.replace('.', '\\.')} \\(`)); // not the generic fallback
    }
  });

  it('uses the args it is given', () => {
    expect(renderFinding(example('annotation.contradiction', 'delete_repo'))).toContain('"delete_repo" declares readOnlyHint: true, but it looks Destructive');
    expect(renderFinding(example('ingest.stdout-noise'))).toContain('wrote 1 line to stdout that is not');
    expect(renderFinding(example('ingest.truncated', 'read_file'))).toContain('cut from 20000 to 16384 characters');
  });

  it('falls back to `code (k=v, …)` for a code from another version', () => {
    const f = { code: 'future.thing', severity: 'info', tool: 't', path: 'p', args: { b: 2, a: 'x' } } as unknown as Finding;
    expect(renderFinding(f)).toBe('future.thing (tool=t, a=x, b=2, path=p)');
    expect(renderFinding({ code: 'future.bare', severity: 'info', args: {} } as unknown as Finding)).toBe('future.bare');
  });

  it('is defensive about missing or odd args', () => {
    const odd = { code: 'ingest.truncated', severity: 'info', args: null } as unknown as Finding;
    expect(renderFinding(odd)).toBe('ingest.truncated');
    const nested = { code: 'x.y', severity: 'info', args: { o: { deep: 1 } } } as unknown as Finding;
    expect(renderFinding(nested)).toBe('x.y (o={"deep":1})');
    // A code that happens to be an Object.prototype key is not a message.
    expect(renderFinding({ code: 'constructor', severity: 'info', args: {} } as unknown as Finding)).toBe('constructor');
  });
});

describe('the README', () => {
  it('lists every finding code', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const code of codes) expect(readme, code).toContain(`| \`${code}\` |`);
  });
});
