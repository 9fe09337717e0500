// Writes one scan whole: its server, the scan row, tool definitions, verdicts, and findings.
import { randomUUID } from 'node:crypto';
import { McpRiskError } from '../model/index.js';
import type { Classification, LlmRun, Provenance, ServerSnapshot } from '../model/index.js';
import { packJson } from './packed-json.js';
import { describeSqliteError, isSqliteError } from './sqlite-errors.js';
import { SELECT_SERVER_ID } from './statements.js';
import type { StoreContext } from './statements.js';

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

/**
 * The key a verdict is stored under: the rule-set version, plus prompt and model when an LLM took part,
 * e.g. `rules@1` or `rules@1+classify@2+gpt-4o-mini`. A new rule set or prompt means a new verdict row.
 */
export function classifierVersion(c: Classification): string {
  return classifierVersionOf(c.provenance);
}

/** The same key from provenance alone: what a verdict made now would be stored under. */
export function classifierVersionOf(p: Pick<Provenance, 'rules' | 'prompt' | 'model'>): string {
  return [p.rules, p.prompt, p.model].filter((x): x is string => typeof x === 'string' && x !== '').join('+');
}

// servers.source_* follows the latest scan (each scan keeps its own source too), while first_seen_at
// keeps the first sighting.
const UPSERT_SERVER = `
  INSERT INTO servers (name, source_kind, source_target, first_seen_at) VALUES (?, ?, ?, ?)
  ON CONFLICT (name) DO UPDATE SET source_kind = excluded.source_kind, source_target = excluded.source_target`;

// The source is stored per scan as given. The uid names the scan across databases: merge matches on it,
// so merging a shard twice adds nothing. Token counts are columns as well as in llm_json so SQL can sum them.
const INSERT_SCAN = `
  INSERT INTO scans (server_id, started_at, duration_ms, status, error, stderr_tail, source_kind, source_target,
    server_info_name, server_info_version, server_info_title, protocol_version, instructions,
    prompt_count, resource_count, tool_count, llm_json, llm_prompt_tokens, llm_completion_tokens,
    uid, config_fingerprint, resolved_version, refresh_id)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
// Apart, and only when known (stdio): a scan without it stays writable to a database one migration older.
const SET_ISOLATION = 'UPDATE scans SET isolation = ? WHERE id = ?';

// A definition is keyed by its hash and stored once, however many scans or servers list it, packed
// (src/store/packed-json.ts); scans refer to it by id. Looked up first, so a known one is not packed again.
const SELECT_TOOL_ID = 'SELECT id FROM tool_versions WHERE hash = ?';
const INSERT_TOOL_VERSION = 'INSERT INTO tool_versions (hash, name, definition, first_seen_at) VALUES (?, ?, ?, ?)';

// The newest verdict of a classifier version wins: the rules are deterministic, and an LLM verdict
// that failed once (no-verdict finding) must give way when a later scan gets one.
const UPSERT_VERDICT = `
  INSERT INTO classifications (tool_id, classifier_version, category, risk, confidence, method, result, created_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (tool_id, classifier_version) DO UPDATE SET
    category = excluded.category, risk = excluded.risk, confidence = excluded.confidence,
    method = excluded.method, result = excluded.result, created_at = excluded.created_at`;

// A NULL classifier_version means this scan stored no verdict for the tool: read back as Unknown.
const INSERT_SCAN_TOOL = 'INSERT INTO scan_tools (scan_id, position, tool_id, classifier_version) VALUES (?, ?, ?, ?)';

// What the listing found (origin 'scan'). A verdict's own findings live inside its packed result and
// are not copied here: a rescan of unchanged tools then adds only its scan and scan_tools rows.
const INSERT_FINDING = `
  INSERT INTO findings (scan_id, origin, tool_hash, tool_name, code, severity, path, args_json)
  VALUES (?, 'scan', ?, ?, ?, ?, ?, ?)`;

// A re-classified scan points at the new verdict rows; the old rows stay, keyed by their classifier version.
const UPDATE_SCAN_TOOL_VERDICT = 'UPDATE scan_tools SET classifier_version = ? WHERE scan_id = ? AND tool_id = ?';

// Verdicts and definitions no scan lists any more, for forget and prune (a definition a finding names
// stays; verdicts of other classifier versions for a definition still listed stay too: reclassify keeps
// those). Verdicts first: they reference the definitions.
export const DELETE_ORPHAN_VERDICTS = 'DELETE FROM classifications WHERE tool_id NOT IN (SELECT tool_id FROM scan_tools)';
export const DELETE_ORPHAN_VERSIONS = `
  DELETE FROM tool_versions WHERE id NOT IN (SELECT tool_id FROM scan_tools)
    AND hash NOT IN (SELECT tool_hash FROM findings WHERE tool_hash IS NOT NULL)`;

interface Verdict {
  c: Classification;
  version: string;
}

export class ScanWriter {
  /** One transaction per scan: a scan is stored whole or not at all. */
  private readonly write: (snapshot: ServerSnapshot, verdicts: Map<string, Verdict>, options: RecordScanOptions) => number;

  constructor(private readonly ctx: StoreContext) {
    this.write = ctx.db.transaction((snapshot: ServerSnapshot, verdicts: Map<string, Verdict>, options: RecordScanOptions): number =>
      this.insert(snapshot, verdicts, options),
    ).immediate;
  }

  /**
   * Replaces the verdicts of a stored scan (after the rule set changed), in one transaction: the
   * definitions are the ones the scan saw, so nothing is reconnected and history keeps its shape.
   */
  /**
   * Removes a server and all its scans in one transaction (scans cascade to their tools and findings),
   * then the definitions and verdicts no scan of any server refers to any more. The LLM cache stays: it
   * is keyed by definition, not by server. Returns how many scans went.
   */
  forgetServer(serverName: string): number {
    const { db, sql } = this.ctx;
    try {
      return db
        .transaction(() => {
          const row = sql.get('SELECT id FROM servers WHERE name = ?').get(serverName) as { id: number } | undefined;
          if (row === undefined) throw new McpRiskError('NOT_FOUND', `No server named "${serverName}" has been scanned.`);
          const scans = (sql.get('SELECT count(*) AS n FROM scans WHERE server_id = ?').get(row.id) as { n: number }).n;
          sql.get('DELETE FROM servers WHERE id = ?').run(row.id);
          sql.get(DELETE_ORPHAN_VERDICTS).run();
          sql.get(DELETE_ORPHAN_VERSIONS).run();
          return scans;
        })
        .immediate();
    } catch (cause) {
      if (cause instanceof McpRiskError) throw cause;
      if (isSqliteError(cause)) {
        throw new McpRiskError('DB_ERROR', `Cannot remove "${serverName}" from ${this.ctx.path}: ${describeSqliteError(cause)}`, {
          cause,
          hint: 'Nothing was changed.',
        });
      }
      throw cause;
    }
  }

  reclassifyScan(scanId: number, classifications: readonly Classification[]): void {
    const { db, sql } = this.ctx;
    const now = new Date().toISOString();
    try {
      db.transaction(() => {
        const upsertVerdict = sql.get(UPSERT_VERDICT);
        const updateScanTool = sql.get(UPDATE_SCAN_TOOL_VERDICT);
        const toolId = sql.get(SELECT_TOOL_ID);
        for (const c of classifications) {
          const version = classifierVersion(c);
          const row = toolId.get(c.hash) as { id: number } | undefined;
          if (row === undefined || updateScanTool.run(version, scanId, row.id).changes === 0) {
            throw new McpRiskError('DB_ERROR', `Classification for "${c.tool}" (${c.hash.slice(0, 12)}) matches no tool of scan ${scanId}.`);
          }
          upsertVerdict.run(row.id, version, c.category, c.risk, c.confidence, c.method, packJson(c), now);
        }
      }).immediate();
    } catch (cause) {
      if (cause instanceof McpRiskError) throw cause;
      if (isSqliteError(cause)) {
        throw new McpRiskError('DB_ERROR', `Cannot save the new verdicts of scan ${scanId} to ${this.ctx.path}: ${describeSqliteError(cause)}`, {
          cause,
          hint: 'Nothing was changed; the earlier verdicts are intact.',
        });
      }
      throw cause;
    }
  }

  /** Writes one scan and its verdicts in a single transaction; returns the scan id. */
  recordScan(snapshot: ServerSnapshot, classifications: readonly Classification[], options: RecordScanOptions = {}): number {
    const toolHashes = new Set(snapshot.tools.map((t) => t.hash));
    const verdicts = new Map<string, Verdict>();
    for (const c of classifications) {
      // Storing a verdict for a tool this scan never saw would tie history to the wrong scan.
      if (!toolHashes.has(c.hash)) {
        throw new McpRiskError('DB_ERROR', `Classification for "${c.tool}" (${c.hash.slice(0, 12)}) matches no tool of scan "${snapshot.name}".`);
      }
      verdicts.set(c.hash, { c, version: classifierVersion(c) });
    }
    try {
      return this.write(snapshot, verdicts, options);
    } catch (cause) {
      if (cause instanceof McpRiskError) throw cause;
      if (isSqliteError(cause)) {
        throw new McpRiskError('DB_ERROR', `Cannot save the scan of "${snapshot.name}" to ${this.ctx.path}: ${describeSqliteError(cause)}`, {
          cause,
          hint: 'Nothing of this scan was written; earlier scans are intact.',
        });
      }
      throw cause;
    }
  }

  private insert(snapshot: ServerSnapshot, verdicts: Map<string, Verdict>, options: RecordScanOptions): number {
    const { sql } = this.ctx;
    const now = new Date().toISOString();
    sql.get(UPSERT_SERVER).run(snapshot.name, snapshot.source.kind, snapshot.source.target, snapshot.startedAt);
    const server = sql.get(SELECT_SERVER_ID).get(snapshot.name) as { id: number };

    const scanId = Number(
      sql
        .get(INSERT_SCAN)
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
    if (snapshot.isolation !== undefined) sql.get(SET_ISOLATION).run(snapshot.isolation, scanId);

    const toolId = sql.get(SELECT_TOOL_ID);
    const insertVersion = sql.get(INSERT_TOOL_VERSION);
    const upsertVerdict = sql.get(UPSERT_VERDICT);
    const insertScanTool = sql.get(INSERT_SCAN_TOOL);
    const insertFinding = sql.get(INSERT_FINDING);

    // A scan-level finding names its tool; the first tool of that name carries it.
    const hashByName = new Map<string, string>();
    const written = new Set<number>();
    snapshot.tools.forEach((tool, position) => {
      const known = toolId.get(tool.hash) as { id: number } | undefined;
      const id = known?.id ?? Number(insertVersion.run(tool.hash, tool.definition.name, packJson(tool.definition), snapshot.startedAt).lastInsertRowid);
      if (!hashByName.has(tool.definition.name)) hashByName.set(tool.definition.name, tool.hash);
      const verdict = verdicts.get(tool.hash);
      // A definition listed twice in one scan has one verdict: written once.
      if (verdict && !written.has(id)) {
        const { c, version } = verdict;
        upsertVerdict.run(id, version, c.category, c.risk, c.confidence, c.method, packJson(c), now);
        written.add(id);
      }
      insertScanTool.run(scanId, position, id, verdict?.version ?? null);
    });

    for (const f of snapshot.findings) {
      const hash = f.tool === undefined ? null : (hashByName.get(f.tool) ?? null);
      insertFinding.run(scanId, hash, f.tool ?? null, f.code, f.severity, f.path ?? null, JSON.stringify(f.args ?? {}));
    }
    return scanId;
  }
}
