// Re-classifies stored scans offline: the definitions are pinned in SQLite, so a changed rule set (or
// taxonomy, model or prompt) gets new verdicts without reconnecting to any server.
import type { ServerSnapshot } from '../model/index.js';
import { rulesetVersion } from '../classify/index.js';
import { classifierVersionOf } from '../store/index.js';
import type { Store, StoredScan } from '../store/index.js';
import { analyse, stillValid } from './analyse.js';
import type { LlmContext } from './analyse.js';

export interface Reclassified {
  server: string;
  scanId: number;
  /** Tools given a new verdict, and tools whose verdict still stood. */
  classified: number;
  reused: number;
}

/** Tools of a stored scan whose verdict was made by another rule set, taxonomy or LLM setup (or is missing). */
export function staleTools(stored: StoredScan, llm: LlmContext): number {
  return stored.tools.filter((t) => t.classification === undefined || !stillValid(t.classification, llm)).length;
}

/** The listing a stored scan recorded, as a snapshot the pipeline can analyse again. */
function snapshotOf(stored: StoredScan): ServerSnapshot {
  const { scan } = stored;
  const snapshot: ServerSnapshot = {
    name: scan.serverName,
    source: scan.source,
    status: scan.status,
    tools: stored.tools.map((t) => ({ definition: t.definition, hash: t.hash })),
    findings: stored.findings,
    startedAt: scan.startedAt,
    durationMs: scan.durationMs,
  };
  if (scan.serverInfo !== undefined) snapshot.serverInfo = scan.serverInfo;
  if (scan.instructions !== undefined) snapshot.instructions = scan.instructions;
  return snapshot;
}

/**
 * Gives the latest successful scan of a server verdicts from the current classifier, when any of its
 * verdicts is stale; undefined when there is no such scan or nothing was stale.
 */
export async function reclassifyServer(store: Store, server: string, llm: LlmContext): Promise<Reclassified | undefined> {
  const latest = store.findLatestScan(server, { okOnly: true });
  if (latest === undefined) return undefined;
  // The cheap question first: every verdict already under the classifier of this run means nothing to do.
  const current = classifierVersionOf({ rules: rulesetVersion(), ...(llm.enabled ? { prompt: llm.prompt.ref, model: llm.model } : {}) });
  if (store.verdictsNotUnder(latest.id, current) === 0) return undefined;
  const stored = store.scanResult(latest.id);
  if (staleTools(stored, llm) === 0) return undefined;
  const analysis = await analyse(snapshotOf(stored), llm, store, { previous: stored });
  store.reclassifyScan(latest.id, analysis.classifications);
  return { server, scanId: latest.id, classified: analysis.classified, reused: analysis.reused };
}
