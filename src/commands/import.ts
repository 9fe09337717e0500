// `mcp-risk import registry URL` and `mcp-risk import html FILE_OR_URL`: listings into a catalogue file.
import { existsSync, readFileSync } from 'node:fs';
import { appendToCatalogueText, loadCatalogue, mergeCatalogues, renderCatalogue } from '../catalogue/catalogue-file.js';
import type { CatalogueEntry, SkippedListing } from '../catalogue/types.js';
import { safeText } from '../output/terminal.js';
import { writeFileAtomic } from '../cli/files.js';
import { EXIT, note } from '../cli/io.js';
import { onePerServer } from '../catalogue/same-server.js';
import type { Io } from '../cli/io.js';

export interface ImportFlags {
  out?: string;
  limit?: number;
  maxPages?: number;
  selectors?: string;
  timeout?: number;
}

export async function importCommand(kind: 'registry' | 'html', from: string, flags: ImportFlags, io: Io): Promise<number> {
  const timeoutMs = flags.timeout;
  let entries: CatalogueEntry[];
  let skipped: SkippedListing[];
  let pages = '';
  if (kind === 'registry') {
    const { importRegistry } = await import('../catalogue/import-registry.js');
    const result = await importRegistry(from, {
      ...(flags.limit !== undefined ? { limit: flags.limit } : {}),
      ...(flags.maxPages !== undefined ? { maxPages: flags.maxPages } : {}),
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    });
    ({ entries, skipped } = result);
    pages = ` from ${result.pages} ${result.pages === 1 ? 'page' : 'pages'}${result.incomplete ? ` (incomplete: ${safeText(String(result.incomplete), 200)})` : ''}`;
  } else {
    // cheerio is loaded only for an HTML page.
    const [{ importHtml }, { loadDirectoryConfig }, { readTextSource }] = await Promise.all([
      import('../catalogue/import-html.js'),
      import('../catalogue/directory-config.js'),
      import('../catalogue/fetch-text.js'),
    ]);
    const config = loadDirectoryConfig(flags.selectors ?? 'generic');
    const page = await readTextSource(from, timeoutMs !== undefined ? { timeoutMs } : {});
    ({ entries, skipped } = importHtml(page.text, config, page.pageUrl));
  }

  // One entry a server: a listing that starts a server already listed under another name is left out.
  const unique = onePerServer(entries);
  entries = unique.entries;
  for (const d of unique.duplicates.slice(0, 20)) note(io, `  left out ${safeText(d.name, 80)}: the same server as ${safeText(d.sameAs, 80)}\n`);
  const out = flags.out;
  let added = entries.length;
  if (out === undefined) {
    io.out(renderCatalogue({ entries, defaults: { tags: [] } }));
  } else if (existsSync(out)) {
    // Appended as text, so the user's comments and layout in the existing file survive.
    const existing = loadCatalogue(out);
    const merged = mergeCatalogues(existing, entries);
    const fresh = entries.filter((e) => merged.added.includes(e.name));
    added = fresh.length;
    writeFileAtomic(out, appendToCatalogueText(readFileSync(out, 'utf8'), existing, fresh));
  } else {
    writeFileAtomic(out, renderCatalogue({ entries, defaults: { tags: [] } }));
  }
  note(io, `mcp-risk: imported ${entries.length} servers${pages}${out !== undefined ? `, ${added} new in ${out}` : ''}; skipped ${skipped.length}\n`);
  for (const s of skipped.slice(0, 20)) note(io, `  skipped ${safeText(s.name, 80)}: ${safeText(s.reason, 160)}\n`);
  if (skipped.length > 20) note(io, `  … and ${skipped.length - 20} more skipped\n`);
  return EXIT.OK;
}
