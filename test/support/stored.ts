// Reads what a results database holds, packed blobs unpacked, for tests that check what was stored.
import Database from 'better-sqlite3';
import type { ToolDefinition } from '../../src/model/index.js';
import { unpackJson, unpackText } from '../../src/store/packed-json.js';

/** The latest stored definition of the tool named `name`, or undefined. */
export function storedDefinition(dbPath: string, name: string): ToolDefinition | undefined {
  const db = new Database(dbPath, { readonly: true });
  try {
    const row = db.prepare('SELECT definition FROM tool_versions WHERE name = ? ORDER BY id DESC LIMIT 1').get(name) as { definition: Buffer } | undefined;
    return row === undefined ? undefined : unpackJson<ToolDefinition>(row.definition);
  } finally {
    db.close();
  }
}

/** Every value of every table as text, the packed definitions and verdicts unpacked: what a secret must not be in. */
export function everythingStored(dbPath: string): string {
  const db = new Database(dbPath, { readonly: true });
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((r) => r.name);
    const out: string[] = [];
    for (const table of tables) {
      for (const row of db.prepare(`SELECT * FROM "${table}"`).all() as Array<Record<string, unknown>>) {
        for (const [column, value] of Object.entries(row)) {
          const packed = (table === 'tool_versions' && column === 'definition') || (table === 'classifications' && column === 'result');
          out.push(Buffer.isBuffer(value) ? (packed ? unpackText(value) : value.toString('latin1')) : String(value));
        }
      }
    }
    return out.join('\n');
  } finally {
    db.close();
  }
}
