// `mcp-risk forget SERVER`: removes a server stored by mistake (a typo, a probe) with all its scans.
import { safeText } from '../output/safe-text.js';
import { EXIT, note } from '../cli/io.js';
import type { Io } from '../cli/io.js';
import { openExistingStore } from '../cli/open-store.js';
import { openStore } from '../store/index.js';

export interface ForgetFlags {
  db?: string;
}

export async function forgetCommand(server: string, flags: ForgetFlags, io: Io): Promise<number> {
  // Checked to exist first (a mistyped --db must not create a database), then opened for writing.
  const path = openExistingStore(flags.db, io.env);
  const dbPath = path.path;
  path.close();
  const store = openStore(dbPath, { write: true });
  try {
    const scans = store.forgetServer(server);
    note(io, `mcp-risk: forgot ${safeText(server, 120)}: ${scans} scan${scans === 1 ? '' : 's'} removed from ${safeText(dbPath, 300)}\n`);
    return EXIT.OK;
  } finally {
    store.close();
  }
}
