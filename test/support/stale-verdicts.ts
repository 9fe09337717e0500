// Makes a database look as if an older rule set had made its verdicts (labelled rules@1, and wrong: Read/Low).
import Database from 'better-sqlite3';
import type { Classification } from '../../src/model/index.js';
import { packJson, unpackJson } from '../../src/store/packed-json.js';

/** Copies every verdict under the old label and points every scan at the copies; the definitions stay. */
export function markVerdictsStale(dbPath: string): void {
  const db = new Database(dbPath);
  try {
    const rows = db.prepare('SELECT tool_id, confidence, method, result, created_at FROM classifications').all() as Array<{
      tool_id: number;
      confidence: number;
      method: string;
      result: Buffer;
      created_at: string;
    }>;
    const insert = db.prepare(
      `INSERT INTO classifications (tool_id, classifier_version, category, risk, confidence, method, result, created_at)
       VALUES (?, 'rules@1', 'Read', 'Low', ?, ?, ?, ?)`,
    );
    db.transaction(() => {
      for (const r of rows) {
        const c = unpackJson<Classification>(r.result);
        const stale: Classification = { ...c, category: 'Read', risk: 'Low', provenance: { ...c.provenance, rules: 'rules@1' } };
        insert.run(r.tool_id, r.confidence, r.method, packJson(stale), r.created_at);
      }
      db.exec("UPDATE scan_tools SET classifier_version = 'rules@1'");
    })();
  } finally {
    db.close();
  }
}
