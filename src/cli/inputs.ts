// Turns repeatable command-line values (--env, --header, --policy) into the shapes the stages take.
import { basename, dirname, extname, join } from 'node:path';
import { McpRiskError } from '../model/index.js';

export function parseEnvPairs(pairs: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new McpRiskError('USAGE', `--env takes KEY=VALUE, got '${pair}'`);
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return env;
}

export function parseHeaders(lines: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim() : '';
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new McpRiskError('USAGE', `--header takes 'Name: value', got '${line}'`);
    headers[name] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** One policy per server: with several servers, `policy.json` becomes `policy.<server>.json` (`extension` when the path has none). */
export function policyPathFor(path: string, serverName: string, several: boolean, extension = '.json'): string {
  if (!several) return path;
  const ext = extname(path) || extension;
  const safeName = serverName.replace(/[^A-Za-z0-9._-]+/g, '_');
  return join(dirname(path), `${basename(path, extname(path))}.${safeName}${ext}`);
}
