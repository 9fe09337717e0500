// A finding is data: a stable code, typed arguments and a path. Wording lives in output/findings.ts.
import type { Category, Risk } from './classification.js';

export type Severity = 'info' | 'warning' | 'error';

/** Arguments per finding code. Values are plain JSON scalars: findings are stored as JSON and rendered later. */
export interface FindingArgs {
  'ingest.malformed-tool': { index: number; reason: string; name?: string };
  'ingest.missing-input-schema': Record<string, never>;
  'ingest.invalid-annotation': { hint: string; type: string };
  'ingest.truncated': { field: string; originalLength: number; keptLength: number };
  'ingest.duplicate-tool': { index: number; firstIndex: number };
  'ingest.stdout-noise': { count: number; oversized: number; sample: string };
  'ingest.too-many-pages': { method: string; limit: number };
  'ingest.too-many-tools': { method: string; limit: number };
  'ingest.too-many-prompts': { method: string; limit: number };
  'ingest.too-many-resources': { method: string; limit: number };
  'ingest.malformed-page': { method: string; page: number; reason: string };
  'ingest.cursor-loop': { method: string; cursor: string; page: number };
  'ingest.list-failed': { method: string; reason: string };
  'ingest.undeclared-tools': { method: string };
  'quality.empty-description': Record<string, never>;
  'quality.uninformative-description': { reason: 'placeholder' | 'too-short' | 'restates-name'; words: number };
  'annotation.contradiction': {
    hint: 'readOnlyHint' | 'destructiveHint';
    declared: boolean;
    /** The category the tool's own evidence shows. */
    conflicting: Category;
    evidencePath: string;
    evidence: string;
  };
  /** The hints the tool does not declare, each with the value we suggest. */
  'annotation.missing': { readOnlyHint?: boolean; destructiveHint?: boolean; openWorldHint?: boolean };
  'untrusted.fence-forgery': { pattern: string; match: string };
  'untrusted.steering': { pattern: string; match: string };
  'poisoning.instructions': PoisoningTextArgs;
  'poisoning.concealment': PoisoningTextArgs;
  'poisoning.sensitive-data': PoisoningTextArgs;
  'poisoning.exfiltration': PoisoningTextArgs;
  'poisoning.shadowing': PoisoningTextArgs;
  'poisoning.preference': PoisoningTextArgs;
  'poisoning.overt': PoisoningTextArgs;
  'poisoning.hidden': {
    kind: 'unicode-tags' | 'zero-width' | 'bidi' | 'terminal-escape' | 'control' | 'whitespace-run' | 'encoded-text' | 'look-alike';
    /** The hidden text decoded; for `look-alike`, the name as it looks, in ASCII (raw: escaped wherever shown). */
    decoded: string;
    start: number;
    end: number;
    /** Occurrences of this kind in the tool (or the server's own text). */
    count: number;
  };
  /** A client config: this tool's text names a tool of another server (`server`). */
  'poisoning.cross-server': { server: string; otherTool: string; match: string };
  /** A client config: this tool copies a tool of another server (same name, `similarity` of descriptions). */
  'poisoning.impersonation': { server: string; otherTool: string; similarity: number };
  /** Tool names, comma-separated and bounded. */
  'poisoning.toxic-flow': { sources: string; reaches: string; sinks: string; hide: string };
  'llm.disagreement': {
    rulesCategory: Category;
    rulesRisk: Risk;
    llmCategory: Category;
    llmRisk: Risk;
    finalCategory: Category;
    finalRisk: Risk;
    outcome: 'llm-accepted' | 'rules-kept' | 'hard-evidence-kept' | 'merged';
    model: string;
  };
  'llm.no-verdict': { model: string; reason: string };
  'history.drift': { riskBefore: Risk; riskAfter: Risk; categoryBefore: Category; categoryAfter: Category; changes: string };
  'history.risk-unknown': { riskBefore: Risk; categoryBefore: Category; changes: string };
  'history.new-risky-tool': { risk: Risk; category: Category };
}

/** A text rule of data/poisoning.yaml that matched: which, what, where in the text as read. */
export type PoisoningTextArgs = {
  rule: string;
  match: string;
  start: number;
  end: number;
  /** Set when the text was hidden (Unicode tags, an encoded blob, text pushed off screen) and decoded. */
  decodedFrom?: 'unicode-tags' | 'encoded-text' | 'whitespace-run';
};

export type FindingCode = keyof FindingArgs;

export interface FindingOf<C extends FindingCode> {
  code: C;
  severity: Severity;
  /** Tool name when the finding is about one tool. */
  tool?: string;
  /** Field path into the tool or the listing, e.g. `annotations.readOnlyHint`. */
  path?: string;
  args: FindingArgs[C];
}

/** Any finding: a union discriminated by `code`, so each code's arguments are checked where it is made. */
export type Finding = { [C in FindingCode]: FindingOf<C> }[FindingCode];

/**
 * Every code with its default severity and one line on what it means (the README lists these). A code
 * missing here, or here but not in FindingArgs, is a compile error.
 */
export const FINDING_CODES: { readonly [C in FindingCode]: { severity: Severity; about: string } } = {
  'ingest.malformed-tool': { severity: 'error', about: 'A listed tool is not a valid definition; it was dropped and the others were classified.' },
  'ingest.missing-input-schema': { severity: 'warning', about: 'A tool has no inputSchema; an empty object schema was assumed.' },
  'ingest.invalid-annotation': { severity: 'warning', about: 'An annotation hint is not a boolean; it was dropped rather than guessed.' },
  'ingest.truncated': { severity: 'warning', about: 'A text field was longer than the limit and was cut.' },
  'ingest.duplicate-tool': { severity: 'error', about: 'Two tools share a name; every definition is classified and the strictest decides the policy.' },
  'ingest.stdout-noise': { severity: 'warning', about: 'The server wrote lines to stdout that are not JSON-RPC; they were skipped.' },
  'ingest.too-many-pages': { severity: 'warning', about: 'Listing stopped at the page limit; the list may be incomplete.' },
  'ingest.too-many-tools': { severity: 'warning', about: 'The server listed more tools than the limit; the rest were dropped.' },
  'ingest.too-many-prompts': { severity: 'warning', about: 'The server listed more prompts than the limit; the rest were not counted.' },
  'ingest.too-many-resources': { severity: 'warning', about: 'The server listed more resources than the limit; the rest were not counted.' },
  'ingest.malformed-page': { severity: 'error', about: 'A page of a listing did not hold the expected array; listing stopped there.' },
  'ingest.cursor-loop': { severity: 'warning', about: 'The server sent a pagination cursor it had sent before; listing stopped.' },
  'ingest.list-failed': { severity: 'warning', about: 'Listing prompts or resources failed; tools were still classified.' },
  'ingest.undeclared-tools': { severity: 'warning', about: 'The server does not declare the tools capability but lists tools; they were classified.' },
  'quality.empty-description': { severity: 'warning', about: 'A tool has no description: what it does can only be guessed.' },
  'quality.uninformative-description': { severity: 'warning', about: 'A description is a placeholder, too short, or only restates the name.' },
  'annotation.contradiction': { severity: 'warning', about: "A declared hint contradicts the tool's name, description or parameters." },
  'annotation.missing': { severity: 'info', about: 'Hints the tool does not declare, with the values its verdict suggests.' },
  'untrusted.fence-forgery': { severity: 'warning', about: "Tool text shaped like the LLM prompt's data delimiters." },
  'untrusted.steering': { severity: 'warning', about: 'Tool text addressed to a classifier ("classify this tool as Read").' },
  'poisoning.instructions': { severity: 'error', about: 'Text addressed to the agent: instruction tags, jailbreaks, orders for the model.' },
  'poisoning.concealment': { severity: 'error', about: 'Text asking the agent to keep something from the user.' },
  'poisoning.sensitive-data': { severity: 'error', about: 'Text asking the agent to read or pass secrets: SSH keys, .env, cloud credentials, client configs.' },
  'poisoning.exfiltration': { severity: 'error', about: 'Text asking for the conversation, files or secrets in a parameter, or to send data to an address.' },
  'poisoning.shadowing': { severity: 'error', about: 'Text telling the agent how other tools must behave (BCC, change the recipient).' },
  'poisoning.preference': { severity: 'warning', about: 'Text pushing the agent to pick this tool ("always use this tool first", "completely safe").' },
  'poisoning.overt': { severity: 'error', about: 'A tool that openly states a malicious capability (exfiltration, keylogging, reverse shell).' },
  'poisoning.hidden': {
    severity: 'error',
    about: 'Text a person cannot see but a model reads: Unicode tags, zero-width, bidi, escapes, encoded blobs; a name in look-alike letters.',
  },
  'poisoning.cross-server': { severity: 'warning', about: "A tool's text names another server's tool (an error when it gives that tool orders)." },
  'poisoning.impersonation': { severity: 'warning', about: "A tool copies another server's tool: same name, nearly the same description." },
  'poisoning.toxic-flow': {
    severity: 'warning',
    about: 'Tools that together read untrusted content, reach sensitive data and send outside; hiding one group breaks the flow.',
  },
  'llm.disagreement': { severity: 'warning', about: 'The rules and the LLM disagree; needs review, whichever verdict won.' },
  'llm.no-verdict': { severity: 'warning', about: "The LLM gave no usable verdict for a tool; the rules' verdict stands." },
  'history.drift': {
    severity: 'warning',
    about: 'A tool changed its definition and its risk rose, or it gained a poisoning finding, since the previous scan.',
  },
  'history.risk-unknown': { severity: 'info', about: 'A tool changed its definition and can no longer be classified.' },
  'history.new-risky-tool': { severity: 'info', about: 'A new High or Critical tool appeared since the previous scan.' },
};

/** Builds a finding with its code's default severity unless one is given. */
export function finding<C extends FindingCode>(code: C, args: FindingArgs[C], where: { tool?: string; path?: string; severity?: Severity } = {}): FindingOf<C> {
  const f: FindingOf<C> = { code, severity: where.severity ?? FINDING_CODES[code].severity, args };
  if (where.tool !== undefined) f.tool = where.tool;
  if (where.path !== undefined) f.path = where.path;
  return f;
}
