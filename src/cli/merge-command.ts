// `mcp-risk merge OUT.db IN.db [IN.db ...]`: combines result databases, e.g. the shards of one refresh.
import { McpRiskError } from '../model/index.js';
import { mergeStores } from '../store/index.js';
import { EXIT, parse } from './args.js';
import type { Io } from './args.js';

export async function mergeCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } });
  if (positionals.length < 2) throw new McpRiskError('USAGE', 'merge takes OUT.db and at least one IN.db');
  const [out, ...inputs] = positionals as [string, ...string[]];
  const report = mergeStores(out, inputs);
  io.out(
    values.json === true
      ? `${JSON.stringify(report, null, 2)}\n`
      : `Merged ${report.inputs} ${report.inputs === 1 ? 'database' : 'databases'} into ${out}: ${report.scansAdded} scans added (${report.scansAlreadyPresent} already there), ` +
          `${report.toolVersionsAdded} tool versions, ${report.classificationsAdded} verdicts, ${report.llmCacheAdded} cached LLM verdicts; ${report.servers} servers in all.\n`,
  );
  return EXIT.OK;
}
