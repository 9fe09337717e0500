// A deterministic partition of a catalogue: shard I of N holds the servers whose name hashes to I.
import { createHash } from 'node:crypto';
import { McpRiskError } from '../model/index.js';

export interface Shard {
  /** 1-based, as given on the command line. */
  index: number;
  count: number;
}

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) {
    throw new McpRiskError('USAGE', `--shard takes I/N with 1 <= I <= N (e.g. 2/8), got '${text}'`);
  }
  return { index, count };
}

export function formatShard(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}

/**
 * By a hash of the server name, not its position: adding a server to the catalogue moves no other
 * server to another shard, and every machine computes the same split.
 */
export function inShard(name: string, shard: Shard): boolean {
  const h = createHash('sha256').update(name).digest();
  return (h.readUInt32BE(0) % shard.count) + 1 === shard.index;
}
