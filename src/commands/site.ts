// `mcp-risk site --out DIR`: the static catalogue of everything in the database.
import { buildSite } from '../site/build.js';
import { EXIT, note } from '../cli/io.js';
import type { Io } from '../cli/io.js';
import { openExistingStore } from '../cli/open-store.js';

export interface SiteFlags {
  out: string;
  db?: string;
}

export async function siteCommand(flags: SiteFlags, io: Io): Promise<number> {
  const store = openExistingStore(flags.db, io.env);
  try {
    const started = process.hrtime.bigint();
    const r = buildSite(store, flags.out);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    note(
      io,
      `mcp-risk: wrote the site of ${r.servers} servers and ${r.tools} tools to ${flags.out}: ${r.pages} pages, ${(r.bytes / 1e6).toFixed(1)} MB, in ${seconds.toFixed(1)} s\n`,
    );
    return EXIT.OK;
  } finally {
    store.close();
  }
}
