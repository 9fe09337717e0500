// `mcp-risk reclassify [SERVER]`: new verdicts for stored definitions when the classifier changed, offline.
import { safeText, jsonText } from '../output/index.js';
import { JSON_SCHEMA_TAGS } from '../output/json-schemas.js';
import { llmContext } from '../pipeline/analyse.js';
import type { LlmContext } from '../pipeline/analyse.js';
import { reclassifyServer } from '../pipeline/reclassify.js';
import type { Reclassified } from '../pipeline/reclassify.js';
import type { LlmFlagValues } from '../cli/flags.js';
import { EXIT } from '../cli/io.js';
import type { Io } from '../cli/io.js';
import { llmChoiceFromFlags } from '../cli/llm-flags.js';
import { openExistingStore } from '../cli/open-store.js';

export interface ReclassifyFlags extends LlmFlagValues {
  json?: boolean;
  db?: string;
}

export async function reclassifyCommand(server: string | undefined, flags: ReclassifyFlags, io: Io): Promise<number> {
  const llmChoice = llmChoiceFromFlags(flags, io.env);
  const store = openExistingStore(flags.db, io.env);
  let llm: LlmContext | undefined;
  try {
    llm = await llmContext(llmChoice);
    // latestScan throws NOT_FOUND (one line) for a server that is not stored.
    const names = server === undefined ? store.listServers().map((s) => s.name) : [store.latestScan(server).serverName];
    const done: Reclassified[] = [];
    for (const name of names) {
      const again = await reclassifyServer(store, name, llm);
      if (again) done.push(again);
    }
    if (flags.json === true) {
      io.out(jsonText({ schema: JSON_SCHEMA_TAGS.reclassify, servers: names.length, reclassified: done }, io.compactJson));
    } else {
      for (const r of done) io.out(`${safeText(r.server, 80)}: ${r.classified} tools re-classified, ${r.reused} verdicts still current (scan #${r.scanId})\n`);
      const current = names.length - done.length;
      io.out(`${done.length} of ${names.length} servers re-classified; ${current} already current or never scanned successfully.\n`);
      if (!llm.enabled) io.out(`Rules only: ${llm.reason}.\n`);
    }
    return EXIT.OK;
  } finally {
    if (llm?.enabled) llm.close();
    store.close();
  }
}
