// Directory page import: saved pages read through selector configs, from a file and from a loopback URL.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  importHtml,
  listDirectoryConfigs,
  loadDirectoryConfig,
  NO_SOURCE,
  readTextSource,
  renderCatalogue,
  validateCatalogue,
  validateDirectoryConfig,
} from '../../src/catalogue/index.js';
import type { ImportHtmlResult } from '../../src/catalogue/index.js';
import { parse } from 'yaml';
import { FIXTURES, startLoopback, tempDir } from './helpers.js';
import type { Loopback } from './helpers.js';

const ATLAS = join(FIXTURES, 'directories', 'mcp-atlas.html');
const AWESOME = join(FIXTURES, 'directories', 'awesome-list.html');

describe('the mcp-atlas config on its saved page', () => {
  let result: ImportHtmlResult;
  const entry = (name: string) => result.entries.find((e) => e.name === name);
  beforeAll(async () => {
    const { text } = await readTextSource(ATLAS);
    result = importHtml(text, loadDirectoryConfig('mcp-atlas'));
  });

  it('turns listings with an npm package into npm entries tagged with the directory', () => {
    expect(entry('Memory')).toEqual({
      name: 'Memory',
      source: { kind: 'npm', package: '@modelcontextprotocol/server-memory' },
      args: [],
      env: {},
      headers: {},
      tags: ['directory:mcp-atlas'],
      needs: [],
    });
    expect(entry('Stripe')?.source).toEqual({ kind: 'npm', package: '@stripe/mcp' });
  });

  it('reads the install command out of the second code span, version included', () => {
    expect(entry('Filesystem')?.source).toEqual({ kind: 'npm', package: '@modelcontextprotocol/server-filesystem', version: '2026.8.31' });
  });

  it('turns a listed MCP endpoint into a url entry', () => {
    expect(entry('Hosted Search')?.source).toEqual({ kind: 'http', url: 'https://search.example.com/mcp' });
  });

  it('skips a listing with only a repository, and counts it', () => {
    expect(result.skipped).toContainEqual({ name: 'Repo Only', reason: NO_SOURCE });
    expect(result.listings.find((l) => l.name === 'Repo Only')?.repository).toBe('https://github.com/someone/repo-only');
  });

  it('never takes anything from scripts, styles or templates', () => {
    const text = JSON.stringify(result);
    for (const planted of ['evil-from-script', 'evil-from-template', 'style-injected-pkg', 'state-injected-pkg', 'javascript:'])
      expect(text).not.toContain(planted);
    expect(result.skipped).toContainEqual({ name: 'Scripted', reason: NO_SOURCE });
  });

  it('rejects an install line that is not a package name', () => {
    expect(result.skipped.find((s) => s.name === 'Injection')?.reason).toBe(`${NO_SOURCE} ("$(curl" is not an npm package name)`);
  });

  it('bounds a very long name and strips control and bidi characters', () => {
    const long = result.entries.find((e) => e.source.kind === 'npm' && e.source.package === 'ultimate-super-server');
    expect(long?.name.startsWith('Ultimate Super Super')).toBe(true);
    expect(long?.name.length).toBeLessThanOrEqual(200);
    const red = result.entries.find((e) => e.source.kind === 'npm' && e.source.package === 'red-alert-mcp');
    expect(red?.name).toBe('Red[31m Alert]0;ownedtxt.exe');
  });

  it('skips a listing repeated on the page, and the same package under another name', () => {
    expect(result.entries.filter((e) => e.source.kind === 'npm' && e.source.package === '@modelcontextprotocol/server-memory')).toHaveLength(1);
    expect(result.skipped).toContainEqual({ name: 'Memory', reason: 'listed again (same source as Memory)' });
    expect(result.skipped).toContainEqual({ name: 'Memory (mirror)', reason: 'listed again (same source as Memory)' });
  });

  it('two different servers with one name get a suffix', () => {
    expect(entry('GitHub')?.source).toEqual({ kind: 'npm', package: '@modelcontextprotocol/server-github' });
    expect(entry('GitHub-2')?.source).toEqual({ kind: 'npm', package: 'github-mcp-community' });
  });

  it('resolves relative links against the config baseUrl when read from a file', () => {
    expect(result.listings.find((l) => l.name === 'Stripe')?.link).toBe('https://mcp-atlas.example/servers/stripe');
  });

  it('accounts for every card, and its entries load back from a rendered catalogue', () => {
    expect(result.listings).toHaveLength(13);
    expect(result.entries.length + result.skipped.length).toBe(13);
    const { catalogue, problems } = validateCatalogue(parse(renderCatalogue({ entries: result.entries, defaults: { tags: [] } })));
    expect(problems).toEqual([]);
    expect(catalogue?.entries).toEqual(result.entries);
  });
});

describe('the generic config reads a differently structured page', () => {
  it('takes name, link and package from an awesome-list README', async () => {
    const { text } = await readTextSource(AWESOME);
    const result = importHtml(text, loadDirectoryConfig('generic'), 'https://github.com/example/awesome-mcp-servers');
    expect(result.entries.map((e) => [e.name, e.source.kind === 'npm' ? e.source.package : ''])).toEqual([
      ['PostgreSQL', '@modelcontextprotocol/server-postgres'],
      ['SQLite Explorer', 'sqlite-explorer-mcp'],
      ['Brave Search', '@modelcontextprotocol/server-brave-search'],
      ['Searchevil', 'unicode-search-mcp'],
      ['Relative', 'relative-link-mcp'],
    ]);
    expect(result.entries.every((e) => e.tags.join() === 'directory:generic')).toBe(true);
    expect(result.skipped).toEqual([
      { name: 'Databases', reason: NO_SOURCE },
      { name: 'Search', reason: NO_SOURCE },
      { name: 'Mongo', reason: NO_SOURCE },
      { name: 'PostgreSQL', reason: 'listed again (same source as PostgreSQL)' },
    ]);
    const relative = result.listings.find((l) => l.name === 'Relative');
    expect(relative?.link).toBe('https://github.com/relative/link');
    expect(result.listings.find((l) => l.name === 'SQLite Explorer')?.repository).toBe('https://github.com/example/sqlite-mcp');
  });

  it('a config file outside data/ works the same (another directory, no code change)', () => {
    const dir = tempDir();
    try {
      const path = join(dir.path, 'tables.yaml');
      writeFileSync(
        path,
        [
          'name: table-dir',
          'item: tbody tr',
          'fields:',
          '  name: { selector: td.name }',
          '  package: { selector: td.pkg }',
          '  url: { selector: td.endpoint a, attr: href }',
        ].join('\n'),
      );
      const html =
        '<table><tbody><tr><td class="name">One</td><td class="pkg">one-mcp@1.0.0</td></tr><tr><td class="name">Two</td><td class="endpoint"><a href="https://two.example/mcp">mcp</a></td></tr><tr><td class="name">Three</td></tr></tbody></table>';
      const result = importHtml(html, loadDirectoryConfig(path));
      expect(result.entries.map((e) => e.source)).toEqual([
        { kind: 'npm', package: 'one-mcp', version: '1.0.0' },
        { kind: 'http', url: 'https://two.example/mcp' },
      ]);
      expect(result.skipped).toEqual([{ name: 'Three', reason: NO_SOURCE }]);
    } finally {
      dir.remove();
    }
  });
});

describe('importing a page served over HTTP', () => {
  let server: Loopback;
  beforeAll(async () => {
    const page = readFileSync(AWESOME);
    server = await startLoopback((_request, response, url) => {
      if (url.pathname !== '/awesome/README.html') {
        response.writeHead(404);
        return response.end();
      }
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(page);
    });
  });
  afterAll(async () => server?.close());

  it('fetches through fetchText and resolves links against the page URL', async () => {
    const { text, pageUrl } = await readTextSource(`${server.base}/awesome/README.html`, { timeoutMs: 5000 });
    const result = importHtml(text, loadDirectoryConfig('generic'), pageUrl);
    expect(result.entries).toHaveLength(5);
    expect(result.listings.find((l) => l.name === 'Relative')?.link).toBe(`${server.base}/relative/link`);
    expect(result.listings.find((l) => l.name === 'Databases')?.link).toBe(`${server.base}/awesome/README.html#databases`);
  });

  it('a missing page is INPUT_NOT_FOUND', async () => {
    await expect(readTextSource(`${server.base}/gone.html`)).rejects.toMatchObject({ code: 'INPUT_NOT_FOUND', message: expect.stringContaining('HTTP 404') });
  });
});

describe('directory configs', () => {
  it('ships generic and mcp-atlas', () => {
    expect(listDirectoryConfigs()).toEqual(expect.arrayContaining(['generic', 'mcp-atlas']));
  });

  it('an unknown name is INPUT_NOT_FOUND listing the shipped ones', () => {
    expect(() => loadDirectoryConfig('no-such-directory')).toThrow(
      expect.objectContaining({ code: 'INPUT_NOT_FOUND', hint: expect.stringContaining('generic') }),
    );
  });

  it('a name cannot reach outside data/directories', () => {
    expect(() => loadDirectoryConfig('../taxonomy')).toThrow(expect.objectContaining({ code: 'INPUT_NOT_FOUND' }));
  });

  it('reports every problem of a config at once: the count in one line, each problem apart', () => {
    let error: unknown;
    try {
      validateDirectoryConfig(
        {
          name: 'Bad Name',
          item: 'div[',
          extra: 1,
          fields: { name: { selector: 'h3', atr: 'href' }, package: { pattern: '(a)(b)' }, link: { pattern: '(' }, homepage: {} },
        },
        'bad.yaml',
      );
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'INPUT_INVALID', message: 'bad.yaml: 7 problems' });
    expect((error as { details: string[] }).details).toHaveLength(7);
    expect((error as { details: string[] }).details[0]).toMatch(/^unknown key "extra" /);
    expect((error as Error).message).not.toContain('\n');
  });

  it('each problem kind is caught', () => {
    const problem = (data: unknown): string => {
      try {
        validateDirectoryConfig(data, 'c.yaml');
      } catch (error) {
        return (error as Error).message;
      }
      return 'no problem';
    };
    const ok = { name: 'x', item: 'li', fields: { name: {} } };
    expect(problem(ok)).toBe('no problem');
    expect(problem({ ...ok, item: 'li[' })).toContain('item:');
    expect(problem({ ...ok, fields: {} })).toContain('fields.name is missing');
    expect(problem({ ...ok, fields: { name: { pattern: 'no group' } } })).toContain('exactly one capture group (it has 0)');
    expect(problem({ ...ok, fields: { name: { pattern: '[' } } })).toContain('not a valid regular expression');
    expect(problem({ ...ok, fields: { name: { attr: 'on click' } } })).toContain('attr must be an attribute name');
    expect(problem({ ...ok, fields: { name: 'h3' } })).toContain('fields.name must be a mapping');
    expect(problem({ ...ok, baseUrl: 'ftp://x' })).toContain('baseUrl must be an http or https URL');
  });
});
