// Importers add each server once: an npm package, URL or command already listed under another name is
// not added again, within one import and against the catalogue file it is merged into.
import { describe, expect, it } from 'vitest';
import { mergeCatalogues } from '../../src/catalogue/catalogue-file.js';
import { onePerServer, serverKey } from '../../src/catalogue/same-server.js';
import type { CatalogueEntry } from '../../src/catalogue/types.js';

const entry = (name: string, source: CatalogueEntry['source'], args: string[] = []): CatalogueEntry => ({
  name,
  source,
  args,
  env: {},
  headers: {},
  tags: [],
  needs: [],
});

describe('one entry a server', () => {
  it('knows a package, a URL or a command under another name', () => {
    expect(serverKey(entry('a', { kind: 'npm', package: '@acme/files', version: '1.0.0' }))).toBe(
      serverKey(entry('io.github.acme/files', { kind: 'npm', package: '@Acme/files', version: '2.0.0' })),
    );
    expect(serverKey(entry('a', { kind: 'http', url: 'https://MCP.example.com/sse/' }))).toBe(
      serverKey(entry('b', { kind: 'http', url: 'https://mcp.example.com/sse#x' })),
    );
    // Other arguments or another bin start another server.
    expect(serverKey(entry('a', { kind: 'npm', package: 'srv' }, ['--ro']))).not.toBe(serverKey(entry('b', { kind: 'npm', package: 'srv' })));
    expect(serverKey(entry('a', { kind: 'npm', package: 'srv', bin: 'x' }))).not.toBe(serverKey(entry('b', { kind: 'npm', package: 'srv' })));
    expect(serverKey(entry('a', { kind: 'http', url: 'https://a.example/one' }))).not.toBe(
      serverKey(entry('b', { kind: 'http', url: 'https://a.example/two' })),
    );
  });

  it('keeps the first entry of a server in one import and names what it left out', () => {
    const r = onePerServer([
      entry('acme-files', { kind: 'npm', package: '@acme/files' }),
      entry('io.github.acme/files', { kind: 'npm', package: '@acme/files', version: '2.0.0' }),
      entry('other', { kind: 'npm', package: 'other' }),
    ]);
    expect(r.entries.map((e) => e.name)).toEqual(['acme-files', 'other']);
    expect(r.duplicates).toEqual([{ name: 'io.github.acme/files', sameAs: 'acme-files' }]);
  });

  it('does not add to a catalogue a server it already has under another name', () => {
    const existing = { entries: [entry('files', { kind: 'npm', package: '@acme/files' })], defaults: { tags: [] } };
    const merged = mergeCatalogues(existing, [
      entry('io.github.acme/files', { kind: 'npm', package: '@acme/files' }),
      entry('new-one', { kind: 'npm', package: 'new-one' }),
    ]);
    expect(merged.added).toEqual(['new-one']);
    expect(merged.kept).toEqual(['io.github.acme/files']);
    expect(merged.catalogue.entries.map((e) => e.name)).toEqual(['files', 'new-one']);
  });
});
