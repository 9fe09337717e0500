// Finds the MCP servers a user has configured: where each client keeps its config on each platform,
// read through the one client-config parser, every server named once across them.
import { posix, win32 } from 'node:path';
import { isRecord, McpRiskError } from '../model/index.js';
import { readClientConfig } from './client-config.js';
import type { ConfigWarning } from './client-config.js';
import { nameServers } from './config-names.js';
import type { NamedServer, SplitName } from './config-names.js';
import { configServers, readDataFile } from './manifest.js';

/** Where to look; everything comes from the caller (the CLI's environment and options), never from this process. */
export interface DiscoveryPlaces {
  home: string;
  /** The project whose `.mcp.json`, `.cursor/mcp.json` and `.vscode/mcp.json` are read; `${workspaceFolder}`. */
  project: string;
  platform: NodeJS.Platform;
  /** Windows: `%APPDATA%` (default: `<home>\AppData\Roaming`). */
  appData?: string;
  /** Linux and the BSDs: `$XDG_CONFIG_HOME` (default: `<home>/.config`), where Electron apps keep theirs. */
  xdgConfigHome?: string;
  /** `$CODEX_HOME` (default: `<home>/.codex`). */
  codexHome?: string;
}

/** One config file a client reads: `label` names it in messages and in split names (`memory@cursor`). */
export interface ConfigPlace {
  client: string;
  label: string;
  path: string;
}

/** Every config file discovery reads, in this order (user configs first, then the project's). */
export function configPlaces(places: DiscoveryPlaces): ConfigPlace[] {
  const path = places.platform === 'win32' ? win32 : posix;
  const { home, project } = places;
  // Claude Desktop and VS Code are Electron apps: their user folder is the platform's application-data folder.
  const appData =
    places.platform === 'darwin'
      ? path.join(home, 'Library', 'Application Support')
      : places.platform === 'win32'
        ? (places.appData ?? path.join(home, 'AppData', 'Roaming'))
        : (places.xdgConfigHome ?? path.join(home, '.config'));
  return [
    { client: 'Claude Desktop', label: 'claude-desktop', path: path.join(appData, 'Claude', 'claude_desktop_config.json') },
    { client: 'Claude Code', label: 'claude-code', path: path.join(home, '.claude.json') },
    { client: 'Cursor', label: 'cursor', path: path.join(home, '.cursor', 'mcp.json') },
    { client: 'VS Code', label: 'vscode', path: path.join(appData, 'Code', 'User', 'mcp.json') },
    { client: 'Windsurf', label: 'windsurf', path: path.join(home, '.codeium', 'windsurf', 'mcp_config.json') },
    { client: 'Codex', label: 'codex', path: path.join(places.codexHome ?? path.join(home, '.codex'), 'config.toml') },
    { client: 'Claude Code', label: 'claude-code-project', path: path.join(project, '.mcp.json') },
    { client: 'Cursor', label: 'cursor-project', path: path.join(project, '.cursor', 'mcp.json') },
    { client: 'VS Code', label: 'vscode-workspace', path: path.join(project, '.vscode', 'mcp.json') },
  ];
}

/** A config that was read, and how many servers it gave. */
export interface ConfigRead extends ConfigPlace {
  servers: number;
}

export interface Discovery {
  servers: NamedServer[];
  read: ConfigRead[];
  /** Configs that exist but could not be read or are not valid: one line each, none fatal. */
  skipped: Array<ConfigPlace & { reason: string }>;
  /** Values not passed and servers not scanned, per config. */
  warnings: Array<ConfigWarning & { path: string }>;
  split: SplitName[];
}

/** Reads every config of `configPlaces`; a missing one is silent, an unreadable or invalid one is skipped with its reason. */
export async function discoverServers(places: DiscoveryPlaces): Promise<Discovery> {
  const found: Array<{ label: string; targets: NamedServer['target'][] }> = [];
  const result: Discovery = { servers: [], read: [], skipped: [], warnings: [], split: [] };
  const seen = new Set<string>();
  for (const place of configPlaces(places)) {
    // The project may be the home folder: ~/.cursor/mcp.json is then read once, as the user's.
    if (seen.has(place.path)) continue;
    seen.add(place.path);
    let data: unknown;
    try {
      data = await readDataFile(place.path);
    } catch (error) {
      const cause = (error as { cause?: NodeJS.ErrnoException }).cause?.code;
      if (cause === 'ENOENT' || cause === 'ENOTDIR') continue;
      result.skipped.push({ ...place, reason: (error as Error).message });
      continue;
    }
    try {
      const config = isRecord(data) ? readClientConfig(data, { home: places.home, project: places.project }) : undefined;
      const groups = config === undefined ? [] : configServers(config, place.path).groups;
      for (const g of groups)
        found.push({ label: g.scope === undefined ? place.label : `${place.label}:${g.scope}`, targets: g.targets as NamedServer['target'][] });
      result.warnings.push(...(config?.warnings ?? []).map((w) => ({ ...w, path: place.path })));
      result.read.push({ ...place, servers: groups.reduce((n, g) => n + g.targets.length, 0) });
    } catch (error) {
      if (!(error instanceof McpRiskError)) throw error;
      result.skipped.push({ ...place, reason: error.message });
    }
  }
  const named = nameServers(found);
  return { ...result, servers: named.servers, split: named.split };
}
