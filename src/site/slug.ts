// URL path segments for servers and tools. A slug depends on the name alone, never on which other
// names exist, so a server's URL stays put as the catalogue grows and a nightly site can be published
// over the last one.
import { createHash } from 'node:crypto';

/** Longest readable part of a slug; a longer name keeps this much and gains its hash. */
const MAX_READABLE = 60;

/**
 * The name itself when it is already a safe, lowercase path segment (`server-filesystem`, `get_issue`);
 * otherwise its safe characters, lowercased, plus 8 hex digits of the name's hash, so that `Foo`,
 * `foo!` and `@x/foo` never share a page (and no slug is `.`, `..` or empty).
 */
export function slugOf(name: string): string {
  if (/^[a-z0-9][a-z0-9._-]*$/.test(name) && name.length <= MAX_READABLE) return name;
  const readable = name
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[._-]+|[._-]+$/g, '')
    .slice(0, MAX_READABLE)
    .replace(/[._-]+$/, '');
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return readable === '' ? hash : `${readable}-${hash}`;
}
