// `mcp-risk import registry URL` and `mcp-risk import html FILE_OR_URL`: listings into a catalogue file.
import { existsSync, readFileSync } from 'node:fs';
import { appendToCatalogueText, importHtml, importRegistry, loadCatalogue, loadDirectoryConfig, mergeCatalogues, readTextSource, renderCatalogue } from '../catalogue/index.js';
import type { CatalogueEntry, SkippedListing } from '../catalogue/index.js';
import { McpRiskError } from '../model/index.js';
import { safeText } from '../output/index.js';
import { EXIT, parse } from './args.js';
import type { Io } from './args.js';
import { writeFileAtomic } from './files.js';

const FLAGS = {
  out: { type: 'string' },
  limit: { type: 'string' },
  'max-pages': { type: 'string' },
  selectors: { type: 'string' },
  timeout: { type: 'string' },
} as const;

function positive(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new McpRiskError('USAGE', `${flag} takes a positive whole number, got '${value}'`);
  return n;
}

export async function importCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, FLAGS);
  const [kind, from] = positionals;
  if (positionals.length !== 2 || (kind !== 'registry' && kind !== 'html')) {
    throw new McpRiskError('USAGE', 'import takes `registry URL` or `html FILE_OR_URL`', { hint: 'run mcp-risk --help' });
  }
  const timeoutMs = positive(values.timeout, '--timeout');
  let entries: CatalogueEntry[];
  let skipped: SkippedListing[];
  let note = '';
  if (kind === 'registry') {
    const result = await importRegistry(from!, {
      ...(positive(values.limit, '--limit') !== undefined ? { limit: positive(values.limit, '--limit')! } : {}),
      ...(positive(values['max-pages'], '--max-pages') !== undefined ? { maxPages: positive(values['max-pages'], '--max-pages')! } : {}),
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    });
    ({ entries, skipped } = result);
    note = ` from ${result.pages} ${result.pages === 1 ? 'page' : 'pages'}${result.incomplete ? ` (incomplete: ${safeText(String(result.incomplete), 200)})` : ''}`;
  } else {
    const config = loadDirectoryConfig(values.selectors ?? 'generic');
    const page = await readTextSource(from!, timeoutMs !== undefined ? { timeoutMs } : {});
    ({ entries, skipped } = importHtml(page.text, config, page.pageUrl));
  }

  const out = values.out;
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
  io.err(`mcp-risk: imported ${entries.length} servers${note}${out !== undefined ? `, ${added} new in ${out}` : ''}; skipped ${skipped.length}\n`);
  for (const s of skipped.slice(0, 20)) io.err(`  skipped ${safeText(s.name, 80)}: ${safeText(s.reason, 160)}\n`);
  if (skipped.length > 20) io.err(`  … and ${skipped.length - 20} more skipped\n`);
  return EXIT.OK;
}
