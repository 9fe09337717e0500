// Classifies one listed server (rules, then the LLM second opinion when configured) and stores the scan.
import { classifySnapshot, loadTaxonomy, rulesetVersion } from '../classify/index.js';
import type { Classification, LlmRun, ServerSnapshot } from '../model/index.js';
import { serverOwnFindings, toxicFlowFindings } from '../poisoning/index.js';
// Not the llm/ barrel: the endpoint pulls in the openai client, which only a run with an LLM loads.
import { storeOpinionCache } from '../llm/cache.js';
import type { LlmChoice } from '../llm/config.js';
import { loadPrompt } from '../llm/prompt.js';
import type { PromptTemplate } from '../llm/prompt.js';
import { llmOff, secondOpinion } from '../llm/second-opinion.js';
import type { ChatEndpoint } from '../llm/second-opinion.js';
import type { RecordScanOptions, Store, StoredScan } from '../store/index.js';

/** The LLM side of a run: one endpoint (and so one queue and one set of limits) shared by every server. */
export type LlmContext =
  | { enabled: false; reason: string }
  | { enabled: true; endpoint: ChatEndpoint; model: string; prompt: PromptTemplate; batchSize: number; where: string; close(): void };

/** Opens the endpoint when the LLM is on; the openai client is loaded only then. */
export async function llmContext(choice: LlmChoice): Promise<LlmContext> {
  if (!choice.enabled) return { enabled: false, reason: choice.reason };
  const { settings } = choice;
  const { LlmEndpoint } = await import('../llm/endpoint.js');
  const endpoint = new LlmEndpoint(settings.endpoint);
  return {
    enabled: true,
    endpoint,
    close: () => endpoint.close(),
    model: settings.model,
    prompt: loadPrompt(settings.prompt),
    batchSize: settings.batchSize,
    where: settings.where,
  };
}

export interface Analysis {
  classifications: Classification[];
  llm: LlmRun;
  /** Tools classified now, and tools whose verdict from the previous scan was kept (same definition hash). */
  classified: number;
  reused: number;
}

export interface AnalyseOptions {
  /** The server's previous successful scan: a tool whose definition hash is unchanged keeps its verdict. */
  previous?: StoredScan;
  /** Called with the verdicts just before the scan is written (a refresh adds drift findings here). */
  beforeStore?: (classifications: readonly Classification[]) => void;
}

/** A stored verdict still stands when the same rules, taxonomy and (when on) model and prompt made it. */
export function stillValid(c: Classification, llm: LlmContext): boolean {
  if (c.provenance.rules !== rulesetVersion() || c.provenance.taxonomy !== loadTaxonomy().version) return false;
  if (!llm.enabled) return c.llm === undefined;
  return c.llm?.status === 'ok' && c.llm.model === llm.model && c.llm.prompt === llm.prompt.ref;
}

/** Rules always; the LLM for servers that listed tools. Never throws for an LLM failure: the run says so. */
export async function analyse(snapshot: ServerSnapshot, llm: LlmContext, store?: Store, options: AnalyseOptions = {}): Promise<Analysis> {
  const taxonomy = loadTaxonomy();
  const reuse = new Map<string, Classification>();
  for (const t of options.previous?.tools ?? []) {
    if (t.classification && stillValid(t.classification, llm)) reuse.set(t.hash, t.classification);
  }
  const counts = (cs: Classification[]): { classified: number; reused: number } => {
    const reused = snapshot.tools.filter((t) => reuse.has(t.hash)).length;
    return { classified: cs.length - reused, reused };
  };
  if (!llm.enabled) {
    const classifications = classifySnapshot(snapshot, undefined, reuse);
    return { classifications, llm: llmOff(llm.reason), ...counts(classifications) };
  }
  if (snapshot.tools.length === 0) {
    return {
      classifications: [],
      llm: { ...llmOff('no tools to classify'), status: 'ok', model: llm.model, prompt: llm.prompt.ref },
      classified: 0,
      reused: 0,
    };
  }
  const capabilities = new Set(taxonomy.capabilities.keys());
  const { opinions, run } = await secondOpinion(snapshot, {
    endpoint: llm.endpoint,
    model: llm.model,
    prompt: llm.prompt,
    batchSize: llm.batchSize,
    exclude: new Set(reuse.keys()),
    ...(store ? { cache: storeOpinionCache(store, capabilities) } : {}),
  });
  const classifications = classifySnapshot(snapshot, opinions, reuse);
  return { classifications, llm: run, ...counts(classifications) };
}

/** Analyses and stores one scan; returns what was stored and its id. */
export async function analyseAndStore(
  snapshot: ServerSnapshot,
  llm: LlmContext,
  store: Store,
  record: Omit<RecordScanOptions, 'llm'> = {},
  options: AnalyseOptions = {},
): Promise<Analysis & { scanId: number }> {
  // What the server says about itself is checked like its tools' text: steering in `instructions` is a finding.
  snapshot.findings.push(...serverOwnFindings(snapshot));
  const analysis = await analyse(snapshot, llm, store, options);
  snapshot.findings.push(...toxicFlowFindings(analysis.classifications));
  options.beforeStore?.(analysis.classifications);
  const scanId = store.recordScan(snapshot, analysis.classifications, { ...record, llm: analysis.llm });
  return { ...analysis, scanId };
}
