// Slugs: stable per name, and two names a hostile server or catalogue chose to share one page (a safe
// name shaped like another name's hashed slug) get a page each.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mcpRisk } from '../support/cli.js';
import { slugOf, uniqueSlugs } from '../../src/site/slug.js';

const sha8 = (name: string): string => createHash('sha256').update(name).digest('hex').slice(0, 8);

describe('slugs', () => {
  it('keeps a safe name as its own slug and hashes any other', () => {
    expect(slugOf('server-filesystem')).toBe('server-filesystem');
    expect(slugOf('get_issue')).toBe('get_issue');
    expect(slugOf('Foo')).toBe(`foo-${sha8('Foo')}`);
    expect(slugOf('..')).toBe(sha8('..'));
  });

  it('hashes a safe name that ends the way a hashed slug ends, so it cannot take that page', () => {
    const lookalike = `foo-${sha8('Foo')}`;
    expect(slugOf(lookalike)).not.toBe(slugOf('Foo'));
    expect(slugOf(lookalike)).toBe(`${lookalike}-${sha8(lookalike)}`);
    // A name ending in other digits or words stays itself.
    expect(slugOf('release-2024')).toBe('release-2024');
    expect(slugOf('cache-flush')).toBe('cache-flush');
  });

  it('gives a name listed twice one slug, and names that do not collide their ordinary slugs', () => {
    const slugs = uniqueSlugs(['Foo', 'notes', 'Foo', 'Bar']);
    expect([...slugs]).toEqual([
      ['Foo', slugOf('Foo')],
      ['notes', 'notes'],
      ['Bar', slugOf('Bar')],
    ]);
  });

  it('tells apart names that share a slug by taking 16 digits for both', () => {
    // Their slugs are equal only if their 8 digits are: a birthday search among names of one readable
    // part (`a`, the rest unsafe characters) finds such a pair in about 77,000 names, as an attacker would.
    const SYMBOLS = '!@#$%^&*()';
    const bySlug = new Map<string, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; pair === undefined && i < 2_000_000; i++) {
      const name = `A${[...String(i)].map((d) => SYMBOLS[Number(d)]).join('')}`;
      const slug = slugOf(name);
      const other = bySlug.get(slug);
      if (other !== undefined) pair = [other, name];
      else bySlug.set(slug, name);
    }
    if (pair === undefined) throw new Error('no collision found');
    const slugs = uniqueSlugs([...pair, 'plain']);
    expect(slugs.get(pair[0])).not.toBe(slugs.get(pair[1]));
    expect(slugs.get(pair[0])).toMatch(/^a-[0-9a-f]{16}$/);
    expect(slugs.get('plain')).toBe('plain');
  });
});

describe("mcp-risk site with a tool named after another tool's slug", () => {
  it('writes a page for each, each about its own tool', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-slug-'));
    const lookalike = `foo-${sha8('Foo')}`;
    const file = join(dir, 'twins.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'twins',
        tools: [
          { name: 'Foo', description: 'Deletes every record in the account.', inputSchema: { type: 'object' } },
          { name: lookalike, description: 'Lists the records.', inputSchema: { type: 'object' } },
        ],
      }),
    );
    const db = join(dir, 'db.sqlite');
    expect((await mcpRisk(['scan', file, '--db', db])).code).toBe(0);
    const site = await mcpRisk(['site', '--out', join(dir, 'site'), '--db', db]);
    expect(site.code, site.stderr).toBe(0);
    const page = (name: string): string => readFileSync(join(dir, 'site/servers/twins/tools', slugOf(name), 'index.html'), 'utf8');
    expect(slugOf('Foo')).not.toBe(slugOf(lookalike));
    expect(page('Foo')).toContain('Deletes every record');
    expect(page(lookalike)).toContain('Lists the records');
    expect(page(lookalike)).not.toContain('Deletes every record');
  }, 60_000);
});
