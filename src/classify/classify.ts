// Runs every rule over one tool, combines the evidence (and an LLM opinion, when there is one) once,
// and renders the classification.
import type { Classification, Evidence, Finding, LlmOpinion, Provenance, ServerSnapshot, ToolRecord } from '../model/index.js';
import { combine } from './combine.js';
import type { CombinedVerdict } from './combine.js';
import { rationale, signals } from './explain.js';
import { toolFindings } from './findings.js';
import { runRules } from './registry.js';
import { loadTaxonomy } from './taxonomy.js';
import { untrustedTextFindings } from './untrusted-text.js';
import { toolPoisoningFindings } from '../poisoning/analyse.js';
import { llmManipulationFinding } from '../poisoning/llm-quote.js';
import { scanTool } from '../poisoning/tool-scan.js';
import { rulesetVersion } from './version.js';
import { buildView } from './view.js';
import type { ClassifyContext, ToolView } from './view.js';

/** How many of the LLM's signals join the rules' own when the LLM decided the verdict. */
const LLM_SIGNALS = 2;
const LLM_RATIONALE_CHARS = 400;

/** Runs the rules only; exposed for the rule tester and for callers that combine with an LLM opinion. */
export function collectEvidence(record: ToolRecord, context?: ClassifyContext): Evidence[] {
  return runRules(buildView(record.definition, context));
}

export interface ClassifyOptions {
  /**
   * false: the rules without the poisoning analyser, only so bench/poisoning-overhead.ts can time what
   * it adds (the untrusted-text patterns, part of the rules, then scan the text for themselves).
   */
  poisoning?: boolean;
}

/**
 * Classifies one tool with the rules and, when `llm` holds a usable opinion, combines the two.
 * An opinion with status `unknown` leaves the rules' verdict and records why the LLM gave none.
 */
export function classifyTool(record: ToolRecord, context?: ClassifyContext, llm?: LlmOpinion, options: ClassifyOptions = {}): Classification {
  const taxonomy = loadTaxonomy();
  const view = buildView(record.definition, context);
  // What the tool says to the agent reading it; an openly malicious capability is hard evidence that
  // the tool at least runs something (Execute), whatever verbs the rest of its text uses.
  // One scan of its texts serves both checks of hostile text: the poisoning analyser and the untrusted-text patterns.
  const scan = scanTool(record.definition, view, { poisoning: options.poisoning !== false });
  const poisoning = options.poisoning === false ? [] : toolPoisoningFindings(record.definition, view, context?.siblingNames, undefined, scan.state);
  const evidence = runRules(view);
  if (poisoning.length > 0) evidence.push(...overtEvidence(poisoning));
  const rules = combine(evidence);
  const usable = llm?.status === 'ok' ? llm : undefined;
  const verdict = usable
    ? combine(evidence, [
        { source: `llm:${usable.model}`, category: usable.category, risk: usable.risk, capabilities: usable.capabilities, confidence: usable.confidence },
      ])
    : rules;
  const provenance: Provenance = { rules: rulesetVersion(), taxonomy: taxonomy.version };
  if (usable) {
    provenance.prompt = usable.prompt;
    provenance.model = usable.model;
  }
  const findings = [...toolFindings(view, verdict, evidence), ...untrustedTextFindings(record.definition, view, undefined, scan.untrusted), ...poisoning];
  let kept = llm;
  if (usable) {
    const disagreement = disagreementFinding(record.definition.name, rules, usable, verdict);
    if (disagreement) findings.push(disagreement);
    // The rules read phrases; the model reads meaning. Its quote, found in the text, is a finding of its
    // own beside theirs (never instead of them: a model talked out of it changes nothing the rules saw).
    const manipulation = llmManipulationFinding(record.definition, view, usable);
    if (manipulation && !findings.some((f) => f.code === manipulation.code && f.path === manipulation.path)) findings.push(manipulation);
    // Otherwise the verdict is not kept: its words are the model's (or whatever the server steered it to
    // write), not something this tool was seen to say.
    else if (usable.manipulation) kept = withoutManipulation(usable);
  } else if (llm) {
    findings.push({
      code: 'llm.no-verdict',
      severity: 'warning',
      tool: record.definition.name,
      args: { model: llm.model, reason: llm.reason ?? 'no reason given' },
    });
  }
  const result: Classification = {
    tool: record.definition.name,
    hash: record.hash,
    category: verdict.category,
    risk: verdict.risk,
    score: verdict.score,
    capabilities: verdict.capabilities,
    signals: withLlmSignals(signals(view, verdict), rules, verdict, usable),
    evidence,
    rationale: usable ? combinedRationale(view, rules, verdict, usable) : rationale(view, verdict),
    confidence: verdict.confidence,
    method: verdict.method,
    provenance,
    findings,
  };
  if (kept) result.llm = kept;
  return result;
}

function withoutManipulation(llm: LlmOpinion): LlmOpinion {
  const { manipulation: _, ...rest } = llm;
  return rest;
}

function overtEvidence(findings: readonly Finding[]): Evidence[] {
  const overt = findings.find((f) => f.code === 'poisoning.overt');
  if (overt?.code !== 'poisoning.overt') return [];
  return [{ rule: 'poisoning.overt', path: overt.path ?? 'description', match: overt.args.match, category: 'Execute', hard: true }];
}

/** The LLM gave a category and it is not the rules': a person should look, whichever won. */
function disagreementFinding(tool: string, rules: CombinedVerdict, llm: LlmOpinion, final: CombinedVerdict): Finding | undefined {
  // The level follows the category, so only the category can disagree. The rules' Unknown against an
  // LLM's category is a disagreement too: the LLM alone decided it, and a person should look.
  if (rules.category === llm.category || llm.category === 'Unknown') return undefined;
  const llmWon = final.category === llm.category;
  const kept = final.category === rules.category;
  const outcome = llmWon ? 'llm-accepted' : kept ? (rules.floor !== undefined ? 'hard-evidence-kept' : 'rules-kept') : 'merged';
  return {
    code: 'llm.disagreement',
    severity: 'warning',
    tool,
    args: {
      rulesCategory: rules.category,
      rulesRisk: rules.risk,
      llmCategory: llm.category,
      llmRisk: llm.risk,
      finalCategory: final.category,
      finalRisk: final.risk,
      outcome,
      model: llm.model,
    },
  };
}

function withLlmSignals(ruleSignals: string[], rules: CombinedVerdict, final: CombinedVerdict, llm: LlmOpinion | undefined): string[] {
  if (!llm || final.category === rules.category) return ruleSignals;
  const out = [...llm.signals.slice(0, LLM_SIGNALS)];
  for (const s of ruleSignals) if (!out.includes(s)) out.push(s);
  return out.slice(0, 5);
}

function combinedRationale(view: ToolView, rules: CombinedVerdict, final: CombinedVerdict, llm: LlmOpinion): string {
  const llmSaid = `${llm.category}, risk ${llm.risk}`;
  const rulesSaid = `${rules.category}, risk ${rules.risk}`;
  const agreed = llm.category === rules.category;
  if (rules.category === 'Unknown' && final.category !== 'Unknown') {
    return `The rules found nothing to go on; the LLM second opinion (${llm.model}) classified it ${llmSaid}: ${bounded(llm.rationale)}`;
  }
  if (final.category === rules.category) {
    if (agreed || llm.category === 'Unknown') return `${rationale(view, rules)} The LLM second opinion (${llm.model}) ${agreed ? 'agreed' : 'could not tell'}.`;
    const why = rules.floor !== undefined ? 'hard rule evidence keeps it here' : 'it was not confident enough to change it';
    return `${rationale(view, rules)} The LLM second opinion (${llm.model}) said ${llmSaid}, but ${why}; needs review.`;
  }
  return `The LLM second opinion (${llm.model}) moved this to ${final.category}, risk ${final.risk}: ${bounded(llm.rationale)} The rules alone said ${rulesSaid}; needs review.`;
}

function bounded(text: string): string {
  const t = text.trim().replace(/\s+/g, ' ');
  const cut = t.length > LLM_RATIONALE_CHARS ? `${t.slice(0, LLM_RATIONALE_CHARS - 1)}…` : t;
  return /[.!?…]$/.test(cut) ? cut : `${cut}.`;
}

/** Opinions from an LLM, keyed by tool definition hash; tools without one are classified by the rules alone. */
export type OpinionsByHash = ReadonlyMap<string, LlmOpinion>;

/** `reuse`: verdicts already made for these definition hashes (an unchanged tool is not classified again). */
export function classifySnapshot(snapshot: ServerSnapshot, opinions?: OpinionsByHash, reuse?: ReadonlyMap<string, Classification>): Classification[] {
  const siblingNames = snapshot.tools.map((t) => t.definition.name);
  const context: ClassifyContext = { serverName: snapshot.name, siblingNames };
  return snapshot.tools.map((t) => reuse?.get(t.hash) ?? classifyTool(t, context, opinions?.get(t.hash)));
}
