// The first pass over the database: every server with the category and risk of each tool of its last
// good scan, light enough to hold for 5,000+ servers at once. The index page and "related tools" are
// built from it; each server's full scan is read again, one at a time, when its pages are written.
import { loadLexicon } from '../classify/lexicon.js';
import { splitName } from '../classify/text.js';
import type { Category, Risk } from '../model/index.js';
import type { ServerSummary, Store } from '../store/index.js';
import { uniqueSlugs } from './slug.js';

export interface ToolRef {
  server: string;
  serverSlug: string;
  name: string;
  slug: string;
  category: Category;
  risk: Risk;
  /** The action the name leads with (`cancel` for cancel_run), for "related tools". */
  verb: string;
}

export interface IndexedServer {
  summary: ServerSummary;
  slug: string;
  /** Tools of the last scan that listed successfully; empty when none did. */
  tools: ToolRef[];
}

export interface CatalogueIndex {
  servers: IndexedServer[];
  /** `${category} ${verb}` -> the tools across the catalogue with that category and verb. */
  byCategoryVerb: Map<string, ToolRef[]>;
}

export function readCatalogue(store: Store): CatalogueIndex {
  const lexicon = loadLexicon();
  const verbOf = (name: string): string => {
    const words = splitName(name);
    for (const w of words) {
      const entry = lexicon.forms.get(w);
      if (entry && !entry.agent) return entry.lemma;
    }
    return words[0] ?? name.toLowerCase();
  };
  const servers: IndexedServer[] = [];
  const byCategoryVerb = new Map<string, ToolRef[]>();
  const summaries = store.listServers();
  const serverSlugs = uniqueSlugs(summaries.map((s) => s.name));
  for (const summary of summaries) {
    const slug = serverSlugs.get(summary.name)!;
    const verdicts = summary.lastOkScanId === undefined ? [] : store.scanToolVerdicts(summary.lastOkScanId);
    const toolSlugs = uniqueSlugs(verdicts.map((t) => t.name));
    const tools: ToolRef[] = verdicts.map((t) => ({
      server: summary.name,
      serverSlug: slug,
      name: t.name,
      slug: toolSlugs.get(t.name)!,
      category: t.category,
      risk: t.risk,
      verb: verbOf(t.name),
    }));
    for (const t of tools) {
      const key = `${t.category} ${t.verb}`;
      const list = byCategoryVerb.get(key);
      if (list) list.push(t);
      else byCategoryVerb.set(key, [t]);
    }
    servers.push({ summary, slug, tools });
  }
  servers.sort((a, b) => (a.summary.name < b.summary.name ? -1 : a.summary.name > b.summary.name ? 1 : 0));
  return { servers, byCategoryVerb };
}
