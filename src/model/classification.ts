// The verdict on one tool: what it can do, how dangerous, and the evidence behind it.
import type { Finding } from './finding.js';

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
  risk: Risk;
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

const RISK_ORDER: Record<Risk, number> = { Unknown: -1, Low: 0, Medium: 1, High: 2, Critical: 3 };

/** Compare risks; Unknown sorts below Low for ordering but callers must not treat it as safe. */
export function riskRank(risk: Risk): number {
  return RISK_ORDER[risk];
}
