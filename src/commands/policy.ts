// `mcp-risk policy SERVER`: the starter policy, in one of the formats, from a server's latest scan that listed tools.
import { policyDecisions, renderPolicyAs } from '../output/policy/index.js';
import type { PolicyFormat } from '../output/policy/index.js';
import { writePolicyFile } from '../cli/files.js';
import { EXIT } from '../cli/io.js';
import type { Io } from '../cli/io.js';
import { openExistingStore } from '../cli/open-store.js';

export interface PolicyFlags {
  out?: string;
  db?: string;
  breakToxicFlows?: boolean;
  format?: PolicyFormat;
}

export async function policyCommand(name: string, flags: PolicyFlags, io: Io): Promise<number> {
  const store = openExistingStore(flags.db, io.env);
  try {
    const stored = store.scanResult(store.latestScan(name, { okOnly: true }).id);
    const format = flags.format ?? 'policylayer';
    const policy = renderPolicyAs(format, policyDecisions(stored, { breakToxicFlows: flags.breakToxicFlows === true }));
    if (flags.out === undefined) io.out(policy);
    else writePolicyFile(flags.out, format, policy, io);
    return EXIT.OK;
  } finally {
    store.close();
  }
}
