// Catalogue files: loading the documented example, every kind of problem, the render round trip, append and merge.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { appendToCatalogueText, CatalogueInvalidError, loadCatalogue, mergeCatalogues, renderCatalogue, validateCatalogue } from '../../src/catalogue/index.js';
import type { Catalogue, CatalogueEntry } from '../../src/catalogue/index.js';
import { McpRiskError } from '../../src/model/index.js';
import { FIXTURES, tempDir } from './helpers.js';

const EXAMPLE = join(FIXTURES, 'catalogue', 'example.yaml');

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

function write(name: string, text: string): string {
  const path = join(dir.path, name);
  writeFileSync(path, text);
  return path;
}

function entry(name: string, overrides: Partial<CatalogueEntry> = {}): CatalogueEntry {
  return { name, source: { kind: 'npm', package: `@example/${name}` }, args: [], env: {}, headers: {}, tags: [], needs: [], ...overrides };
}

describe('loadCatalogue', () => {
  it('reads the documented example: every source kind, defaults merged, paths resolved, references kept', () => {
    const catalogue = loadCatalogue(EXAMPLE);
    expect(catalogue.path).toBe(EXAMPLE);
    expect(catalogue.defaults).toEqual({ timeoutMs: 60000, tags: [] });
    expect(catalogue.entries.map((e) => e.name)).toEqual(['memory', 'local', 'remote', 'snapshot']);
    const [memory, local, remote, snapshot] = catalogue.entries;
    expect(memory).toEqual({
      name: 'memory',
      source: { kind: 'npm', package: '@modelcontextprotocol/server-memory', version: '2026.8.31', bin: 'mcp-server-memory' },
      args: ['--flag'],
      env: { MEMORY_FILE_PATH: '/tmp/memory.json' },
      headers: {},
      tags: ['official'],
      timeoutMs: 30000,
      needs: [],
    });
    expect(local?.source).toEqual({ kind: 'stdio', command: 'node', cwd: join(FIXTURES, 'catalogue', 'servers') });
    expect(local?.timeoutMs).toBe(60000);
    expect(remote?.headers).toEqual({ Authorization: 'Bearer ${EXAMPLE_TOKEN}' });
    expect(snapshot?.source).toEqual({ kind: 'manifest', path: join(FIXTURES, 'catalogue', 'manifests', 'tools.json') });
    expect(snapshot?.needs).toEqual(['EXAMPLE_TOKEN']);
  });

  it('reads JSON too, unions default tags, and takes numbers in args and env as text', () => {
    const path = write(
      'cat.json',
      JSON.stringify({
        version: 1,
        defaults: { tags: ['nightly'], timeoutMs: 5000 },
        servers: [{ name: 'a', command: 'srv', args: ['--port', 8080], env: { PORT: 8080, DEBUG: true }, tags: ['mine', 'nightly'] }],
      }),
    );
    const [a] = loadCatalogue(path).entries;
    expect(a?.tags).toEqual(['nightly', 'mine']);
    expect(a?.args).toEqual(['--port', '8080']);
    expect(a?.env).toEqual({ PORT: '8080', DEBUG: 'true' });
    expect(a?.timeoutMs).toBe(5000);
  });

  it('accepts an empty servers list', () => {
    expect(loadCatalogue(write('c.yaml', 'version: 1\nservers:\n')).entries).toEqual([]);
  });

  it('a missing file is INPUT_NOT_FOUND; a folder too', () => {
    expect(() => loadCatalogue(join(dir.path, 'nope.yaml'))).toThrow(expect.objectContaining({ code: 'INPUT_NOT_FOUND' }));
    mkdirSync(join(dir.path, 'folder.yaml'));
    expect(() => loadCatalogue(join(dir.path, 'folder.yaml'))).toThrow(
      expect.objectContaining({ code: 'INPUT_NOT_FOUND', message: expect.stringContaining('is a folder') }),
    );
  });

  it('broken YAML and duplicate keys are INPUT_INVALID with the line', () => {
    const broken = write('broken.yaml', 'version: 1\nservers:\n  - name: a\n    npm: [unclosed\n');
    expect(() => loadCatalogue(broken)).toThrow(
      expect.objectContaining({ code: 'INPUT_INVALID', message: expect.stringMatching(/broken\.yaml: invalid YAML at line \d+/) }),
    );
    const dup = write('dup.yaml', 'version: 1\nservers:\n  - name: a\n    npm: x\n    npm: y\n');
    expect(() => loadCatalogue(dup)).toThrow(expect.objectContaining({ code: 'INPUT_INVALID' }));
  });

  it('throws one line with the count, carrying every problem for the CLI to list', () => {
    const path = write(
      'catalogue.yaml',
      [
        'version: 1',
        'servers:',
        '  - {name: ok, npm: ok-pkg}',
        '  - {name: ok2, npm: b}',
        '  - {name: ok3, npm: c}',
        '  - {name: foo, npm: x, url: "https://x.example"}',
        '  - {name: bar}',
        '  - {name: baz, command: c, tag: [x]}',
      ].join('\n'),
    );
    let error: unknown;
    try {
      loadCatalogue(path);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CatalogueInvalidError);
    expect(error).toBeInstanceOf(McpRiskError);
    const invalid = error as CatalogueInvalidError;
    expect(invalid.code).toBe('INPUT_INVALID');
    expect(invalid.message).toBe(`${path}: 3 problems`);
    expect(invalid.details).toEqual([
      'servers[3] (foo): has both npm and url',
      'servers[4] (bar): has no source: give one of npm, command, url or manifest',
      'servers[5] (baz): unknown key "tag" (did you mean tags?)',
    ]);
    expect(invalid.message).not.toContain('\n');
    expect(invalid.hint).toBeDefined();
    expect(invalid.hint).not.toContain('\n');
    expect(invalid.problems.map((p) => p.path)).toEqual(['servers[3] (foo)', 'servers[4] (bar)', 'servers[5] (baz)']);
    expect(invalid.problems[2]?.message).toBe('unknown key "tag" (did you mean tags?)');
  });
});

describe('validateCatalogue reports every kind of problem', () => {
  const server = (yaml: string): unknown => parse(`version: 1\nservers:\n  - ${yaml}`);
  const cases: [string, unknown, string, string][] = [
    ['empty file', null, '(file)', 'is empty'],
    ['not a mapping', [1, 2], '(file)', 'must be a mapping'],
    ['unknown top-level key', { version: 1, servers: [], server: [] }, '(file)', 'unknown key "server" (did you mean servers?)'],
    ['missing version', { servers: [] }, 'version', 'is missing'],
    ['unsupported version', { version: 2, servers: [] }, 'version', '2 is not supported'],
    ['missing servers', { version: 1 }, 'servers', 'is missing'],
    ['servers not a list', { version: 1, servers: { a: 1 } }, 'servers', 'must be a list'],
    ['defaults not a mapping', { version: 1, defaults: [], servers: [] }, 'defaults', 'must be a mapping'],
    ['unknown defaults key', { version: 1, defaults: { timeout: 5 }, servers: [] }, 'defaults', 'unknown key "timeout" (did you mean timeoutMs?)'],
    ['bad default timeout', { version: 1, defaults: { timeoutMs: -1 }, servers: [] }, 'defaults', 'timeoutMs must be a whole number'],
    ['server not a mapping', server('just-a-string'), 'servers[0]', 'must be a mapping'],
    ['unknown server key', server('{name: a, npm: b, enviroment: {}}'), 'servers[0] (a)', 'unknown key "enviroment"'],
    ['no name', server('{npm: b}'), 'servers[0]', 'has no name'],
    ['name not a string', server('{name: 12, npm: b}'), 'servers[0]', 'name must be a string'],
    ['empty name', server('{name: "  ", npm: b}'), 'servers[0]', 'name is empty'],
    // The name shown in the path is cleaned and cut, whatever the file holds.
    ['long name', server(`{name: ${'n'.repeat(201)}, npm: b}`), `servers[0] (${'n'.repeat(40)})`, 'longer than 200'],
    ['control characters in name', server('{name: "a\\u001b[31m", npm: b}'), 'servers[0] (a[31m)', 'control or invisible'],
    ['bidi override in name', server('{name: "a\\u202eb", npm: b}'), 'servers[0] (ab)', 'control or invisible'],
    ['no source', server('{name: a}'), 'servers[0] (a)', 'has no source'],
    ['two sources', server('{name: a, command: c, url: "https://x"}'), 'servers[0] (a)', 'has both command and url'],
    ['three sources', server('{name: a, npm: b, url: "https://x", manifest: m.json}'), 'servers[0] (a)', 'has more than one source: npm, url and manifest'],
    ['version on a command', server('{name: a, command: c, version: "1.0.0"}'), 'servers[0] (a)', 'version is only for npm sources, not command'],
    ['bin on a url', server('{name: a, url: "https://x", bin: b}'), 'servers[0] (a)', 'bin is only for npm sources'],
    ['args on a url', server('{name: a, url: "https://x", args: [x]}'), 'servers[0] (a)', 'args is only for npm and command sources, not url'],
    ['env on a manifest', server('{name: a, manifest: m.json, env: {A: b}}'), 'servers[0] (a)', 'env is only for npm and command sources'],
    ['cwd on npm', server('{name: a, npm: b, cwd: /tmp}'), 'servers[0] (a)', 'cwd is only for command sources'],
    ['headers on npm', server('{name: a, npm: b, headers: {X: y}}'), 'servers[0] (a)', 'headers is only for url sources'],
    ['invalid npm name', server('{name: a, npm: "../evil; rm -rf"}'), 'servers[0] (a)', 'is not a valid npm package name'],
    ['version inside npm', server('{name: a, npm: "@scope/pkg@1.2.3"}'), 'servers[0] (a)', 'write npm: "@scope/pkg" and version: "1.2.3"'],
    ['version read as a number', server('{name: a, npm: b, version: 1.5}'), 'servers[0] (a)', 'version must be a quoted string, e.g. version: "1.5"'],
    ['version that is an option', server('{name: a, npm: b, version: "--registry=evil"}'), 'servers[0] (a)', 'is not a version, range or dist-tag'],
    ['bin that is an option', server('{name: a, npm: b, bin: "--x"}'), 'servers[0] (a)', 'is not a valid bin name'],
    ['empty command', server('{name: a, command: ""}'), 'servers[0] (a)', 'command must be a non-empty string'],
    ['invalid url', server('{name: a, url: "not a url"}'), 'servers[0] (a)', 'is not a valid URL'],
    ['file url', server('{name: a, url: "file:///etc/passwd"}'), 'servers[0] (a)', 'url must be http or https'],
    ['args not a list', server('{name: a, command: c, args: "--x"}'), 'servers[0] (a)', 'args must be a list'],
    ['args item not a string', server('{name: a, command: c, args: [{x: 1}]}'), 'servers[0] (a)', 'args[0] must be a string'],
    ['env not a mapping', server('{name: a, command: c, env: [A]}'), 'servers[0] (a)', 'env must be a mapping'],
    ['env name invalid', server('{name: a, command: c, env: {"A-B": x}}'), 'servers[0] (a)', 'env.A-B: not a valid environment variable name'],
    ['env value empty', server('{name: a, command: c, env: {A: }}'), 'servers[0] (a)', 'env.A must be a string (write "" for an empty value)'],
    ['broken reference', server('{name: a, command: c, env: {A: "${A-B}"}}'), 'servers[0] (a)', 'env.A has "${A-B}" which is not a ${NAME} reference'],
    ['unclosed reference', server('{name: a, command: c, env: {A: "x${TOKEN"}}'), 'servers[0] (a)', 'not a ${NAME} reference'],
    ['header name invalid', server('{name: a, url: "https://x", headers: {"Bad Header": x}}'), 'servers[0] (a)', 'not a valid header name'],
    ['header with a line break', server('{name: a, url: "https://x", headers: {X: "a\\r\\nInjected: 1"}}'), 'servers[0] (a)', 'headers.X has a line break'],
    ['tags not a list', server('{name: a, npm: b, tags: official}'), 'servers[0] (a)', 'tags must be a list'],
    ['empty tag', server('{name: a, npm: b, tags: [""]}'), 'servers[0] (a)', 'tags[0] must be a non-empty string'],
    ['tag with a control character', server('{name: a, npm: b, tags: ["x\\u0007"]}'), 'servers[0] (a)', 'tags[0] has control'],
    ['needs not a list', server('{name: a, npm: b, needs: TOKEN}'), 'servers[0] (a)', 'needs must be a list'],
    ['timeout as a string', server('{name: a, npm: b, timeoutMs: "30s"}'), 'servers[0] (a)', 'timeoutMs must be a whole number'],
    ['timeout as a fraction', server('{name: a, npm: b, timeoutMs: 1.5}'), 'servers[0] (a)', 'timeoutMs must be a whole number'],
    ['timeout of zero', server('{name: a, npm: b, timeoutMs: 0}'), 'servers[0] (a)', 'timeoutMs must be a whole number'],
  ];

  it.each(cases)('%s', (_label, data, path, message) => {
    const result = validateCatalogue(data, 'c.yaml');
    expect(result.catalogue).toBeUndefined();
    expect(result.problems).toContainEqual({ path, message: expect.stringContaining(message) });
  });

  it('duplicate names point at the first use', () => {
    const result = validateCatalogue(parse('version: 1\nservers:\n  - {name: a, npm: b}\n  - {name: c, npm: d}\n  - {name: a, url: "https://x"}'));
    expect(result.problems).toEqual([{ path: 'servers[2] (a)', message: 'name is also used by servers[0]; names must be unique' }]);
  });

  it('collects every problem of every server rather than stopping at the first', () => {
    const result = validateCatalogue(parse('version: 3\nservers:\n  - {name: a, npm: b, url: "https://x", tags: [""]}\n  - {npm: "bad name"}\n'));
    expect(result.problems.map((p) => p.path)).toEqual(['version', 'servers[0] (a)', 'servers[0] (a)', 'servers[1]', 'servers[1]']);
  });

  it('a valid catalogue has no problems and no path unless given one', () => {
    const result = validateCatalogue({ version: 1, servers: [{ name: 'a', command: 'c', cwd: 'rel' }] });
    expect(result.problems).toEqual([]);
    expect(result.catalogue?.path).toBeUndefined();
    expect(result.catalogue?.entries[0]?.source).toEqual({ kind: 'stdio', command: 'c', cwd: 'rel' });
  });
});

describe('renderCatalogue', () => {
  it('round-trips the documented example written back to its own place', () => {
    mkdirSync(join(dir.path, 'cat'));
    const path = join(dir.path, 'cat', 'catalogue.yaml');
    writeFileSync(path, readFileSync(EXAMPLE));
    const loaded = loadCatalogue(path);
    const text = renderCatalogue(loaded);
    expect(text.startsWith('# mcp-risk catalogue')).toBe(true);
    // Relative paths stay relative, so the folder can move.
    expect(text).toContain('cwd: ./servers');
    expect(text).toContain('manifest: ./manifests/tools.json');
    // Values the defaults give are not repeated on every server.
    expect(text.match(/timeoutMs: 60000/g)?.length).toBe(1);
    writeFileSync(path, text);
    expect(loadCatalogue(path)).toEqual(loaded);
  });

  it('writes keys in a stable order and short lists on one line', () => {
    const text = renderCatalogue({
      defaults: { tags: [] },
      entries: [
        entry('a', { tags: ['x', 'y'], timeoutMs: 10, env: { B: '1' }, source: { kind: 'npm', package: 'p', version: '^1.2.0', bin: 'b' }, args: ['--v'] }),
      ],
    });
    const lines = text.split('\n').filter((line) => !line.startsWith('#'));
    expect(lines.join('\n')).toContain(
      [
        '  - name: a',
        '    npm: p',
        '    version: "^1.2.0"',
        '    bin: b',
        '    args: [--v]',
        '    env:',
        '      B: "1"',
        '    tags: [x, y]',
        '    timeoutMs: 10',
      ].join('\n'),
    );
    expect(text.indexOf('version: 1')).toBeLessThan(text.indexOf('servers:'));
  });

  it('round-trips hostile and awkward values exactly', () => {
    const awkward: Catalogue = {
      defaults: { tags: ['nightly'], timeoutMs: 1000 },
      entries: [
        entry('naïve: # not a comment', {
          source: { kind: 'stdio', command: 'node', cwd: '/elsewhere/outside' },
          args: ['--x=\'"quoted"\'', 'line\nbreak', '', '  padded  ', 'yes', '0123', '- dash', '{not: flow}'],
          env: { A: 'pa$$word', B: '${TOKEN}', C: '$${literal}', D: 'null', E: '' },
          tags: ['nightly', 'mine'],
          timeoutMs: 1000,
          needs: ['TOKEN'],
        }),
        entry('remote', {
          source: { kind: 'http', url: 'https://x.example/mcp?a=1&b=#frag' },
          headers: { Authorization: 'Bearer ${T}', 'x-y': ' a ' },
          tags: ['nightly'],
          timeoutMs: 2000,
        }),
        entry('1.0', { source: { kind: 'manifest', path: '/abs/tools.json' }, tags: ['nightly'], timeoutMs: 1000 }),
      ],
    };
    const path = write('awkward.yaml', renderCatalogue(awkward));
    const back = loadCatalogue(path);
    expect({ ...back, path: undefined }).toEqual({ ...awkward, path: undefined });
  });

  it('renders an empty catalogue that loads', () => {
    const path = write('empty.yaml', renderCatalogue({ entries: [], defaults: { tags: [] } }));
    expect(loadCatalogue(path)).toEqual({ path, entries: [], defaults: { tags: [] } });
  });
});

describe('appendToCatalogueText', () => {
  it('keeps the comments and entries already in the file and adds the new ones', () => {
    const path = write(
      'c.yaml',
      '# my servers, hand-edited\nversion: 1\ndefaults:\n  tags: [nightly]\nservers:\n  - name: mine # keep this\n    command: ./run.sh\n',
    );
    const existing = loadCatalogue(path);
    const text = appendToCatalogueText(readFileSync(path, 'utf8'), existing, [entry('new', { tags: ['nightly', 'registry'] })]);
    expect(text).toContain('# my servers, hand-edited');
    expect(text).toContain('# keep this');
    writeFileSync(path, text);
    const after = loadCatalogue(path);
    expect(after.entries.map((e) => e.name)).toEqual(['mine', 'new']);
    expect(after.entries[1]?.tags).toEqual(['nightly', 'registry']);
    // The default tag is not repeated on the appended entry.
    expect(text.match(/nightly/g)?.length).toBe(1);
  });

  it('fills an empty servers key, and keeps a JSON file JSON', () => {
    const yamlPath = write('e.yaml', 'version: 1\nservers:\n');
    const yamlText = appendToCatalogueText(readFileSync(yamlPath, 'utf8'), loadCatalogue(yamlPath), [entry('a')]);
    expect(loadCatalogue(write('e2.yaml', yamlText)).entries.map((e) => e.name)).toEqual(['a']);
    const jsonPath = write('c.json', JSON.stringify({ version: 1, servers: [{ name: 'x', npm: 'x' }] }));
    const jsonText = appendToCatalogueText(readFileSync(jsonPath, 'utf8'), loadCatalogue(jsonPath), [entry('a')]);
    expect(JSON.parse(jsonText).servers.map((s: { name: string }) => s.name)).toEqual(['x', 'a']);
  });
});

describe('mergeCatalogues', () => {
  it('keeps entries present by name as the user left them and appends new ones with the defaults', () => {
    const existing: Catalogue = {
      path: '/x/c.yaml',
      defaults: { tags: ['nightly'], timeoutMs: 9000 },
      entries: [entry('edited', { source: { kind: 'npm', package: 'edited', version: '1.0.0' }, tags: ['nightly'], timeoutMs: 9000 })],
    };
    const imported = [
      entry('edited', { source: { kind: 'npm', package: 'edited', version: '2.0.0' }, tags: ['registry'] }),
      entry('fresh', { tags: ['registry'] }),
      entry('fresh'),
    ];
    const { catalogue, added, kept } = mergeCatalogues(existing, { entries: imported, defaults: { tags: [] } });
    expect(added).toEqual(['fresh']);
    expect(kept).toEqual(['edited']);
    expect(catalogue.path).toBe('/x/c.yaml');
    expect(catalogue.entries[0]).toBe(existing.entries[0]);
    expect(catalogue.entries[1]).toMatchObject({ name: 'fresh', tags: ['nightly', 'registry'], timeoutMs: 9000 });
    expect(catalogue.entries).toHaveLength(2);
    // The input catalogue is not changed.
    expect(existing.entries).toHaveLength(1);
  });

  it('takes a plain list of entries too', () => {
    const { added } = mergeCatalogues({ entries: [], defaults: { tags: [] } }, [entry('a'), entry('b')]);
    expect(added).toEqual(['a', 'b']);
  });
});
