// loadManifest: tool lists and client configs in JSON and YAML, and one error code per bad input.
import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadManifest } from '../../src/ingest/index.js';
import { MAX_MANIFEST_BYTES } from '../../src/ingest/manifest.js';
import type { ManifestContent } from '../../src/ingest/index.js';
import { McpRiskError } from '../../src/model/index.js';
import type { ServerSnapshot } from '../../src/model/index.js';

const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-manifest-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
function snapshotOf(content: ManifestContent): ServerSnapshot {
  if (content.kind !== 'snapshot') throw new Error(`expected a snapshot, got ${content.kind}`);
  return content.snapshot;
}
async function errorCode(path: string): Promise<string> {
  try {
    await loadManifest(path);
  } catch (error) {
    expect(error).toBeInstanceOf(McpRiskError);
    expect((error as McpRiskError).message).toContain(path);
    return (error as McpRiskError).code;
  }
  throw new Error('expected loadManifest to throw');
}

const tool = { name: 'delete_file', description: 'Deletes a file', inputSchema: { type: 'object' } };

describe('loadManifest', () => {
  it('reads a captured fixture with serverInfo', async () => {
    const path = fileURLToPath(new URL('../fixtures/servers/everything.json', import.meta.url));
    const snapshot = snapshotOf(await loadManifest(path));
    expect(snapshot.status).toBe('ok');
    expect(snapshot.source).toEqual({ kind: 'manifest', target: path });
    expect(snapshot.name).toBe('everything'); // the file's name; serverInfo is kept as data
    expect(snapshot.serverInfo?.name).toBe('mcp-servers/everything');
    expect(snapshot.serverInfo?.version).toBe('2.0.0');
    expect(snapshot.tools.length).toBe(13);
    expect(snapshot.findings).toEqual([]);
  });

  it('reads {"tools": [...]} as JSON, validating tool by tool', async () => {
    const snapshot = snapshotOf(await loadManifest(file('list.json', JSON.stringify({ name: 'files', tools: [tool, { name: 7 }] }))));
    expect(snapshot.name).toBe('files');
    expect(snapshot.tools.map((t) => t.definition.name)).toEqual(['delete_file']);
    expect(snapshot.findings.map((f) => f.code)).toEqual(['ingest.malformed-tool']);
  });

  it('reads a saved JSON-RPC tools/list response', async () => {
    const snapshot = snapshotOf(await loadManifest(file('response.json', JSON.stringify({ jsonrpc: '2.0', id: 1, result: { tools: [tool] } }))));
    expect(snapshot.tools).toHaveLength(1);
  });

  it('reads a bare array of tools as YAML, named after the file', async () => {
    const snapshot = snapshotOf(
      await loadManifest(file('bare-tools.yaml', '- name: delete_file\n  inputSchema: {type: object}\n- name: list_files\n  inputSchema: {type: object}\n')),
    );
    expect(snapshot.name).toBe('bare-tools');
    expect(snapshot.tools.map((t) => t.definition.name)).toEqual(['delete_file', 'list_files']);
  });

  it('reads {"tools": []} as no-tools', async () => {
    const snapshot = snapshotOf(await loadManifest(file('empty.yml', 'tools: []\n')));
    expect(snapshot.status).toBe('no-tools');
  });

  it('guesses the format of a file without a known extension', async () => {
    const snapshot = snapshotOf(await loadManifest(file('tools.txt', 'tools:\n  - name: a\n    inputSchema: {type: object}\n')));
    expect(snapshot.tools).toHaveLength(1);
  });

  it('reads an mcpServers client config (JSON)', async () => {
    const config = {
      mcpServers: {
        files: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'], env: { DEBUG: 1 } },
        remote: { url: 'https://example.com/mcp', headers: { Authorization: 'Bearer x' } },
        legacy: { type: 'sse', url: 'https://example.com/sse' },
      },
    };
    const content = await loadManifest(file('claude_desktop_config.json', JSON.stringify(config)));
    expect(content).toEqual({
      kind: 'client-config',
      targets: [
        { kind: 'stdio', name: 'files', command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'], env: { DEBUG: '1' } },
        { kind: 'http', name: 'remote', url: 'https://example.com/mcp', headers: { Authorization: 'Bearer x' } },
        { kind: 'http', name: 'legacy', url: 'https://example.com/sse', transport: 'sse' },
      ],
      warnings: [],
      split: [],
    });
  });

  it('reads an mcpServers client config (YAML)', async () => {
    const content = await loadManifest(file('config.yaml', 'mcpServers:\n  mem:\n    command: node\n    args: [server.js]\n'));
    expect(content).toEqual({
      kind: 'client-config',
      targets: [{ kind: 'stdio', name: 'mem', command: 'node', args: ['server.js'] }],
      warnings: [],
      split: [],
    });
  });

  it('collects every bad config entry into one INPUT_INVALID', async () => {
    const path = file('bad-config.json', JSON.stringify({ mcpServers: { a: { args: [] }, b: { url: 'not a url' } } }));
    await expect(loadManifest(path)).rejects.toMatchObject({ code: 'INPUT_INVALID', message: expect.stringMatching(/a: .*; b: /) });
  });

  describe('errors', () => {
    it('INPUT_NOT_FOUND for a missing file', async () => {
      expect(await errorCode(join(dir, 'nope.json'))).toBe('INPUT_NOT_FOUND');
    });

    it('INPUT_INVALID, from the size alone, for a file past the longest string Node can make', async () => {
      // Sparse: the size is there without writing (or reading) half a gigabyte.
      const path = join(dir, 'huge.json');
      writeFileSync(path, '');
      truncateSync(path, MAX_MANIFEST_BYTES + 1);
      expect(await errorCode(path)).toBe('INPUT_INVALID');
      const bytes = (n: number): string => n.toLocaleString('en-US');
      await expect(loadManifest(path)).rejects.toThrow(
        `too large to read: it holds ${bytes(MAX_MANIFEST_BYTES + 1)} bytes, past the ${bytes(MAX_MANIFEST_BYTES)} (512 MiB) a manifest may hold`,
      );
      // A file under the limit in the same place is still read: the check is on the size, not the path.
      expect(snapshotOf(await loadManifest(file('small.json', JSON.stringify({ tools: [tool] })))).tools).toHaveLength(1);
    });

    it('INPUT_NOT_FOUND for a directory', async () => {
      const path = mkdtempSync(join(dir, 'a-dir-'));
      expect(await errorCode(path)).toBe('INPUT_NOT_FOUND');
      await expect(loadManifest(path)).rejects.toThrow(/is a directory/);
    });

    it('INPUT_INVALID for broken JSON, with a position', async () => {
      const path = file('broken.json', '{\n  "tools": [\n    {"name": }\n  ]\n}');
      expect(await errorCode(path)).toBe('INPUT_INVALID');
      await expect(loadManifest(path)).rejects.toThrow(/line 3/);
    });

    it('INPUT_INVALID for broken YAML, with a position', async () => {
      const path = file('broken.yaml', 'tools:\n  - name: a\n   bad: [unclosed\n');
      expect(await errorCode(path)).toBe('INPUT_INVALID');
      await expect(loadManifest(path)).rejects.toThrow(/line \d+, column \d+/);
    });

    it('NOT_A_TOOL_LIST for valid files without a tool list', async () => {
      expect(await errorCode(file('foo.json', '{"foo": 1}'))).toBe('NOT_A_TOOL_LIST');
      expect(await errorCode(file('number.json', '42'))).toBe('NOT_A_TOOL_LIST');
      expect(await errorCode(file('tools-string.json', '{"tools": "all of them"}'))).toBe('NOT_A_TOOL_LIST');
      expect(await errorCode(file('numbers.yaml', '- 1\n- 2\n'))).toBe('NOT_A_TOOL_LIST');
    });
  });
});
