// `mcp-risk show [SERVER[/TOOL]]`: reads stored results back as a table or JSON.
import { McpRiskError } from '../model/errors.js';
import { toScanJson } from '../output/json.js';
import { renderServerList } from '../output/servers.js';
import { renderScanTable } from '../output/table.js';
import { renderToolDetail } from '../output/tool-detail.js';
import { viewFromStored } from '../output/view.js';
import type { Store } from '../store/index.js';
import { EXIT } from '../cli/io.js';
import type { Io } from '../cli/io.js';
import { openExistingStore } from '../cli/open-store.js';
import { JSON_SCHEMA_TAGS } from '../output/json-schemas.js';
import { jsonText } from '../output/safe-text.js';

export interface ShowFlags {
  json?: boolean;
  db?: string;
}

export async function showCommand(what: string | undefined, flags: ShowFlags, io: Io): Promise<number> {
  const store = openExistingStore(flags.db, io.env);
  try {
    if (what === undefined) {
      const servers = store.listServers();
      io.out(
        flags.json === true ? jsonText({ schema: JSON_SCHEMA_TAGS.servers, servers }, io.compactJson) : renderServerList(servers, { color: io.color }) + '\n',
      );
      return EXIT.OK;
    }
    const { server, tool } = splitServerTool(store, what);
    const stored = store.scanResult(store.latestScan(server).id);
    const view = viewFromStored(stored);
    if (tool === undefined) {
      io.out(flags.json === true ? jsonText(toScanJson(view), io.compactJson) : renderScanTable(view, { color: io.color }) + '\n');
      return EXIT.OK;
    }
    const entry = view.tools.find((t) => t.definition.name === tool);
    if (entry === undefined) {
      throw new McpRiskError('NOT_FOUND', `server '${server}' has no tool '${tool}' in its latest scan`, {
        hint: `run mcp-risk show ${server} to list its tools`,
      });
    }
    const history = store.toolHistory(server, tool);
    io.out(
      flags.json === true
        ? jsonText({ schema: JSON_SCHEMA_TAGS.tool, ...toScanJson({ ...view, tools: [entry] }).tools[0], history }, io.compactJson)
        : renderToolDetail(entry, history, { color: io.color }) + '\n',
    );
    return EXIT.OK;
  } finally {
    store.close();
  }
}

/**
 * Server names may contain '/': the whole argument if it names a server, else the part before its last
 * '/' with the rest as the tool. Indexed lookups, so the cost does not grow with the catalogue.
 */
function splitServerTool(store: Store, what: string): { server: string; tool?: string } {
  if (store.hasServer(what)) return { server: what };
  const slash = what.lastIndexOf('/');
  if (slash > 0 && store.hasServer(what.slice(0, slash))) return { server: what.slice(0, slash), tool: what.slice(slash + 1) };
  const { names, total } = store.someServerNames();
  throw new McpRiskError('NOT_FOUND', `no server named '${what}' in the database`, {
    hint:
      total > 0
        ? `known servers: ${names.slice(0, 10).join(', ')}${total > 10 ? `, … (${total - 10} more)` : ''}`
        : 'scan a server first: mcp-risk scan --help',
  });
}
