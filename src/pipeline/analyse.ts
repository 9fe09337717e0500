// Classifies one listed server (rules, then the LLM second opinion when configured) and stores the scan.
import { classifySnapshot, loadTaxonomy } from '../classify/index.js';
import type { Classification, LlmRun, ServerSnapshot } from '../model/index.js';
import { LlmEndpoint, loadPrompt, secondOpinion, storeOpinionCache } from '../llm/index.js';
import type { ChatEndpoint, LlmChoice, PromptTemplate } from '../llm/index.js';
import { llmOff } from '../llm/second-opinion.js';
import type { Store } from '../store/index.js';

/** The LLM side of a run: one endpoint (and so one queue and one set of limits) shared by every server. */
export type LlmContext =
  | { enabled: false; reason: string }
  | { enabled: true; endpoint: ChatEndpoint; model: string; prompt: PromptTemplate; batchSize: number; where: string; close(): void };

export function llmContext(choice: LlmChoice): LlmContext {
  if (!choice.enabled) return { enabled: false, reason: choice.reason };
  const { settings } = choice;
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
}

/** Rules always; the LLM for servers that listed tools. Never throws for an LLM failure: the run says so. */
export async function analyse(snapshot: ServerSnapshot, llm: LlmContext, store?: Store): Promise<Analysis> {
  if (!llm.enabled) return { classifications: classifySnapshot(snapshot), llm: llmOff(llm.reason) };
  if (snapshot.tools.length === 0) return { classifications: [], llm: { ...llmOff('no tools to classify'), status: 'ok', model: llm.model, prompt: llm.prompt.ref } };
  const capabilities = new Set(loadTaxonomy().capabilities.keys());
  const { opinions, run } = await secondOpinion(snapshot, {
    endpoint: llm.endpoint,
    model: llm.model,
    prompt: llm.prompt,
    batchSize: llm.batchSize,
    ...(store ? { cache: storeOpinionCache(store, capabilities) } : {}),
  });
  return { classifications: classifySnapshot(snapshot, opinions), llm: run };
}

/** Analyses and stores one scan; returns what was stored and its id. */
export async function analyseAndStore(snapshot: ServerSnapshot, llm: LlmContext, store: Store): Promise<Analysis & { scanId: number }> {
  const analysis = await analyse(snapshot, llm, store);
  const scanId = store.recordScan(snapshot, analysis.classifications, { llm: analysis.llm });
  return { ...analysis, scanId };
}
