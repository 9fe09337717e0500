// `mcp-risk history SERVER`: every stored scan of a server, newest first, with the ids `diff --from/--to` take.
import { JSON_SCHEMA_TAGS } from '../output/json-schemas.js';
import { jsonText, safeText } from '../output/safe-text.js';
import type { StoredScanInfo } from '../store/index.js';
import { EXIT } from '../cli/io.js';
import type { Io } from '../cli/io.js';
import { openExistingStore } from '../cli/open-store.js';

export interface HistoryFlags {
  json?: boolean;
  db?: string;
}

export async function historyCommand(server: string, flags: HistoryFlags, io: Io): Promise<number> {
  const store = openExistingStore(flags.db, io.env);
  try {
    const scans = [...store.listScans(server)].reverse();
    if (flags.json === true) {
      io.out(jsonText({ schema: JSON_SCHEMA_TAGS.history, server, scans }, io.compactJson));
      return EXIT.OK;
    }
    io.out(`${renderHistory(server, scans)}\n`);
    return EXIT.OK;
  } finally {
    store.close();
  }
}

function renderHistory(server: string, scans: readonly StoredScanInfo[]): string {
  const rows = scans.map((s) => [
    String(s.id),
    s.startedAt.replace(/\.\d+Z$/, 'Z'),
    s.status,
    String(s.toolCount),
    `${(s.durationMs / 1000).toFixed(1)}s`,
    s.error === undefined ? '' : safeText(s.error, 100),
  ]);
  const head = ['SCAN', 'STARTED', 'STATUS', 'TOOLS', 'TOOK', 'ERROR'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === 0 || i === 3 || i === 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [
    `${safeText(server, 120)}: ${scans.length} scans, newest first (mcp-risk diff ${safeText(server, 120)} --from ID --to ID compares two)`,
    line(head),
    ...rows.map(line),
  ].join('\n');
}
