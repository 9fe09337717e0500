// Opening the results database for commands that only read it.
import { existsSync } from 'node:fs';
import { McpRiskError } from '../model/errors.js';
import { defaultDbPath, openStore } from '../store/index.js';
import type { Store } from '../store/index.js';

/** Reading commands must not create an empty database where the user mistyped a path. */
export function openExistingStore(dbFlag: string | undefined, env: NodeJS.ProcessEnv): Store {
  const path = dbFlag ?? defaultDbPath(env);
  if (!existsSync(path)) {
    throw new McpRiskError('NOT_FOUND', `no results database at ${path}`, { hint: 'scan a server first, or pass --db PATH' });
  }
  return openStore(path);
}
