// The poisoning analyser: hidden content and the text rules over a set of fields, as poisoning.* findings.
import type { Finding, Severity } from '../model/index.js';
import type { TextField } from './fields.js';
import { hiddenContent, visibleText } from './hidden.js';
import type { HiddenKind } from './hidden.js';
import { anyRule, loadPoisoningRules, matchRule } from './rules.js';
import type { PoisoningKind, PoisoningRule } from './rules.js';

/** Longest excerpt of server text a finding keeps (it is escaped wherever it is shown). */
const EXCERPT = 160;
const SEP = '\n.\n';

export const POISONING_CODES = {
  instructions: 'poisoning.instructions',
  concealment: 'poisoning.concealment',
  'sensitive-data': 'poisoning.sensitive-data',
  exfiltration: 'poisoning.exfiltration',
  shadowing: 'poisoning.shadowing',
  preference: 'poisoning.preference',
  overt: 'poisoning.overt',
} as const satisfies Record<PoisoningKind, `poisoning.${string}`>;

const excerpt = (text: string): string => (text.length > EXCERPT ? `${text.slice(0, EXCERPT - 1)}…` : text);

interface ReadField {
  path: string;
  text: string;
  /** Set for a payload decoded from hidden content: where it was hidden. */
  decodedFrom?: 'unicode-tags' | 'encoded-text' | 'whitespace-run';
}

/**
 * Findings over `fields` (one tool's, or a server's own). Hidden content is reported once per kind
 * with its decoded text; the decoded text is then read by the rules like any other field. Each rule
 * reports once, at the first field it matches.
 */
export function poisoningFindings(fields: readonly TextField[], tool?: string, rules: readonly PoisoningRule[] = loadPoisoningRules()): Finding[] {
  const findings: Finding[] = [];
  const where = (path: string, severity: Severity): { tool?: string; path: string; severity: Severity } => ({
    ...(tool !== undefined && { tool }),
    path,
    severity,
  });
  const read: ReadField[] = [];
  const seenHidden = new Map<HiddenKind, Finding>();
  for (const f of fields) {
    for (const hit of hiddenContent(f.text)) {
      const known = seenHidden.get(hit.kind);
      if (known !== undefined && known.code === 'poisoning.hidden') {
        known.args.count += 1;
        continue;
      }
      const made: Finding = {
        code: 'poisoning.hidden',
        ...where(f.path, hit.severity),
        args: { kind: hit.kind, decoded: excerpt(hit.decoded), start: hit.start, end: hit.end, count: 1 },
      };
      seenHidden.set(hit.kind, made);
      findings.push(made);
      if (hit.kind === 'unicode-tags' || hit.kind === 'encoded-text' || hit.kind === 'whitespace-run')
        read.push({ path: f.path, text: hit.decoded, decodedFrom: hit.kind });
    }
    read.push({ path: f.path, text: f.name ? f.text.replace(/[_-]+/g, ' ') : visibleText(f.text) });
  }
  // One pass over everything rejects nearly every clean tool.
  if (!anyRule(rules).test(read.map((f) => f.text).join(SEP))) return findings;
  for (const rule of rules) {
    for (const f of read) {
      const m = matchRule(rule, f.text);
      if (m === undefined) continue;
      findings.push({
        code: POISONING_CODES[rule.kind],
        ...where(f.path, rule.severity),
        args: { rule: rule.id, match: excerpt(m.text), start: m.index, end: m.index + m.text.length, ...(f.decodedFrom !== undefined && { decodedFrom: f.decodedFrom }) },
      });
      // Encoded text that carries an attack is not a curiosity: it is hidden on purpose.
      if (f.decodedFrom === 'encoded-text') {
        const hidden = seenHidden.get('encoded-text');
        if (hidden) hidden.severity = 'error';
      }
      break;
    }
  }
  return findings;
}

/** A poisoning finding's weight at the gate: error counts as High, warning as Medium. */
export function isPoisoning(f: Finding): boolean {
  return f.code.startsWith('poisoning.');
}
