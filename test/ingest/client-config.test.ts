// The client-config parser across clients: VS Code's `servers`, Codex's TOML, ~/.claude.json's projects,
// placeholders that are resolved, left out or stop a server, and one name per server across maps.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readClientConfig } from '../../src/ingest/client-config.js';
import { nameServers } from '../../src/ingest/config-names.js';
import { loadManifest } from '../../src/ingest/index.js';
import type { ManifestContent } from '../../src/ingest/index.js';
import { mcpRisk } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-client-config-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
function configOf(content: ManifestContent): Extract<ManifestContent, { kind: 'client-config' }> {
  if (content.kind !== 'client-config') throw new Error(`expected a client config, got ${content.kind}`);
  return content;
}

describe('VS Code mcp.json', () => {
  it('reads the `servers` map with type stdio, http and sse, and ignores `inputs`', async () => {
    const config = configOf(
      await loadManifest(
        file(
          'mcp.json',
          JSON.stringify({
            inputs: [{ id: 'token', type: 'promptString', password: true }],
            servers: {
              files: { type: 'stdio', command: 'node', args: ['fs.js'] },
              api: { type: 'http', url: 'https://api.example/mcp' },
              old: { type: 'sse', url: 'https://old.example/sse' },
            },
          }),
        ),
      ),
    );
    expect(config.targets).toEqual([
      { kind: 'stdio', name: 'files', command: 'node', args: ['fs.js'] },
      { kind: 'http', name: 'api', url: 'https://api.example/mcp', transport: 'streamable-http' },
      { kind: 'http', name: 'old', url: 'https://old.example/sse', transport: 'sse' },
    ]);
    expect(config.warnings).toEqual([]);
  });

  it('never passes ${input:...} as a value: the env var or header is left out with a warning naming server and key', async () => {
    const config = configOf(
      await loadManifest(
        file(
          'inputs.json',
          JSON.stringify({
            servers: {
              gh: { command: 'npx', args: ['-y', 'gh-mcp'], env: { GITHUB_TOKEN: '${input:token}', LOG: 'debug' } },
              api: { type: 'http', url: 'https://api.example/mcp', headers: { Authorization: 'Bearer ${input:key}', 'X-Team': 'a' } },
            },
          }),
        ),
      ),
    );
    expect(config.targets).toEqual([
      { kind: 'stdio', name: 'gh', command: 'npx', args: ['-y', 'gh-mcp'], env: { LOG: 'debug' } },
      { kind: 'http', name: 'api', url: 'https://api.example/mcp', headers: { 'X-Team': 'a' }, transport: 'streamable-http' },
    ]);
    expect(config.warnings).toEqual([
      {
        server: 'gh',
        message: expect.stringMatching(/^env GITHUB_TOKEN holds \$\{input:token\}, which mcp-risk cannot resolve: not passed .*--env GITHUB_TOKEN=/),
      },
      { server: 'api', message: expect.stringMatching(/^header Authorization holds \$\{input:key\}, .*not passed/) },
    ]);
  });

  it('resolves ${workspaceFolder} and ${userHome}; a placeholder left in command, args, cwd or url skips the server', () => {
    const config = readClientConfig(
      {
        servers: {
          fs: { command: 'node', args: ['${workspaceFolder}/srv.js', '${userHome}/notes'] },
          ask: { command: 'node', args: ['${input:folder}'] },
          remote: { url: 'https://${env:HOST}/mcp' },
          cd: { command: 'node', cwd: '${env:PWD}' },
        },
      },
      { project: '/work/app', home: '/home/me' },
    );
    expect(config?.groups).toEqual([{ targets: [{ kind: 'stdio', name: 'fs', command: 'node', args: ['/work/app/srv.js', '/home/me/notes'] }] }]);
    expect(config?.warnings).toEqual([
      { server: 'ask', message: 'args[0] holds ${input:folder}, which mcp-risk cannot resolve: not scanned' },
      { server: 'remote', message: 'url holds ${env:HOST}, which mcp-risk cannot resolve: not scanned' },
      { server: 'cd', message: 'cwd holds ${env:PWD}, which mcp-risk cannot resolve: not scanned' },
    ]);
  });

  it('is not mistaken for a client config when `servers` holds something else', () => {
    expect(readClientConfig({ servers: ['a', 'b'] })).toBeUndefined();
    expect(readClientConfig({ servers: { a: { port: 1 } } })).toBeUndefined();
  });
});

describe('Codex config.toml', () => {
  it('reads [mcp_servers.NAME] with command, args, env, cwd, url and http_headers', async () => {
    const path = file(
      'config.toml',
      [
        'model = "o3"',
        '[mcp_servers.docs]',
        'command = "npx"',
        'args = ["-y", "docs-mcp"]',
        'env = { DOCS_LANG = "en", RETRIES = 3 }',
        'cwd = "/srv/docs"',
        '[mcp_servers."my server"]',
        'url = "https://mcp.example/mcp"',
        'http_headers = { "X-Team" = "a" }',
      ].join('\n'),
    );
    const config = configOf(await loadManifest(path));
    expect(config.targets).toEqual([
      { kind: 'stdio', name: 'docs', command: 'npx', args: ['-y', 'docs-mcp'], env: { DOCS_LANG: 'en', RETRIES: '3' }, cwd: '/srv/docs' },
      { kind: 'http', name: 'my server', url: 'https://mcp.example/mcp', headers: { 'X-Team': 'a' } },
    ]);
  });

  it('warns that what Codex takes from its own environment is not passed (mcp-risk never forwards ours)', () => {
    const config = readClientConfig({
      mcp_servers: {
        docs: { command: 'npx', env_vars: ['DOCS_KEY'] },
        remote: { url: 'https://mcp.example/mcp', bearer_token_env_var: 'TOKEN', env_http_headers: { 'X-Key': 'KEY_VAR' } },
      },
    });
    expect(config?.groups[0]?.targets).toEqual([
      { kind: 'stdio', name: 'docs', command: 'npx', args: [] },
      { kind: 'http', name: 'remote', url: 'https://mcp.example/mcp' },
    ]);
    expect(config?.warnings.map((w) => `${w.server}: ${w.message.split(':')[0]}`)).toEqual([
      'docs: env_vars (DOCS_KEY)',
      'remote: bearer_token_env_var (TOKEN)',
      'remote: env_http_headers (X-Key)',
    ]);
  });

  it('reports invalid TOML with its line and column', async () => {
    await expect(loadManifest(file('broken.toml', '[mcp_servers.a]\ncommand = \n'))).rejects.toMatchObject({
      code: 'INPUT_INVALID',
      message: expect.stringMatching(/broken\.toml: invalid TOML at line 2, column \d+/),
    });
  });
});

describe("Claude Code's ~/.claude.json", () => {
  const claudeJson = {
    numStartups: 4,
    mcpServers: { memory: { command: 'node', args: ['memory.js'] } },
    projects: {
      '/home/me/app': { allowedTools: [], mcpServers: { memory: { command: 'node', args: ['memory.js'] }, db: { command: 'node', args: ['db.js'] } } },
      '/home/me/other': { mcpServers: { db: { command: 'node', args: ['other-db.js'] } } },
      '/home/me/empty': { mcpServers: {} },
    },
  };

  it('reads the user map and every project map as groups of their own', () => {
    const config = readClientConfig(claudeJson);
    expect(config?.groups.map((g) => [g.scope, g.targets.map((t) => t.name)])).toEqual([
      [undefined, ['memory']],
      ['/home/me/app', ['memory', 'db']],
      ['/home/me/other', ['db']],
    ]);
  });

  it('as a FILE: one server defined alike twice is scanned once; one name for two servers is split by project', async () => {
    const config = configOf(await loadManifest(file('.claude.json', JSON.stringify(claudeJson))));
    expect(config.targets.map((t) => t.name)).toEqual(['memory', 'db@/home/me/app', 'db@/home/me/other']);
    expect(config.split).toEqual([{ key: 'db', names: ['db@/home/me/app', 'db@/home/me/other'], labels: ['/home/me/app', '/home/me/other'] }]);
  });
});

describe('nameServers', () => {
  const stdio = (name: string, args: string[], env?: Record<string, string>) => ({ kind: 'stdio' as const, name, command: 'node', args, ...(env && { env }) });

  it('treats definitions that differ only in key order as the same server, and remembers every place', () => {
    const a = { label: 'claude-desktop', targets: [stdio('m', ['m.js'], { A: '1', B: '2' })] };
    const b = { label: 'cursor', targets: [{ env: { B: '2', A: '1' }, args: ['m.js'], command: 'node', name: 'm', kind: 'stdio' as const }] };
    expect(nameServers([a, b])).toEqual({ servers: [{ target: stdio('m', ['m.js'], { A: '1', B: '2' }), from: ['claude-desktop', 'cursor'] }], split: [] });
  });

  it('splits one name with different env values, and never reuses a name that is taken', () => {
    const { servers, split } = nameServers([
      { label: 'cursor', targets: [stdio('m', ['m.js'], { A: '1' }), stdio('m@vscode', ['x.js'])] },
      { label: 'vscode', targets: [stdio('m', ['m.js'], { A: '2' })] },
    ]);
    expect(servers.map((s) => s.target.name)).toEqual(['m@cursor', 'm@vscode#2', 'm@vscode']);
    expect(split).toEqual([{ key: 'm', names: ['m@cursor', 'm@vscode#2'], labels: ['cursor', 'vscode'] }]);
  });
});

describe('scan FILE with a client config: --server and --name', () => {
  const config = file('two.json', JSON.stringify({ mcpServers: { mem: { command: 'node', args: ['mem.js'] }, fs: { command: 'node', args: ['fs.js'] } } }));
  const list = async (...args: string[]) => mcpRisk(['scan', config, '--list', '--json', ...args]);

  it('--server picks one server, and --name then stores it under another name', async () => {
    const picked = await list('--server', 'fs', '--name', 'files');
    expect(picked.code).toBe(0);
    expect(JSON.parse(picked.stdout)).toEqual([{ name: 'files', kind: 'stdio', target: 'node fs.js', env: [], headers: [], from: [config] }]);
  });

  it('--name alone is an error, not silently ignored; an unknown --server lists the names', async () => {
    const named = await list('--name', 'files');
    expect([named.code, named.stderr]).toEqual([2, expect.stringMatching(/^mcp-risk: --name names one server, and .*two\.json holds a map of them/)]);
    const unknown = await list('--server', 'nope');
    expect([unknown.code, unknown.stderr]).toEqual([2, expect.stringMatching(/^mcp-risk: no server "nope" in .*two\.json; the servers are: mem, fs\n$/)]);
  });

  it('--server on a tool list is an error: there is only one server', async () => {
    const tools = file('tools.json', JSON.stringify({ tools: [{ name: 'a', inputSchema: { type: 'object' } }] }));
    const result = await mcpRisk(['scan', tools, '--server', 'a', '--list']);
    expect([result.code, result.stderr]).toEqual([2, expect.stringMatching(/^mcp-risk: --server picks a server of a client config or of --discover/)]);
  });
});
