// `mcp-risk policy SERVER`: the starter policy.json from a server's latest scan that listed tools.
import { renderPolicy, starterPolicyFor } from '../output/policy.js';
import { writeFileAtomic } from '../cli/files.js';
import { EXIT } from '../cli/io.js';
import type { Io } from '../cli/io.js';
import { openExistingStore } from '../cli/open-store.js';

export interface PolicyFlags {
  out?: string;
  db?: string;
  breakToxicFlows?: boolean;
}

export async function policyCommand(name: string, flags: PolicyFlags, io: Io): Promise<number> {
  const store = openExistingStore(flags.db, io.env);
  try {
    const stored = store.scanResult(store.latestScan(name, { okOnly: true }).id);
    const policy = renderPolicy(starterPolicyFor(stored, { breakToxicFlows: flags.breakToxicFlows === true }));
    if (flags.out === undefined) io.out(policy);
    else writeFileAtomic(flags.out, policy);
    return EXIT.OK;
  } finally {
    store.close();
  }
}
