// The LLM verdict cache: a verdict is reused for the same definition, model, prompt and taxonomy.
import { McpRiskError } from '../model/index.js';
import { describeSqliteError, isSqliteError } from './sqlite-errors.js';
import type { StoreContext } from './statements.js';

/** The cache key of an LLM verdict besides the definition hash. */
export interface LlmCacheKey {
  model: string;
  prompt: string;
  taxonomy: string;
}

// One lookup per hash on the primary key, rather than an IN list: a scan asks for at most a few
// hundred hashes, and a fixed statement is prepared once.
const SELECT_VERDICT = 'SELECT verdict_json FROM llm_cache WHERE hash = ? AND model = ? AND prompt = ? AND taxonomy = ?';

// Two scans running at once may both ask about one tool: the later verdict replaces the earlier one
// instead of failing the write.
const UPSERT_VERDICT = `
  INSERT INTO llm_cache (hash, model, prompt, taxonomy, verdict_json, created_at) VALUES (?, ?, ?, ?, ?, ?)
  ON CONFLICT (hash, model, prompt, taxonomy) DO UPDATE SET verdict_json = excluded.verdict_json, created_at = excluded.created_at`;

export class LlmCache {
  private readonly putAll: (entries: ReadonlyArray<{ hash: string; value: unknown }>, key: LlmCacheKey) => void;

  constructor(private readonly ctx: StoreContext) {
    this.putAll = ctx.db.transaction((entries: ReadonlyArray<{ hash: string; value: unknown }>, key: LlmCacheKey) => {
      const put = ctx.sql.get(UPSERT_VERDICT);
      const now = new Date().toISOString();
      for (const e of entries) put.run(e.hash, key.model, key.prompt, key.taxonomy, JSON.stringify(e.value), now);
    }).immediate;
  }

  /** Cached LLM verdicts (as stored JSON values) for these definition hashes under one key. */
  get(hashes: readonly string[], key: LlmCacheKey): Map<string, unknown> {
    const out = new Map<string, unknown>();
    const select = this.ctx.sql.get(SELECT_VERDICT);
    for (const hash of hashes) {
      const row = select.get(hash, key.model, key.prompt, key.taxonomy) as { verdict_json: string } | undefined;
      if (row) out.set(hash, JSON.parse(row.verdict_json));
    }
    return out;
  }

  /** Stores LLM verdicts at once, in their own transaction, so a scan killed later keeps them. */
  put(entries: ReadonlyArray<{ hash: string; value: unknown }>, key: LlmCacheKey): void {
    try {
      this.putAll(entries, key);
    } catch (cause) {
      if (isSqliteError(cause)) {
        throw new McpRiskError('DB_ERROR', `Cannot save LLM verdicts to ${this.ctx.path}: ${describeSqliteError(cause)}`, { cause });
      }
      throw cause;
    }
  }
}
