// The verdict on one tool: what it can do, how dangerous, and the evidence behind it.
import type { Finding } from './finding.js';
import type { ScanStatus } from './tool.js';

export const CATEGORIES = ['Read', 'Write', 'Execute', 'Destructive', 'Financial'] as const;
export type KnownCategory = (typeof CATEGORIES)[number];
/** `Unknown` means nothing to go on or analysis failed. It is never shown as safe. */
export type Category = KnownCategory | 'Unknown';

export const RISKS = ['Low', 'Medium', 'High', 'Critical'] as const;
export type KnownRisk = (typeof RISKS)[number];
export type Risk = KnownRisk | 'Unknown';

export type Method = 'rules' | 'llm' | 'rules+llm';

/** One piece of evidence: which rule saw what, where. */
export interface Evidence {
  rule: string;
  /** Field path into the tool, e.g. `name`, `description`, `inputSchema.properties.command`. */
  path: string;
  /** The text that matched, bounded. */
  match: string;
  /** What this evidence argues for, when it argues for a category. */
  category?: KnownCategory;
  capability?: string;
  /** A named risk modifier, e.g. `arbitrary-code` (+1) or `dry-run` (-1). */
  modifier?: { id: string; delta: number };
  /** Hard evidence (explicit destructive verb, shell parameter, payment verb) sets a floor nobody may argue below. */
  hard?: boolean;
}

export interface Provenance {
  /** Rule-set version, e.g. `rules@1`. */
  rules: string;
  taxonomy: string;
  prompt?: string;
  model?: string;
}

/** What the LLM second opinion said about one tool, kept beside the combined verdict. */
/** What an LLM may say a tool's text tries to make the agent do: the poisoning analyser's text kinds. */
export const MANIPULATION_KINDS = ['instructions', 'concealment', 'sensitive-data', 'exfiltration', 'shadowing', 'preference', 'overt'] as const;
export type ManipulationKind = (typeof MANIPULATION_KINDS)[number];

export interface LlmOpinion {
  /** `ok`: a validated verdict; `unknown`: no usable verdict (endpoint down, invalid or missing reply), with the reason. */
  status: 'ok' | 'unknown';
  model: string;
  /** Prompt id@version, e.g. `classify-tools@1`. */
  prompt: string;
  category: Category;
  risk: Risk;
  capabilities: string[];
  signals: string[];
  rationale: string;
  /** 0..1 */
  confidence: number;
  /**
   * The text's attempt to manipulate the agent, with the words that carry it as the model quoted them
   * (classify-tools@2 and later). A finding only where the quote is found in the tool's own text.
   */
  manipulation?: { kind: ManipulationKind; quote: string };
  reason?: string;
}

/** How the LLM part of one scan went; stored with the scan and printed in its summary. */
export interface LlmRun {
  /** `off`: not configured or disabled; `ok`: every tool has a verdict; `partial`/`failed`: some/all asked tools got none. */
  status: 'off' | 'ok' | 'partial' | 'failed';
  model?: string;
  prompt?: string;
  /** Chat requests sent for this scan (a request retried after a 429 counts once; see attempts). */
  requests: number;
  /** HTTP attempts, retries included. */
  attempts: number;
  /** Tools answered from the cache, with no request. */
  cachedTools: number;
  /** Tools sent to the model. */
  askedTools: number;
  /** Tools left without an LLM verdict. */
  unknownTools: number;
  promptTokens: number;
  completionTokens: number;
  /** Why status is not ok, or why the LLM is off. */
  reason?: string;
}

export interface Classification {
  tool: string;
  hash: string;
  category: Category;
  /** Follows the category: Read Low, Write Medium, Execute High, Destructive and Financial Critical. */
  risk: Risk;
  /**
   * 1..5, the finer ranking within the level (Low starts at 1 … Critical at 4), moved by the named
   * modifiers in the evidence; null for Unknown. Absent in verdicts stored before it existed.
   */
  score?: number | null;
  capabilities: string[];
  /** Short phrases a person scans, e.g. "Aborts in-progress task execution". */
  signals: string[];
  evidence: Evidence[];
  /** Two or three plain sentences. */
  rationale: string;
  /** 0..1 */
  confidence: number;
  method: Method;
  provenance: Provenance;
  /** Tool-level findings: description quality, annotation contradictions, suggested hints, LLM disagreements. */
  findings: Finding[];
  /** Present when an LLM was asked about this tool. */
  llm?: LlmOpinion;
}

/** Categories in the order every report lists them: the taxonomy's order, Unknown last but always listed. */
export const CATEGORY_ORDER: readonly Category[] = [...CATEGORIES, 'Unknown'];

/** Risks in the order reports list their counts: most severe first, Unknown last but listed, never folded into Low. */
export const RISK_ORDER: readonly Risk[] = ['Critical', 'High', 'Medium', 'Low', 'Unknown'];

/** Position in CATEGORY_ORDER; a value this build does not know sorts with Unknown. */
export function categoryRank(category: Category): number {
  const i = CATEGORY_ORDER.indexOf(category);
  return i === -1 ? CATEGORY_ORDER.length - 1 : i;
}

const SEVERITY: Record<Risk, number> = { Unknown: -1, Low: 0, Medium: 1, High: 2, Critical: 3 };

/**
 * Severity for thresholds (`--fail-on High`, "did the risk rise"): Low 0 … Critical 3. Unknown is -1 so it
 * never passes a threshold by accident; callers that gate on risk must treat Unknown on its own, never as safe.
 */
export function riskRank(risk: Risk): number {
  return Object.hasOwn(SEVERITY, risk) ? SEVERITY[risk] : SEVERITY.Unknown;
}

const ATTENTION: Record<Risk, number> = { Low: 0, Unknown: 1, Medium: 2, High: 3, Critical: 4 };

/**
 * Which risk deserves attention first, higher first: Unknown sits just above Low, because a tool nobody
 * could judge must not pass as safe, while a known Medium or above is the more urgent finding.
 * A value from a newer classifier that this build does not know counts as Unknown.
 */
export function attentionRank(risk: Risk): number {
  return Object.hasOwn(ATTENTION, risk) ? ATTENTION[risk] : ATTENTION.Unknown;
}

/**
 * The headline risk of a set of tools: the one that needs attention first (see attentionRank), so a set
 * holding an unjudged tool never headlines as Low. Takes risks or verdicts; `undefined` is a tool without
 * a verdict, which counts as Unknown. Null for no tools.
 */
export function highestRisk(items: Iterable<Risk | Pick<Classification, 'risk'> | undefined>): Risk | null {
  let top: Risk | null = null;
  for (const item of items) {
    const risk: Risk = item === undefined ? 'Unknown' : typeof item === 'string' ? item : item.risk;
    const known: Risk = Object.hasOwn(ATTENTION, risk) ? risk : 'Unknown';
    if (top === null || attentionRank(known) > attentionRank(top)) top = known;
  }
  return top;
}

/** The statuses of a scan that listed tools (possibly none); every other status is a failure to list. */
export const LISTED_STATUSES: readonly ScanStatus[] = ['ok', 'no-tools'];

/** Did this scan list tools? Only such a scan says what a server offers; a failed one says nothing. */
export function isListed(status: ScanStatus): boolean {
  return LISTED_STATUSES.includes(status);
}
