// Opens the results database, migrates it, and writes and reads whole scans.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { McpRiskError } from '../model/index.js';
import type { Category, Classification, Finding, LlmRun, Risk, ScanStatus, ServerSnapshot, SourceKind, ToolDefinition } from '../model/index.js';
import { migrations } from './migrations.js';
import type { Migration } from './migrations.js';
import { highestRisk } from './risk.js';
import type {
  LatestScanOptions,
  ServerSummary,
  StoredScan,
  StoredScanInfo,
  StoredTool,
  ToolVersionHistory,
} from './types.js';
import { describeSqliteError, messageOf } from './sqlite-errors.js';

type Db = Database.Database;

/** The cache key of an LLM verdict besides the definition hash. */
export interface LlmCacheKey {
  model: string;
  prompt: string;
  taxonomy: string;
}

export interface RecordScanOptions {
  /** How the LLM part of the scan went; stored with the scan. */
  llm?: LlmRun;
  /** The catalogue entry's fingerprint (with the resolved version): an unchanged one lets a refresh skip. */
  configFingerprint?: string;
  /** The exact package version scanned (npm sources). */
  resolvedVersion?: string;
  /** The refresh run this scan belongs to. */
  refreshId?: number;
}

export interface RefreshStart {
  catalogue: string;
  /** Catalogue content, shard and options that change what a run does: equal hash, same run. */
  catalogueHash: string;
  shard?: string;
  options: Record<string, unknown>;
}

export interface RefreshHandle {
  id: number;
  uid: string;
  startedAt: string;
  /** True when an interrupted run with the same key was picked up again. */
  resumed: boolean;
  /** Servers this run already scanned or skipped (a resumed run does not repeat them). */
  done: Set<string>;
}

export interface Store {
  /** Writes one scan and its verdicts in a single transaction; returns the scan id. */
  recordScan(snapshot: ServerSnapshot, classifications: readonly Classification[], options?: RecordScanOptions): number;
  /** Cached LLM verdicts (as stored JSON values) for these definition hashes under one key. */
  llmCacheGet(hashes: readonly string[], key: LlmCacheKey): Map<string, unknown>;
  /** Stores LLM verdicts at once, in their own transaction, so a scan killed later keeps them. */
  llmCachePut(entries: ReadonlyArray<{ hash: string; value: unknown }>, key: LlmCacheKey): void;
  listServers(): ServerSummary[];
  latestScan(serverName: string, options?: LatestScanOptions): StoredScanInfo;
  getScan(scanId: number): StoredScanInfo;
  scanResult(scanId: number): StoredScan;
  toolHistory(serverName: string, toolName: string): ToolVersionHistory[];
  /** Every scan of a server, oldest first. Throws NOT_FOUND for an unknown server. */
  listScans(serverName: string): StoredScanInfo[];
  /** Category and risk of each tool a scan saw, without reading definitions (Unknown when not classified). */
  scanVerdicts(scanId: number): Array<{ category: Category; risk: Risk }>;
  /** Like latestScan, but undefined instead of an error when there is none. */
  findLatestScan(serverName: string, options?: LatestScanOptions): StoredScanInfo | undefined;
  /** The config fingerprint the latest successful scan of a server was made with. */
  lastOkFingerprint(serverName: string): string | undefined;
  /** Starts a refresh run, or resumes the unfinished one with the same key; says which servers it already did. */
  startRefresh(run: RefreshStart): RefreshHandle;
  recordRefreshSkip(refreshId: number, serverName: string, reason: string): void;
  finishRefresh(refreshId: number, summary: unknown): void;
  /** The path this store was opened from. */
  readonly path: string;
  close(): void;
}

/** `$MCP_RISK_DB`, else `$XDG_DATA_HOME/mcp-risk/mcp-risk.db`, else `~/.local/share/mcp-risk/mcp-risk.db`. */
export function defaultDbPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MCP_RISK_DB) return env.MCP_RISK_DB;
  const dataHome = env.XDG_DATA_HOME || join(env.HOME || homedir(), '.local', 'share');
  return join(dataHome, 'mcp-risk', 'mcp-risk.db');
}

/**
 * The key a verdict is stored under: the rule-set version, plus prompt and model when an LLM took part,
 * e.g. `rules@1` or `rules@1+classify@2+gpt-4o-mini`. A new rule set or prompt means a new verdict row.
 */
export function classifierVersion(c: Classification): string {
  const p = c.provenance;
  return [p.rules, p.prompt, p.model].filter((x): x is string => typeof x === 'string' && x !== '').join('+');
}

const OK_STATUSES: readonly ScanStatus[] = ['ok', 'no-tools'];
const BUSY_TIMEOUT_MS = 5000;

/** Opens (creating if needed) and migrates the database at `path`. Throws DB_ERROR with one clear line. */
export function openStore(path: string, options: { migrations?: readonly Migration[] } = {}): Store {
  const steps = options.migrations ?? migrations;
  const inMemory = path === ':memory:' || path === '';
  if (!inMemory) {
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (cause) {
      throw new McpRiskError('DB_ERROR', `Cannot create the folder for the results database ${path}: ${messageOf(cause)}`, {
        cause,
        hint: 'Choose another location with --db or $MCP_RISK_DB.',
      });
    }
  }
  let db: Db | undefined;
  try {
    db = new Database(path);
    // The first real read happens here, so a file that is not SQLite fails on this line.
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > steps.length) {
      throw new McpRiskError(
        'DB_ERROR',
        `The results database ${path} has schema version ${version}, newer than this mcp-risk understands (${steps.length}).`,
        { hint: 'Upgrade mcp-risk, or point --db at another file.' },
      );
    }
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    migrate(db, steps, version);
    return new SqliteStore(db, path);
  } catch (cause) {
    db?.close();
    if (cause instanceof McpRiskError) throw cause;
    throw new McpRiskError('DB_ERROR', `Cannot open the results database ${path}: ${describeSqliteError(cause)}`, {
      cause,
      hint: 'Check the path, or point --db / $MCP_RISK_DB at another file.',
    });
  }
}

function migrate(db: Db, steps: readonly Migration[], from: number): void {
  for (let i = from; i < steps.length; i++) {
    const step = steps[i]!;
    // Each step and its version bump commit together, so a crash never leaves a half-applied step.
    db.transaction(() => {
      db.exec(step.sql);
      db.pragma(`user_version = ${i + 1}`);
    }).immediate();
  }
}


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
}

interface FindingRow {
  tool_name: string | null;
  code: string;
  severity: Finding['severity'];
  path: string | null;
  args_json: string;
}

const SCAN_COLUMNS = `
  s.id, v.name AS server_name, s.started_at, s.duration_ms, s.status, s.error, s.stderr_tail,
  s.source_kind, s.source_target, s.server_info_name, s.server_info_version, s.server_info_title,
  s.protocol_version, s.instructions, s.prompt_count, s.resource_count, s.tool_count, s.llm_json`;

class SqliteStore implements Store {
  readonly path: string;
  private readonly db: Db;

  constructor(db: Db, path: string) {
    this.db = db;
    this.path = path;
  }

  recordScan(snapshot: ServerSnapshot, classifications: readonly Classification[], options: RecordScanOptions = {}): number {
    const db = this.db;
    const toolHashes = new Set(snapshot.tools.map((t) => t.hash));
    const verdictByHash = new Map<string, { c: Classification; version: string }>();
    for (const c of classifications) {
      // Storing a verdict for a tool this scan never saw would tie history to the wrong scan.
      if (!toolHashes.has(c.hash)) {
        throw new McpRiskError('DB_ERROR', `Classification for "${c.tool}" (${c.hash.slice(0, 12)}) matches no tool of scan "${snapshot.name}".`);
      }
      verdictByHash.set(c.hash, { c, version: classifierVersion(c) });
    }
    const now = new Date().toISOString();

    const write = db.transaction((): number => {
      db.prepare(
        `INSERT INTO servers (name, source_kind, source_target, first_seen_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET source_kind = excluded.source_kind, source_target = excluded.source_target`,
      ).run(snapshot.name, snapshot.source.kind, snapshot.source.target, snapshot.startedAt);
      const server = db.prepare('SELECT id FROM servers WHERE name = ?').get(snapshot.name) as { id: number };

      const scanId = Number(
        db
          .prepare(
            `INSERT INTO scans (server_id, started_at, duration_ms, status, error, stderr_tail, source_kind, source_target,
               server_info_name, server_info_version, server_info_title, protocol_version, instructions,
               prompt_count, resource_count, tool_count, llm_json, llm_prompt_tokens, llm_completion_tokens,
               uid, config_fingerprint, resolved_version, refresh_id)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            server.id,
            snapshot.startedAt,
            Math.round(snapshot.durationMs),
            snapshot.status,
            snapshot.error ?? null,
            snapshot.stderrTail ?? null,
            snapshot.source.kind,
            snapshot.source.target,
            snapshot.serverInfo?.name ?? null,
            snapshot.serverInfo?.version ?? null,
            snapshot.serverInfo?.title ?? null,
            snapshot.protocolVersion ?? null,
            snapshot.instructions ?? null,
            snapshot.promptCount ?? null,
            snapshot.resourceCount ?? null,
            snapshot.tools.length,
            options.llm === undefined ? null : JSON.stringify(options.llm),
            options.llm?.promptTokens ?? 0,
            options.llm?.completionTokens ?? 0,
            randomUUID(),
            options.configFingerprint ?? null,
            options.resolvedVersion ?? null,
            options.refreshId ?? null,
          ).lastInsertRowid,
      );

      const insertVersion = db.prepare(
        'INSERT OR IGNORE INTO tool_versions (hash, name, definition_json, first_seen_at) VALUES (?, ?, ?, ?)',
      );
      // The newest verdict of a classifier version wins: the rules are deterministic, and an LLM verdict
      // that failed once (no-verdict finding) must give way when a later scan gets one.
      const insertVerdict = db.prepare(
        `INSERT INTO classifications (hash, classifier_version, category, risk, confidence, method, result_json, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (hash, classifier_version) DO UPDATE SET
           category = excluded.category, risk = excluded.risk, confidence = excluded.confidence,
           method = excluded.method, result_json = excluded.result_json, created_at = excluded.created_at`,
      );
      const insertScanTool = db.prepare(
        'INSERT INTO scan_tools (scan_id, position, hash, classifier_version) VALUES (?, ?, ?, ?)',
      );
      const insertFinding = db.prepare(
        `INSERT INTO findings (scan_id, origin, tool_hash, tool_name, code, severity, path, args_json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      );

      const hashByName = new Map<string, string>();
      snapshot.tools.forEach((tool, position) => {
        insertVersion.run(tool.hash, tool.definition.name, JSON.stringify(tool.definition), snapshot.startedAt);
        if (!hashByName.has(tool.definition.name)) hashByName.set(tool.definition.name, tool.hash);
        const verdict = verdictByHash.get(tool.hash);
        if (verdict) {
          const { c, version } = verdict;
          insertVerdict.run(c.hash, version, c.category, c.risk, c.confidence, c.method, JSON.stringify(c), now);
        }
        insertScanTool.run(scanId, position, tool.hash, verdict?.version ?? null);
      });

      for (const f of snapshot.findings) {
        const hash = f.tool === undefined ? null : (hashByName.get(f.tool) ?? null);
        insertFinding.run(scanId, 'scan', hash, f.tool ?? null, f.code, f.severity, f.path ?? null, JSON.stringify(f.args ?? {}));
      }
      for (const { c } of verdictByHash.values()) {
        for (const f of c.findings) {
          insertFinding.run(scanId, 'classification', c.hash, f.tool ?? c.tool, f.code, f.severity, f.path ?? null, JSON.stringify(f.args ?? {}));
        }
      }
      return scanId;
    });

    try {
      return write.immediate();
    } catch (cause) {
      if (cause instanceof McpRiskError) throw cause;
      if (isSqliteError(cause)) {
        throw new McpRiskError('DB_ERROR', `Cannot save the scan of "${snapshot.name}" to ${this.path}: ${describeSqliteError(cause)}`, {
          cause,
          hint: 'Nothing of this scan was written; earlier scans are intact.',
        });
      }
      throw cause;
    }
  }

  listScans(serverName: string): StoredScanInfo[] {
    const serverId = this.serverId(serverName);
    const rows = this.db
      .prepare(`SELECT ${SCAN_COLUMNS} FROM scans s JOIN servers v ON v.id = s.server_id WHERE s.server_id = ? ORDER BY s.started_at, s.id`)
      .all(serverId) as ScanRow[];
    return rows.map(toScanInfo);
  }

  scanVerdicts(scanId: number): Array<{ category: Category; risk: Risk }> {
    return this.db
      .prepare(
        `SELECT coalesce(c.category, 'Unknown') AS category, coalesce(c.risk, 'Unknown') AS risk FROM scan_tools st
         LEFT JOIN classifications c ON c.hash = st.hash AND c.classifier_version = st.classifier_version
         WHERE st.scan_id = ? ORDER BY st.position`,
      )
      .all(scanId) as Array<{ category: Category; risk: Risk }>;
  }

  findLatestScan(serverName: string, options: LatestScanOptions = {}): StoredScanInfo | undefined {
    const server = this.db.prepare('SELECT id FROM servers WHERE name = ?').get(serverName) as { id: number } | undefined;
    if (!server) return undefined;
    const filter = options.okOnly ? `AND s.status IN (${OK_STATUSES.map((x) => `'${x}'`).join(', ')})` : '';
    const row = this.db
      .prepare(`SELECT ${SCAN_COLUMNS} FROM scans s JOIN servers v ON v.id = s.server_id WHERE s.server_id = ? ${filter} ORDER BY s.started_at DESC, s.id DESC LIMIT 1`)
      .get(server.id) as ScanRow | undefined;
    return row ? toScanInfo(row) : undefined;
  }

  lastOkFingerprint(serverName: string): string | undefined {
    const row = this.db
      .prepare(
        `SELECT s.config_fingerprint AS fp FROM scans s JOIN servers v ON v.id = s.server_id
         WHERE v.name = ? AND s.status IN ('ok', 'no-tools') ORDER BY s.started_at DESC, s.id DESC LIMIT 1`,
      )
      .get(serverName) as { fp: string | null } | undefined;
    return row?.fp ?? undefined;
  }

  startRefresh(run: RefreshStart): RefreshHandle {
    const db = this.db;
    return db.transaction((): RefreshHandle => {
      const open = db
        .prepare(
          `SELECT id, uid, started_at FROM refreshes WHERE catalogue_hash = ? AND coalesce(shard, '') = ? AND finished_at IS NULL
           ORDER BY id DESC LIMIT 1`,
        )
        .get(run.catalogueHash, run.shard ?? '') as { id: number; uid: string; started_at: string } | undefined;
      if (open) {
        const done = new Set<string>([
          ...(db.prepare('SELECT v.name FROM scans s JOIN servers v ON v.id = s.server_id WHERE s.refresh_id = ?').all(open.id) as Array<{ name: string }>).map((r) => r.name),
          ...(db.prepare('SELECT server_name AS name FROM refresh_skips WHERE refresh_id = ?').all(open.id) as Array<{ name: string }>).map((r) => r.name),
        ]);
        return { id: open.id, uid: open.uid, startedAt: open.started_at, resumed: true, done };
      }
      const uid = randomUUID();
      const startedAt = new Date().toISOString();
      const id = Number(
        db
          .prepare('INSERT INTO refreshes (uid, catalogue, catalogue_hash, shard, options_json, started_at) VALUES (?, ?, ?, ?, ?, ?)')
          .run(uid, run.catalogue, run.catalogueHash, run.shard ?? null, JSON.stringify(run.options), startedAt).lastInsertRowid,
      );
      return { id, uid, startedAt, resumed: false, done: new Set() };
    }).immediate();
  }

  recordRefreshSkip(refreshId: number, serverName: string, reason: string): void {
    this.db.prepare('INSERT OR IGNORE INTO refresh_skips (refresh_id, server_name, reason) VALUES (?, ?, ?)').run(refreshId, serverName, reason);
  }

  finishRefresh(refreshId: number, summary: unknown): void {
    this.db.prepare('UPDATE refreshes SET finished_at = ?, summary_json = ? WHERE id = ?').run(new Date().toISOString(), JSON.stringify(summary), refreshId);
  }

  llmCacheGet(hashes: readonly string[], key: LlmCacheKey): Map<string, unknown> {
    const out = new Map<string, unknown>();
    const get = this.db.prepare('SELECT verdict_json FROM llm_cache WHERE hash = ? AND model = ? AND prompt = ? AND taxonomy = ?');
    for (const hash of hashes) {
      const row = get.get(hash, key.model, key.prompt, key.taxonomy) as { verdict_json: string } | undefined;
      if (row) out.set(hash, JSON.parse(row.verdict_json));
    }
    return out;
  }

  llmCachePut(entries: ReadonlyArray<{ hash: string; value: unknown }>, key: LlmCacheKey): void {
    const put = this.db.prepare(
      `INSERT INTO llm_cache (hash, model, prompt, taxonomy, verdict_json, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (hash, model, prompt, taxonomy) DO UPDATE SET verdict_json = excluded.verdict_json, created_at = excluded.created_at`,
    );
    const now = new Date().toISOString();
    try {
      this.db.transaction(() => {
        for (const e of entries) put.run(e.hash, key.model, key.prompt, key.taxonomy, JSON.stringify(e.value), now);
      }).immediate();
    } catch (cause) {
      if (isSqliteError(cause)) {
        throw new McpRiskError('DB_ERROR', `Cannot save LLM verdicts to ${this.path}: ${describeSqliteError(cause)}`, { cause });
      }
      throw cause;
    }
  }

  listServers(): ServerSummary[] {
    const rows = this.db
      .prepare(
        `SELECT v.id, v.name, v.source_kind, v.source_target, v.first_seen_at,
           (SELECT id FROM scans WHERE server_id = v.id ORDER BY started_at DESC, id DESC LIMIT 1) AS last_id,
           (SELECT id FROM scans WHERE server_id = v.id AND status IN ('ok', 'no-tools')
              ORDER BY started_at DESC, id DESC LIMIT 1) AS last_ok_id
         FROM servers v ORDER BY v.name`,
      )
      .all() as Array<{
      id: number;
      name: string;
      source_kind: SourceKind;
      source_target: string;
      first_seen_at: string;
      last_id: number | null;
      last_ok_id: number | null;
    }>;
    const scanById = this.db.prepare('SELECT id, started_at, status, tool_count FROM scans WHERE id = ?');
    const risksOf = this.db.prepare(
      `SELECT c.risk FROM scan_tools st
       LEFT JOIN classifications c ON c.hash = st.hash AND c.classifier_version = st.classifier_version
       WHERE st.scan_id = ?`,
    );
    const out: ServerSummary[] = [];
    for (const r of rows) {
      // A server row is only ever written together with its first scan, so last_id is set.
      if (r.last_id === null) continue;
      const last = scanById.get(r.last_id) as { id: number; started_at: string; status: ScanStatus; tool_count: number };
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
        const ok = scanById.get(r.last_ok_id) as { id: number; started_at: string; tool_count: number };
        const risks = (risksOf.all(ok.id) as Array<{ risk: string | null }>).map((x) => (x.risk ?? 'Unknown') as Classification['risk']);
        summary.lastOkScanId = ok.id;
        summary.lastOkScanAt = ok.started_at;
        summary.toolCount = ok.tool_count;
        summary.highestRisk = highestRisk(risks);
      }
      out.push(summary);
    }
    return out;
  }

  latestScan(serverName: string, options: LatestScanOptions = {}): StoredScanInfo {
    const serverId = this.serverId(serverName);
    const filter = options.okOnly ? `AND s.status IN (${OK_STATUSES.map((s) => `'${s}'`).join(', ')})` : '';
    const row = this.db
      .prepare(
        `SELECT ${SCAN_COLUMNS} FROM scans s JOIN servers v ON v.id = s.server_id
         WHERE s.server_id = ? ${filter} ORDER BY s.started_at DESC, s.id DESC LIMIT 1`,
      )
      .get(serverId) as ScanRow | undefined;
    if (!row) {
      const last = this.latestScan(serverName);
      throw new McpRiskError('NOT_FOUND', `No successful scan of "${serverName}" is stored.`, {
        hint: `The last scan (${last.startedAt}) ended with status ${last.status}${last.error ? `: ${last.error}` : ''}. Scan it again.`,
      });
    }
    return toScanInfo(row);
  }

  getScan(scanId: number): StoredScanInfo {
    const row = this.db
      .prepare(`SELECT ${SCAN_COLUMNS} FROM scans s JOIN servers v ON v.id = s.server_id WHERE s.id = ?`)
      .get(scanId) as ScanRow | undefined;
    if (!row) {
      const latest = this.db.prepare('SELECT max(id) AS id FROM scans').get() as { id: number | null };
      throw new McpRiskError('NOT_FOUND', `There is no scan with id ${scanId}.`, {
        hint: latest.id === null ? 'The database holds no scans yet.' : `Scan ids run up to ${latest.id}; see \`mcp-risk list\`.`,
      });
    }
    return toScanInfo(row);
  }

  scanResult(scanId: number): StoredScan {
    const scan = this.getScan(scanId);
    const toolRows = this.db
      .prepare(
        `SELECT tv.hash, tv.definition_json, tv.first_seen_at, c.result_json
         FROM scan_tools st
         JOIN tool_versions tv ON tv.hash = st.hash
         LEFT JOIN classifications c ON c.hash = st.hash AND c.classifier_version = st.classifier_version
         WHERE st.scan_id = ? ORDER BY st.position`,
      )
      .all(scanId) as Array<{ hash: string; definition_json: string; first_seen_at: string; result_json: string | null }>;
    const tools: StoredTool[] = toolRows.map((r) => {
      const tool: StoredTool = {
        definition: JSON.parse(r.definition_json) as ToolDefinition,
        hash: r.hash,
        firstSeenAt: r.first_seen_at,
      };
      if (r.result_json !== null) tool.classification = JSON.parse(r.result_json) as Classification;
      return tool;
    });
    const findingRows = this.db
      .prepare(
        `SELECT tool_name, code, severity, path, args_json FROM findings
         WHERE scan_id = ? AND origin = 'scan' ORDER BY id`,
      )
      .all(scanId) as FindingRow[];
    return { scan, tools, findings: findingRows.map(toFinding) };
  }

  toolHistory(serverName: string, toolName: string): ToolVersionHistory[] {
    const serverId = this.serverId(serverName);
    const rows = this.db
      .prepare(
        `SELECT tv.hash, tv.name, tv.definition_json, s.id AS scan_id, s.started_at, c.result_json
         FROM scan_tools st
         JOIN scans s ON s.id = st.scan_id
         JOIN tool_versions tv ON tv.hash = st.hash
         LEFT JOIN classifications c ON c.hash = st.hash AND c.classifier_version = st.classifier_version
         WHERE s.server_id = ? AND tv.name = ?
         ORDER BY s.started_at, s.id`,
      )
      .all(serverId, toolName) as Array<{
      hash: string;
      name: string;
      definition_json: string;
      scan_id: number;
      started_at: string;
      result_json: string | null;
    }>;
    if (rows.length === 0) {
      const known = (
        this.db
          .prepare(
            `SELECT DISTINCT tv.name FROM scan_tools st JOIN scans s ON s.id = st.scan_id
             JOIN tool_versions tv ON tv.hash = st.hash WHERE s.server_id = ? ORDER BY tv.name`,
          )
          .all(serverId) as Array<{ name: string }>
      ).map((r) => r.name);
      throw new McpRiskError('NOT_FOUND', `No scan of "${serverName}" has seen a tool named "${toolName}".`, {
        hint: known.length === 0 ? `No scan of "${serverName}" listed any tools.` : `Known tools: ${listHint(known)}.`,
      });
    }
    const byHash = new Map<string, ToolVersionHistory>();
    for (const r of rows) {
      let v = byHash.get(r.hash);
      if (!v) {
        v = {
          hash: r.hash,
          name: r.name,
          definition: JSON.parse(r.definition_json) as ToolDefinition,
          firstSeenAt: r.started_at,
          lastSeenAt: r.started_at,
          scans: [],
        };
        byHash.set(r.hash, v);
      }
      // A tool listed twice in one scan still counts as one sighting.
      if (v.scans.at(-1)?.id !== r.scan_id) v.scans.push({ id: r.scan_id, startedAt: r.started_at });
      v.lastSeenAt = r.started_at;
      if (r.result_json !== null) v.classification = JSON.parse(r.result_json) as Classification;
    }
    return [...byHash.values()];
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private serverId(name: string): number {
    const row = this.db.prepare('SELECT id FROM servers WHERE name = ?').get(name) as { id: number } | undefined;
    if (row) return row.id;
    const known = (this.db.prepare('SELECT name FROM servers ORDER BY name').all() as Array<{ name: string }>).map((r) => r.name);
    throw new McpRiskError('NOT_FOUND', `No server named "${name}" has been scanned.`, {
      hint: known.length === 0 ? 'The database holds no scans yet; run `mcp-risk scan` first.' : `Known servers: ${listHint(known)}.`,
    });
  }
}

function listHint(names: string[], max = 20): string {
  const shown = names.slice(0, max).join(', ');
  return names.length > max ? `${shown}, … (${names.length - max} more)` : shown;
}

function isSqliteError(err: unknown): boolean {
  return err instanceof Database.SqliteError;
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
  if (r.llm_json !== null) info.llm = JSON.parse(r.llm_json) as LlmRun;
  return info;
}

function toFinding(r: FindingRow): Finding {
  const f: Finding = { code: r.code, severity: r.severity, args: JSON.parse(r.args_json) as Finding['args'] };
  if (r.tool_name !== null) f.tool = r.tool_name;
  if (r.path !== null) f.path = r.path;
  return f;
}
