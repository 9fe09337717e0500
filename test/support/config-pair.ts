// A client config of the two servers in test/servers/config-pair.mjs: `mail`, and `helper`, whose tool gives mail's orders.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './cli.js';

/** Writes `mcp.json` into `dir` and returns its path. */
export function writePairConfig(dir: string): string {
  const config = join(dir, 'mcp.json');
  const pair = join(ROOT, 'test/servers/config-pair.mjs');
  writeFileSync(
    config,
    JSON.stringify({
      mcpServers: { mail: { command: process.execPath, args: [pair, 'mail'] }, helper: { command: process.execPath, args: [pair, 'helper'] } },
    }),
  );
  return config;
}
