// URL path segments for servers and tools. A slug depends on the name alone, never on which other
// names exist, so a server's URL stays put as the catalogue grows and a nightly site can be published
// over the last one; the one exception is two names a hostile server or catalogue made to share a slug.
import { createHash } from 'node:crypto';

/** Longest readable part of a slug; a longer name keeps this much and gains its hash. */
const MAX_READABLE = 60;
/** Hex digits of the name's hash in an ordinary slug, and in one that had to be told apart from another. */
const SHORT_HASH = 8;
const LONG_HASH = 16;
/**
 * A safe name that ends the way a hashed slug ends (`foo-1a2b3c4d`) could be chosen to take another
 * name's page (the 8 digits of `Foo` are easy to compute), so it is hashed like any unsafe name.
 */
const HASH_SHAPED = /(?:^|-)(?:[0-9a-f]{8}|[0-9a-f]{16})$/;

/**
 * The name itself when it is already a safe, lowercase path segment (`server-filesystem`, `get_issue`);
 * otherwise its safe characters, lowercased, plus 8 hex digits of the name's hash, so that `Foo`,
 * `foo!` and `@x/foo` never share a page (and no slug is `.`, `..` or empty).
 */
export function slugOf(name: string, hashDigits = SHORT_HASH): string {
  if (hashDigits === SHORT_HASH && /^[a-z0-9][a-z0-9._-]*$/.test(name) && name.length <= MAX_READABLE && !HASH_SHAPED.test(name)) return name;
  const readable = name
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[._-]+|[._-]+$/g, '')
    .slice(0, MAX_READABLE)
    .replace(/[._-]+$/, '');
  const hash = createHash('sha256').update(name).digest('hex').slice(0, hashDigits);
  return readable === '' ? hash : `${readable}-${hash}`;
}

/**
 * A slug for each distinct name of one folder (the servers of a site, the tools of a server). Two names
 * whose 8 digits collide (32 bits: a hostile server can search for a match) both take 16 digits
 * instead, so neither page can replace the other; nothing short of 64 bits of search makes them clash.
 */
export function uniqueSlugs(names: Iterable<string>): Map<string, string> {
  const slugs = new Map<string, string>();
  const owners = new Map<string, string[]>();
  for (const name of names) {
    if (slugs.has(name)) continue;
    const slug = slugOf(name);
    slugs.set(name, slug);
    const list = owners.get(slug);
    if (list) list.push(name);
    else owners.set(slug, [name]);
  }
  for (const list of owners.values()) if (list.length > 1) for (const name of list) slugs.set(name, slugOf(name, LONG_HASH));
  return slugs;
}
