// The read models: servers, scans, a scan read back whole, verdict counts and tool history.
import { highestRisk, McpRiskError } from '../model/index.js';
import type { Category, Classification, Finding, LlmRun, Risk, ScanStatus, SourceKind, ToolDefinition } from '../model/index.js';
import { unpackJson } from './packed-json.js';
import { LISTED_SQL, SELECT_SERVER_ID } from './statements.js';
import type { Statements } from './statements.js';
import type { LatestScanOptions, ServerSummary, StoredScan, StoredScanInfo, StoredTool, ToolVersionHistory } from './types.js';

interface ScanRow {
  id: number;
  server_name: string;
  started_at: string;
  duration_ms: number;
  status: ScanStatus;
  error: string | null;
  stderr_tail: string | null;
  source_kind: SourceKind;
  source_target: string;
  server_info_name: string | null;
  server_info_version: string | null;
  server_info_title: string | null;
  protocol_version: string | null;
  instructions: string | null;
  prompt_count: number | null;
  resource_count: number | null;
  tool_count: number;
  llm_json: string | null;
  isolation: StoredScanInfo['isolation'] | null;
}

interface FindingRow {
  tool_name: string | null;
  code: string;
  severity: Finding['severity'];
  path: string | null;
  args_json: string;
}

/** The columns of ScanRow, from `scans s JOIN servers v`. */
const SCAN_FROM = `
  SELECT s.id, v.name AS server_name, s.started_at, s.duration_ms, s.status, s.error, s.stderr_tail,
    s.source_kind, s.source_target, s.server_info_name, s.server_info_version, s.server_info_title,
    s.protocol_version, s.instructions, s.prompt_count, s.resource_count, s.tool_count, s.llm_json, s.isolation
  FROM scans s JOIN servers v ON v.id = s.server_id`;

// Scans of one server in time order; id breaks ties between scans started in the same millisecond.
const SELECT_SCANS_OF_SERVER = `${SCAN_FROM} WHERE s.server_id = ? ORDER BY s.started_at, s.id`;
const SELECT_LATEST_SCAN = `${SCAN_FROM} WHERE s.server_id = ? ORDER BY s.started_at DESC, s.id DESC LIMIT 1`;
const SELECT_LATEST_LISTED_SCAN = `${SCAN_FROM} WHERE s.server_id = ? AND s.status IN ${LISTED_SQL}
  ORDER BY s.started_at DESC, s.id DESC LIMIT 1`;
const SELECT_SCAN = `${SCAN_FROM} WHERE s.id = ?`;
const SELECT_MAX_SCAN_ID = 'SELECT max(id) AS id FROM scans';
// For hints: the first names and how many there are, never the whole list (a catalogue has 30,000).
const SELECT_SERVER_NAMES = 'SELECT name FROM servers ORDER BY name LIMIT 20';
const COUNT_SERVERS = 'SELECT count(*) AS n FROM servers';

// The verdict a scan used is the one under its own classifier version, not the newest for the hash:
// a later scan with another rule set must not rewrite what an earlier scan said. LEFT JOIN because a
// tool without a verdict (NULL classifier_version) is still part of the scan, shown as Unknown.
const SELECT_SCAN_VERDICTS = `
  SELECT coalesce(c.category, 'Unknown') AS category, coalesce(c.risk, 'Unknown') AS risk FROM scan_tools st
  LEFT JOIN classifications c ON c.tool_id = st.tool_id AND c.classifier_version = st.classifier_version
  WHERE st.scan_id = ? ORDER BY st.position`;

// The refresh summary over a whole catalogue in two queries, not two per server: each server's latest
// scan that listed tools with its verdicts counted, and each server's latest scan of any status.
const SELECT_LATEST_LISTED_COUNTS = `
  WITH latest AS (
    SELECT s.id, v.name, row_number() OVER (PARTITION BY s.server_id ORDER BY s.started_at DESC, s.id DESC) AS rn
    FROM scans s JOIN servers v ON v.id = s.server_id WHERE s.status IN ${LISTED_SQL})
  SELECT l.name, coalesce(c.category, 'Unknown') AS category, coalesce(c.risk, 'Unknown') AS risk, count(st.tool_id) AS n
  FROM latest l
  LEFT JOIN scan_tools st ON st.scan_id = l.id
  LEFT JOIN classifications c ON c.tool_id = st.tool_id AND c.classifier_version = st.classifier_version
  WHERE l.rn = 1 GROUP BY l.name, category, risk`;
const SELECT_LATEST_STATUSES = `
  WITH latest AS (
    SELECT v.name, s.status, s.error, row_number() OVER (PARTITION BY s.server_id ORDER BY s.started_at DESC, s.id DESC) AS rn
    FROM scans s JOIN servers v ON v.id = s.server_id)
  SELECT name, status, error FROM latest WHERE rn = 1`;

const SELECT_SCAN_TOOL_VERDICTS = `
  SELECT tv.name, coalesce(c.category, 'Unknown') AS category, coalesce(c.risk, 'Unknown') AS risk FROM scan_tools st
  JOIN tool_versions tv ON tv.id = st.tool_id
  LEFT JOIN classifications c ON c.tool_id = st.tool_id AND c.classifier_version = st.classifier_version
  WHERE st.scan_id = ? ORDER BY st.position`;

// Only a scan that listed tools says which configuration a refresh may consider unchanged.
const SELECT_LAST_LISTED_FINGERPRINT = `
  SELECT s.config_fingerprint AS fp FROM scans s JOIN servers v ON v.id = s.server_id
  WHERE v.name = ? AND s.status IN ${LISTED_SQL} ORDER BY s.started_at DESC, s.id DESC LIMIT 1`;

// A server's headline comes from two scans: the latest says how it went last time, the latest listed
// one gives tool count and risk (a failed rescan must not make a server look empty).
const SELECT_SERVERS = `
  SELECT v.id, v.name, v.source_kind, v.source_target, v.first_seen_at,
    (SELECT id FROM scans WHERE server_id = v.id ORDER BY started_at DESC, id DESC LIMIT 1) AS last_id,
    (SELECT id FROM scans WHERE server_id = v.id AND status IN ${LISTED_SQL}
       ORDER BY started_at DESC, id DESC LIMIT 1) AS last_ok_id
  FROM servers v ORDER BY v.name`;
const SELECT_SCAN_HEAD = 'SELECT id, started_at, status, tool_count FROM scans WHERE id = ?';
const SELECT_SCAN_RISKS = `
  SELECT c.risk FROM scan_tools st
  LEFT JOIN classifications c ON c.tool_id = st.tool_id AND c.classifier_version = st.classifier_version
  WHERE st.scan_id = ?`;

const SELECT_SCAN_TOOLS = `
  SELECT tv.hash, tv.definition, tv.first_seen_at, c.result
  FROM scan_tools st
  JOIN tool_versions tv ON tv.id = st.tool_id
  LEFT JOIN classifications c ON c.tool_id = st.tool_id AND c.classifier_version = st.classifier_version
  WHERE st.scan_id = ? ORDER BY st.position`;
// Findings a verdict carried come back inside its packed result; only the listing's own are stored here.
const SELECT_SCAN_FINDINGS = `
  SELECT tool_name, code, severity, path, args_json FROM findings
  WHERE scan_id = ? AND origin = 'scan' ORDER BY id`;

// History follows the tool name on one server: a changed definition is a new hash under the same name.
const sightings = (where: string): string => `
  SELECT tv.hash, tv.name, tv.definition, s.id AS scan_id, s.started_at, c.result
  FROM scan_tools st
  JOIN scans s ON s.id = st.scan_id
  JOIN tool_versions tv ON tv.id = st.tool_id
  LEFT JOIN classifications c ON c.tool_id = st.tool_id AND c.classifier_version = st.classifier_version
  WHERE ${where}
  ORDER BY s.started_at, s.id`;
const SELECT_TOOL_SIGHTINGS = sightings('s.server_id = ? AND tv.name = ?');
// Every tool of a server at once, for pages that show each tool's history (the site).
const SELECT_SERVER_SIGHTINGS = sightings('s.server_id = ?');
const SELECT_TOOL_NAMES_OF_SERVER = `
  SELECT DISTINCT tv.name FROM scan_tools st JOIN scans s ON s.id = st.scan_id
  JOIN tool_versions tv ON tv.id = st.tool_id WHERE s.server_id = ? ORDER BY tv.name`;

// Whether an unchanged server needs re-classifying, without reading its definitions back: a refresh asks
// this for every unchanged server, so it must stay one primary-key range scan of scan_tools.
const COUNT_VERDICTS_NOT_UNDER = `
  SELECT count(*) AS n FROM scan_tools WHERE scan_id = ? AND (classifier_version IS NULL OR classifier_version <> ?)`;

export class ScanQueries {
  constructor(private readonly sql: Statements) {}

  listServers(): ServerSummary[] {
    const rows = this.sql.get(SELECT_SERVERS).all() as Array<{
      id: number;
      name: string;
      source_kind: SourceKind;
      source_target: string;
      first_seen_at: string;
      last_id: number | null;
      last_ok_id: number | null;
    }>;
    const scanHead = this.sql.get(SELECT_SCAN_HEAD);
    const risksOf = this.sql.get(SELECT_SCAN_RISKS);
    const out: ServerSummary[] = [];
    for (const r of rows) {
      // A server row is only ever written together with its first scan, so last_id is set.
      if (r.last_id === null) continue;
      const last = scanHead.get(r.last_id) as { id: number; started_at: string; status: ScanStatus; tool_count: number };
      const summary: ServerSummary = {
        name: r.name,
        source: { kind: r.source_kind, target: r.source_target },
        firstSeenAt: r.first_seen_at,
        lastScanId: last.id,
        lastScanAt: last.started_at,
        lastStatus: last.status,
        toolCount: 0,
        highestRisk: null,
      };
      if (r.last_ok_id !== null) {
        const ok = scanHead.get(r.last_ok_id) as { id: number; started_at: string; tool_count: number };
        const risks = (risksOf.all(ok.id) as Array<{ risk: string | null }>).map((x) => (x.risk ?? 'Unknown') as Risk);
        summary.lastOkScanId = ok.id;
        summary.lastOkScanAt = ok.started_at;
        summary.toolCount = ok.tool_count;
        summary.highestRisk = highestRisk(risks);
      }
      out.push(summary);
    }
    return out;
  }

  /** Every scan of a server, oldest first. Throws NOT_FOUND for an unknown server. */
  listScans(serverName: string): StoredScanInfo[] {
    const rows = this.sql.get(SELECT_SCANS_OF_SERVER).all(this.serverId(serverName)) as ScanRow[];
    return rows.map(toScanInfo);
  }

  latestScan(serverName: string, options: LatestScanOptions = {}): StoredScanInfo {
    const row = this.latestRow(this.serverId(serverName), options);
    if (!row) {
      // Only okOnly can miss: every stored server has at least one scan.
      const last = this.latestScan(serverName);
      throw new McpRiskError('NOT_FOUND', `No successful scan of "${serverName}" is stored.`, {
        hint: `The last scan (${last.startedAt}) ended with status ${last.status}${last.error ? `: ${last.error}` : ''}. Scan it again.`,
      });
    }
    return toScanInfo(row);
  }

  /** Like latestScan, but undefined instead of an error when there is none. */
  findLatestScan(serverName: string, options: LatestScanOptions = {}): StoredScanInfo | undefined {
    const server = this.sql.get(SELECT_SERVER_ID).get(serverName) as { id: number } | undefined;
    if (!server) return undefined;
    const row = this.latestRow(server.id, options);
    return row ? toScanInfo(row) : undefined;
  }

  getScan(scanId: number): StoredScanInfo {
    const row = this.sql.get(SELECT_SCAN).get(scanId) as ScanRow | undefined;
    if (!row) {
      const latest = this.sql.get(SELECT_MAX_SCAN_ID).get() as { id: number | null };
      throw new McpRiskError('NOT_FOUND', `There is no scan with id ${scanId}.`, {
        hint: latest.id === null ? 'The database holds no scans yet.' : `Scan ids run up to ${latest.id}; see \`mcp-risk list\`.`,
      });
    }
    return toScanInfo(row);
  }

  scanResult(scanId: number): StoredScan {
    const scan = this.getScan(scanId);
    const toolRows = this.sql.get(SELECT_SCAN_TOOLS).all(scanId) as Array<{
      hash: string;
      definition: Buffer;
      first_seen_at: string;
      result: Buffer | null;
    }>;
    const tools: StoredTool[] = toolRows.map((r) => {
      const tool: StoredTool = {
        definition: unpackJson<ToolDefinition>(r.definition),
        hash: r.hash,
        firstSeenAt: r.first_seen_at,
      };
      if (r.result !== null) tool.classification = unpackJson<Classification>(r.result);
      return tool;
    });
    const findingRows = this.sql.get(SELECT_SCAN_FINDINGS).all(scanId) as FindingRow[];
    return { scan, tools, findings: findingRows.map(toFinding) };
  }

  /** Category and risk of each tool a scan saw, without reading definitions (Unknown when not classified). */
  scanVerdicts(scanId: number): Array<{ category: Category; risk: Risk }> {
    return this.sql.get(SELECT_SCAN_VERDICTS).all(scanId) as Array<{ category: Category; risk: Risk }>;
  }

  /**
   * For every server with a scan that listed tools: its latest such scan's tools counted by category and
   * risk (an empty list for a scan that listed none). One query for the whole database.
   */
  latestListedCounts(): Map<string, Array<{ category: Category; risk: Risk; n: number }>> {
    const out = new Map<string, Array<{ category: Category; risk: Risk; n: number }>>();
    for (const r of this.sql.get(SELECT_LATEST_LISTED_COUNTS).all() as Array<{ name: string; category: Category; risk: Risk; n: number }>) {
      let list = out.get(r.name);
      if (!list) out.set(r.name, (list = []));
      if (r.n > 0) list.push({ category: r.category, risk: r.risk, n: r.n });
    }
    return out;
  }

  /** Every server's latest scan, of any status: its status and error. One query for the whole database. */
  latestStatuses(): Map<string, { status: ScanStatus; error?: string }> {
    const rows = this.sql.get(SELECT_LATEST_STATUSES).all() as Array<{ name: string; status: ScanStatus; error: string | null }>;
    return new Map(rows.map((r) => [r.name, r.error === null ? { status: r.status } : { status: r.status, error: r.error }]));
  }

  /** Each tool of a scan by name, with its category and risk, without reading definitions. */
  scanToolVerdicts(scanId: number): Array<{ name: string; category: Category; risk: Risk }> {
    return this.sql.get(SELECT_SCAN_TOOL_VERDICTS).all(scanId) as Array<{ name: string; category: Category; risk: Risk }>;
  }

  /** Tools of a scan whose stored verdict was made under another classifier version (or none): one indexed count. */
  verdictsNotUnder(scanId: number, classifierVersion: string): number {
    return (this.sql.get(COUNT_VERDICTS_NOT_UNDER).get(scanId, classifierVersion) as { n: number }).n;
  }

  /** The config fingerprint the latest successful scan of a server was made with. */
  lastOkFingerprint(serverName: string): string | undefined {
    const row = this.sql.get(SELECT_LAST_LISTED_FINGERPRINT).get(serverName) as { fp: string | null } | undefined;
    return row?.fp ?? undefined;
  }

  toolHistory(serverName: string, toolName: string): ToolVersionHistory[] {
    const serverId = this.serverId(serverName);
    const rows = this.sql.get(SELECT_TOOL_SIGHTINGS).all(serverId, toolName) as SightingRow[];
    if (rows.length === 0) {
      const known = (this.sql.get(SELECT_TOOL_NAMES_OF_SERVER).all(serverId) as Array<{ name: string }>).map((r) => r.name);
      throw new McpRiskError('NOT_FOUND', `No scan of "${serverName}" has seen a tool named "${toolName}".`, {
        hint: known.length === 0 ? `No scan of "${serverName}" listed any tools.` : `Known tools: ${listHint(known)}.`,
      });
    }
    return versionsOf(rows);
  }

  /** toolHistory for every tool a server ever listed, by tool name, in one query. */
  serverToolHistory(serverName: string): Map<string, ToolVersionHistory[]> {
    const byName = new Map<string, SightingRow[]>();
    for (const r of this.sql.get(SELECT_SERVER_SIGHTINGS).all(this.serverId(serverName)) as SightingRow[]) {
      const rows = byName.get(r.name);
      if (rows) rows.push(r);
      else byName.set(r.name, [r]);
    }
    return new Map([...byName].map(([name, rows]) => [name, versionsOf(rows)]));
  }

  private latestRow(serverId: number, options: LatestScanOptions): ScanRow | undefined {
    return this.sql.get(options.okOnly ? SELECT_LATEST_LISTED_SCAN : SELECT_LATEST_SCAN).get(serverId) as ScanRow | undefined;
  }

  /** One indexed lookup: whether a server of this name is stored. */
  hasServer(name: string): boolean {
    return this.sql.get(SELECT_SERVER_ID).get(name) !== undefined;
  }

  /** The first stored server names (at most 20) and how many there are, for a hint. */
  someServerNames(): { names: string[]; total: number } {
    const names = (this.sql.get(SELECT_SERVER_NAMES).all() as Array<{ name: string }>).map((r) => r.name);
    return { names, total: (this.sql.get(COUNT_SERVERS).get() as { n: number }).n };
  }

  private serverId(name: string): number {
    const row = this.sql.get(SELECT_SERVER_ID).get(name) as { id: number } | undefined;
    if (row) return row.id;
    const { names, total } = this.someServerNames();
    throw new McpRiskError('NOT_FOUND', `No server named "${name}" has been scanned.`, {
      hint: total === 0 ? 'The database holds no scans yet; run `mcp-risk scan` first.' : `Known servers: ${listHint(names, total)}.`,
    });
  }
}

interface SightingRow {
  hash: string;
  name: string;
  definition: Buffer;
  scan_id: number;
  started_at: string;
  result: Buffer | null;
}

/** Sightings of one tool, oldest first, grouped into its versions; each keeps the verdict of its latest sighting. */
function versionsOf(rows: readonly SightingRow[]): ToolVersionHistory[] {
  const byHash = new Map<string, { version: ToolVersionHistory; verdict: Buffer | null }>();
  for (const r of rows) {
    let v = byHash.get(r.hash);
    if (!v) {
      v = {
        version: {
          hash: r.hash,
          name: r.name,
          definition: unpackJson<ToolDefinition>(r.definition),
          firstSeenAt: r.started_at,
          lastSeenAt: r.started_at,
          scans: [],
        },
        verdict: null,
      };
      byHash.set(r.hash, v);
    }
    const version = v.version;
    // A tool listed twice in one scan still counts as one sighting.
    if (version.scans.at(-1)?.id !== r.scan_id) version.scans.push({ id: r.scan_id, startedAt: r.started_at });
    version.lastSeenAt = r.started_at;
    if (r.result !== null) v.verdict = r.result;
  }
  // Unpacked once per version, not once per sighting.
  return [...byHash.values()].map(({ version, verdict }) => (verdict === null ? version : { ...version, classification: unpackJson<Classification>(verdict) }));
}

function listHint(names: string[], total = names.length, max = 20): string {
  const shown = names.slice(0, max).join(', ');
  const more = total - Math.min(max, names.length);
  return more > 0 ? `${shown}, … (${more} more)` : shown;
}

function toScanInfo(r: ScanRow): StoredScanInfo {
  const info: StoredScanInfo = {
    id: r.id,
    serverName: r.server_name,
    source: { kind: r.source_kind, target: r.source_target },
    status: r.status,
    startedAt: r.started_at,
    durationMs: r.duration_ms,
    toolCount: r.tool_count,
  };
  if (r.error !== null) info.error = r.error;
  if (r.stderr_tail !== null) info.stderrTail = r.stderr_tail;
  if (r.server_info_name !== null) {
    info.serverInfo = { name: r.server_info_name };
    if (r.server_info_version !== null) info.serverInfo.version = r.server_info_version;
    if (r.server_info_title !== null) info.serverInfo.title = r.server_info_title;
  }
  if (r.protocol_version !== null) info.protocolVersion = r.protocol_version;
  if (r.instructions !== null) info.instructions = r.instructions;
  if (r.prompt_count !== null) info.promptCount = r.prompt_count;
  if (r.resource_count !== null) info.resourceCount = r.resource_count;
  if (r.isolation !== null) info.isolation = r.isolation;
  if (r.llm_json !== null) info.llm = JSON.parse(r.llm_json) as LlmRun;
  return info;
}

function toFinding(r: FindingRow): Finding {
  // Stored by this or another version of mcp-risk: the code is trusted as written (renderFinding copes with unknown ones).
  const f = { code: r.code, severity: r.severity, args: JSON.parse(r.args_json) as unknown } as Finding;
  if (r.tool_name !== null) f.tool = r.tool_name;
  if (r.path !== null) f.path = r.path;
  return f;
}
