// `mcp-risk site`: the static catalogue, written from the database into a fresh folder that replaces
// the last one at once (a nightly `refresh` + `site` can be published as it stands, never half-written).
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { diffScans } from '../history/diff.js';
import { isListed } from '../model/index.js';
import { McpRiskError } from '../model/errors.js';
import { categoryOf } from '../output/summary.js';
import { viewFromStored } from '../output/view.js';
import type { ToolView } from '../output/view.js';
import type { Store } from '../store/index.js';
import { SCRIPT, STYLESHEET } from './assets.js';
import { readCatalogue } from './catalogue.js';
import type { CatalogueIndex, IndexedServer, ToolRef } from './catalogue.js';
import { indexPage } from './index-page.js';
import { policyFiles } from './policies.js';
import { serverPage } from './server-page.js';
import { toolPage } from './tool-page.js';

/** Written at the root of every site; only a folder holding it is ever replaced. */
export const SITE_MARKER = '.mcp-risk-site';
/** Related tools a tool page links to at most. */
const MAX_RELATED = 10;

export interface SiteOptions {
  /** The time the pages say they were made (default: now). */
  generatedAt?: string;
}

export interface SiteResult {
  servers: number;
  tools: number;
  pages: number;
  files: number;
  bytes: number;
}

export function buildSite(store: Store, outDir: string, options: SiteOptions = {}): SiteResult {
  const out = resolve(outDir);
  checkReplaceable(out);
  const generatedAt = (options.generatedAt ?? new Date().toISOString()).replace(/\.\d+Z$/, 'Z');
  // Built beside the target, so the final rename stays on one filesystem.
  const partial = `${out}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  const result: SiteResult = { servers: 0, tools: 0, pages: 0, files: 0, bytes: 0 };
  const write = (path: string, text: string, isPage = true): void => {
    const full = join(partial, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
    result.files += 1;
    result.bytes += Buffer.byteLength(text);
    if (isPage) result.pages += 1;
  };
  try {
    mkdirSync(partial, { recursive: true });
    const catalogue = readCatalogue(store);
    write('assets/site.css', STYLESHEET, false);
    write('assets/site.js', SCRIPT, false);
    write('index.html', indexPage(catalogue, generatedAt));
    for (const server of catalogue.servers) {
      writeServer(store, catalogue, server, generatedAt, write);
      result.servers += 1;
      result.tools += server.tools.length;
    }
    write(SITE_MARKER, `${JSON.stringify({ generator: 'mcp-risk', generatedAt, servers: result.servers })}\n`, false);
    swapIn(partial, out);
    return result;
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    throw error;
  }
}

type Write = (path: string, text: string, isPage?: boolean) => void;

function writeServer(store: Store, catalogue: CatalogueIndex, server: IndexedServer, generatedAt: string, write: Write): void {
  const name = server.summary.name;
  const scans = store.listScans(name);
  const okId = server.summary.lastOkScanId;
  const latest = okId === undefined ? undefined : store.scanResult(okId);
  const previousOk = latest ? scans.filter((s) => s.id !== latest.scan.id && isListed(s.status) && s.startedAt <= latest.scan.startedAt).at(-1) : undefined;
  const diff = latest && previousOk ? diffScans(store.scanResult(previousOk.id), latest) : undefined;
  const view = latest ? viewFromStored(latest) : undefined;
  // A name listed twice in one scan gets one page: the first listing, as the policy keys on the name.
  const tools: ToolView[] = [];
  const toolSlugs = new Map<string, string>();
  const refs = new Map(server.tools.map((t) => [t.name, t] as const));
  for (const t of view?.tools ?? []) {
    const ref = refs.get(t.definition.name);
    if (ref === undefined || toolSlugs.has(t.definition.name)) continue;
    toolSlugs.set(t.definition.name, ref.slug);
    tools.push(t);
  }
  const dir = `servers/${server.slug}`;
  const policies = view ? policyFiles(view) : [];
  write(`${dir}/index.html`, serverPage({ name, toolSlugs, ...(view && { view }), scans, ...(diff && { diff }), policies, generatedAt }));
  for (const p of policies) write(`${dir}/${p.file}`, p.text, false);
  if (!view) return;
  const history = store.serverToolHistory(name);
  for (const tool of tools) {
    const ref = refs.get(tool.definition.name)!;
    write(
      `${dir}/tools/${ref.slug}/index.html`,
      toolPage({
        server: name,
        tool,
        history: history.get(tool.definition.name) ?? [],
        related: relatedTo(catalogue, ref, categoryOf(tool)),
        policies: policyFiles({ ...view, tools: [tool] }),
        generatedAt,
      }),
    );
  }
}

function relatedTo(catalogue: CatalogueIndex, self: ToolRef, category: string): ToolRef[] {
  const same = catalogue.byCategoryVerb.get(`${category} ${self.verb}`) ?? [];
  const out: ToolRef[] = [];
  for (const t of same) {
    if (t.server === self.server && t.name === self.name) continue;
    out.push(t);
    if (out.length === MAX_RELATED) break;
  }
  return out;
}

/** A folder is replaced only when it is absent, empty, or a site this command wrote (it has the marker). */
function checkReplaceable(out: string): void {
  if (!existsSync(out)) return;
  let entries: string[];
  try {
    entries = readdirSync(out);
  } catch {
    throw new McpRiskError('OUTPUT_FAILED', `${out} exists and is not a folder`);
  }
  if (entries.length > 0 && !entries.includes(SITE_MARKER)) {
    throw new McpRiskError('OUTPUT_FAILED', `${out} is not empty and holds no site made by mcp-risk; refusing to replace it`, {
      hint: 'pass --out with a new or empty folder',
    });
  }
}

function swapIn(partial: string, out: string): void {
  if (!existsSync(out)) {
    renameSync(partial, out);
    return;
  }
  const old = `${out}.old-${process.pid}`;
  rmSync(old, { recursive: true, force: true });
  renameSync(out, old);
  renameSync(partial, out);
  rmSync(old, { recursive: true, force: true });
}
