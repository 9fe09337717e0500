// Runs every rule over one tool, combines the evidence once, and renders the classification.
import type { Classification, Evidence, ServerSnapshot, ToolRecord } from '../model/index.js';
import { combine } from './combine.js';
import { rationale, signals } from './explain.js';
import { toolFindings } from './findings.js';
import { allRules } from './registry.js';
import { loadTaxonomy } from './taxonomy.js';
import { buildView } from './view.js';
import type { ClassifyContext, ToolView } from './view.js';

/** Bump when a rule, lexicon or data rule changes what a tool classifies as. */
export const RULESET_VERSION = 'rules@1';

/** Runs the rules only; exposed for the rule tester and for callers that combine with an LLM opinion. */
export function collectEvidence(record: ToolRecord, context?: ClassifyContext): Evidence[] {
  return runRules(buildView(record.definition, context));
}

function runRules(view: ToolView): Evidence[] {
  const evidence: Evidence[] = [];
  for (const rule of allRules()) rule.check(view, evidence);
  return evidence;
}

export function classifyTool(record: ToolRecord, context?: ClassifyContext): Classification {
  const taxonomy = loadTaxonomy();
  const view = buildView(record.definition, context);
  const evidence = runRules(view);
  const verdict = combine(evidence);
  return {
    tool: record.definition.name,
    hash: record.hash,
    category: verdict.category,
    risk: verdict.risk,
    capabilities: verdict.capabilities,
    signals: signals(view, verdict),
    evidence,
    rationale: rationale(view, verdict),
    confidence: verdict.confidence,
    method: 'rules',
    provenance: { rules: RULESET_VERSION, taxonomy: taxonomy.version },
    findings: toolFindings(view, verdict, evidence),
  };
}

export function classifySnapshot(snapshot: ServerSnapshot): Classification[] {
  const siblingNames = snapshot.tools.map((t) => t.definition.name);
  const context: ClassifyContext = { serverName: snapshot.name, siblingNames };
  return snapshot.tools.map((t) => classifyTool(t, context));
}
