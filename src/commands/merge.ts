// `mcp-risk merge OUT.db IN.db [IN.db ...]`: combines result databases, e.g. the shards of one refresh.
import { mergeStores } from '../store/index.js';
import { EXIT } from '../cli/io.js';
import type { Io } from '../cli/io.js';
import { JSON_SCHEMA_TAGS } from '../output/json-schemas.js';
import { jsonText } from '../output/safe-text.js';

export interface MergeFlags {
  json?: boolean;
}

export async function mergeCommand(out: string, inputs: string[], flags: MergeFlags, io: Io): Promise<number> {
  const report = mergeStores(out, inputs);
  io.out(
    flags.json === true
      ? jsonText({ schema: JSON_SCHEMA_TAGS.merge, ...report }, io.compactJson)
      : `Merged ${report.inputs} ${report.inputs === 1 ? 'database' : 'databases'} into ${out}: ${report.scansAdded} scans added (${report.scansAlreadyPresent} already there), ` +
          `${report.toolVersionsAdded} tool versions, ${report.classificationsAdded} verdicts, ${report.llmCacheAdded} cached LLM verdicts; ${report.servers} servers in all.\n`,
  );
  return EXIT.OK;
}
