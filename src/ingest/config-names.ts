// One name per server across client configs: a server defined alike in two places is one server, and
// one name given to different servers is split so that their histories stay apart.
import type { ServerTarget } from './targets.js';

/** The servers one config (or one map of it) gave, under a label that says where: `cursor`, `claude-code:/home/me/app`. */
export interface LabelledServers {
  label: string;
  /** Each named by its key. */
  targets: ServerTarget[];
}

export interface NamedServer {
  /** Named by its key, or `key@label` when the key names different servers in different places. */
  target: ServerTarget & { name: string };
  /** Every place that defines it, in the order read. */
  from: string[];
}

/** A name split in two or more: the key, and the name each definition got. */
export interface SplitName {
  key: string;
  names: string[];
  labels: string[];
}

/** The definition without its name, keys sorted, so two configs that write one server alike compare equal. */
function definitionOf(target: ServerTarget): string {
  const { name: _name, ...rest } = target;
  return JSON.stringify(rest, (_key, value: unknown) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value,
  );
}

/**
 * Every server once, in the order first read. One key with one definition keeps the key as its name;
 * one key with several definitions gives each `key@label`, the label of the first place that defines it
 * (a further `#2`, `#3` should that name be taken too), and is reported in `split`.
 */
export function nameServers(found: readonly LabelledServers[]): { servers: NamedServer[]; split: SplitName[] } {
  const byKey = new Map<string, Map<string, NamedServer>>();
  for (const { label, targets } of found) {
    for (const target of targets) {
      const key = target.name ?? '';
      const definitions = byKey.get(key) ?? new Map<string, NamedServer>();
      byKey.set(key, definitions);
      const definition = definitionOf(target);
      const known = definitions.get(definition);
      if (known === undefined) definitions.set(definition, { target: { ...target, name: key }, from: [label] });
      else if (!known.from.includes(label)) known.from.push(label);
    }
  }
  const taken = new Set(byKey.keys());
  const servers: NamedServer[] = [];
  const split: SplitName[] = [];
  for (const [key, definitions] of byKey) {
    const all = [...definitions.values()];
    if (all.length === 1) {
      servers.push(all[0]!);
      continue;
    }
    const names: string[] = [];
    for (const server of all) {
      let name = `${key}@${server.from[0]!}`;
      for (let n = 2; taken.has(name); n++) name = `${key}@${server.from[0]!}#${n}`;
      taken.add(name);
      names.push(name);
      servers.push({ target: { ...server.target, name }, from: server.from });
    }
    split.push({ key, names, labels: all.flatMap((s) => s.from) });
  }
  return { servers, split };
}
