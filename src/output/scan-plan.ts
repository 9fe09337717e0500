// What `scan --list` prints: the servers a scan would start or call, without starting any.
import type { CatalogueEntry } from '../catalogue/index.js';
import { redactUrl, sourceOf } from '../ingest/server-name.js';
import { padEnd, safeText } from './terminal.js';

export interface PlannedServerJson {
  name: string;
  kind: CatalogueEntry['source']['kind'];
  /** The command line, the URL (credentials masked), the npm spec or the manifest path. */
  target: string;
  cwd?: string;
  /** Names only: values may be secrets. */
  env: string[];
  headers: string[];
  /** The client configs (or the file) that define it; empty for a server named on the command line. */
  from: string[];
}

function target(entry: CatalogueEntry): string {
  const s = entry.source;
  switch (s.kind) {
    case 'stdio':
      return sourceOf({ kind: 'stdio', command: s.command, args: entry.args }).target;
    case 'http':
      return redactUrl(s.url);
    case 'npm':
      return `npm:${s.package}${s.version ? `@${s.version}` : ''}${entry.args.length > 0 ? ` -- ${entry.args.join(' ')}` : ''}`;
    case 'manifest':
      return s.path;
  }
}

export function scanPlanJson(entries: readonly CatalogueEntry[], from: ReadonlyMap<string, string[]>): PlannedServerJson[] {
  return entries.map((e) => ({
    name: e.name,
    kind: e.source.kind,
    target: target(e),
    ...(e.source.kind === 'stdio' && e.source.cwd !== undefined && { cwd: e.source.cwd }),
    env: Object.keys(e.env),
    headers: Object.keys(e.headers),
    from: from.get(e.name) ?? [],
  }));
}

/** One line a server under a header, ending in a newline; names and commands escaped for the terminal. */
export function renderScanPlan(entries: readonly CatalogueEntry[], from: ReadonlyMap<string, string[]>): string {
  if (entries.length === 0) return 'No MCP servers found.\n';
  const rows = scanPlanJson(entries, from).map((p) => ({
    name: safeText(p.name, 60),
    kind: p.kind,
    target: safeText(p.target, 100),
    passes: safeText([...p.env, ...p.headers].join(', '), 60),
    from: safeText(p.from.join(', '), 100),
  }));
  const head = { name: 'SERVER', kind: 'KIND', target: 'TARGET', passes: 'PASSES', from: 'FROM' };
  const width = (key: keyof typeof head): number => Math.max(head[key].length, ...rows.map((r) => r[key].length));
  const w = { name: width('name'), kind: width('kind'), target: width('target'), passes: width('passes') };
  const line = (r: typeof head): string =>
    [padEnd(r.name, w.name), padEnd(r.kind, w.kind), padEnd(r.target, w.target), padEnd(r.passes, w.passes), r.from].join('  ').trimEnd();
  return `${[line(head), ...rows.map(line)].join('\n')}\n${entries.length} server${entries.length === 1 ? '' : 's'} would be scanned; nothing was started.\n`;
}
