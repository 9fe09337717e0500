// Makes a database look as if an older rule set had made its verdicts (labelled rules@1, and wrong: Read/Low).
import Database from 'better-sqlite3';

/** Copies every verdict under the old label and points every scan at the copies; the definitions stay. */
export function markVerdictsStale(dbPath: string): void {
  const db = new Database(dbPath);
  try {
    db.exec(`INSERT INTO classifications (hash, classifier_version, category, risk, confidence, method, result_json, created_at)
               SELECT hash, 'rules@1', 'Read', 'Low', confidence, method,
                      json_set(result_json, '$.provenance.rules', 'rules@1', '$.category', 'Read', '$.risk', 'Low'), created_at
               FROM classifications;
             UPDATE scan_tools SET classifier_version = 'rules@1';`);
  } finally {
    db.close();
  }
}
