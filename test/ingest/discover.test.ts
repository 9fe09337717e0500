// Discovery: where each client keeps its config on each platform, and `scan --discover` end to end
// through the real CLI, on real config files in a temporary home, scanning a real test server.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configPlaces } from '../../src/ingest/discover.js';
import { mcpRisk, ROOT } from '../support/cli.js';

const pair = join(ROOT, 'test/servers/config-pair.mjs');
const mail = { command: process.execPath, args: [pair, 'mail'] };
const helper = { command: process.execPath, args: [pair, 'helper'] };

describe('configPlaces', () => {
  const where = (platform: NodeJS.Platform, home: string, extra = {}) =>
    Object.fromEntries(configPlaces({ home, project: platform === 'win32' ? 'C:\\work\\app' : '/work/app', platform, ...extra }).map((p) => [p.label, p.path]));

  it('Linux: Electron apps under $XDG_CONFIG_HOME (default ~/.config), the rest under home, the project last', () => {
    expect(where('linux', '/home/me')).toEqual({
      'claude-desktop': '/home/me/.config/Claude/claude_desktop_config.json',
      'claude-code': '/home/me/.claude.json',
      cursor: '/home/me/.cursor/mcp.json',
      vscode: '/home/me/.config/Code/User/mcp.json',
      windsurf: '/home/me/.codeium/windsurf/mcp_config.json',
      codex: '/home/me/.codex/config.toml',
      'claude-code-project': '/work/app/.mcp.json',
      'cursor-project': '/work/app/.cursor/mcp.json',
      'vscode-workspace': '/work/app/.vscode/mcp.json',
    });
    expect(where('linux', '/home/me', { xdgConfigHome: '/cfg', codexHome: '/codex' })).toMatchObject({
      'claude-desktop': '/cfg/Claude/claude_desktop_config.json',
      vscode: '/cfg/Code/User/mcp.json',
      codex: '/codex/config.toml',
    });
  });

  it('macOS: ~/Library/Application Support', () => {
    expect(where('darwin', '/Users/me')).toMatchObject({
      'claude-desktop': '/Users/me/Library/Application Support/Claude/claude_desktop_config.json',
      vscode: '/Users/me/Library/Application Support/Code/User/mcp.json',
      cursor: '/Users/me/.cursor/mcp.json',
    });
  });

  it('Windows: %APPDATA% (default <home>\\AppData\\Roaming), backslashes throughout', () => {
    expect(where('win32', 'C:\\Users\\me', { appData: 'D:\\Roaming' })).toMatchObject({
      'claude-desktop': 'D:\\Roaming\\Claude\\claude_desktop_config.json',
      vscode: 'D:\\Roaming\\Code\\User\\mcp.json',
      'claude-code': 'C:\\Users\\me\\.claude.json',
      codex: 'C:\\Users\\me\\.codex\\config.toml',
      'vscode-workspace': 'C:\\work\\app\\.vscode\\mcp.json',
    });
    expect(where('win32', 'C:\\Users\\me')['claude-desktop']).toBe('C:\\Users\\me\\AppData\\Roaming\\Claude\\claude_desktop_config.json');
  });
});

/** A temporary home and project; `env` points every variable discovery reads at them, whatever this machine has. */
function world() {
  const root = mkdtempSync(join(tmpdir(), 'mcp-risk-discover-'));
  const home = join(root, 'home');
  const project = join(root, 'project');
  mkdirSync(project, { recursive: true });
  const write = (path: string, content: unknown): void => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  };
  const env = { HOME: home, XDG_CONFIG_HOME: join(home, '.config'), CODEX_HOME: join(home, '.codex'), APPDATA: join(home, 'AppData') };
  return { root, home, project, write, env, db: join(root, 'r.db') };
}

interface Planned {
  name: string;
  kind: string;
  target: string;
  env: string[];
  headers: string[];
  from: string[];
}

describe('scan --discover', () => {
  const w = world();
  w.write(join(w.home, '.config/Claude/claude_desktop_config.json'), { mcpServers: { mail, helper } });
  // The same mail server (scanned once), and a different server under the name helper (split).
  w.write(join(w.home, '.cursor/mcp.json'), { mcpServers: { mail, helper: { command: process.execPath, args: [pair, 'other'] } } });
  w.write(join(w.home, '.claude.json'), { numStartups: 2, projects: { [w.project]: { mcpServers: { notes: { command: 'node', args: ['notes.js'] } } } } });
  w.write(join(w.home, '.config/Code/User/mcp.json'), {
    servers: { gh: { type: 'stdio', command: 'npx', args: ['-y', 'gh-mcp'], env: { GITHUB_TOKEN: '${input:token}', LOG: 'info' } } },
  });
  w.write(join(w.home, '.codeium/windsurf/mcp_config.json'), '{ "mcpServers": { broken');
  w.write(join(w.home, '.codex/config.toml'), '[mcp_servers.docs]\ncommand = "npx"\nargs = ["-y", "docs-mcp"]\n');
  w.write(join(w.project, '.vscode/mcp.json'), { servers: { api: { type: 'http', url: 'https://api.example/mcp' } } });
  w.write(join(w.project, '.mcp.json'), { mcpServers: { files: { command: 'node', args: ['${workspaceFolder}/fs.js'] } } });

  it('--list prints every server found, once, with where it was found, and starts nothing', async () => {
    const result = await mcpRisk(['scan', '--discover', '--list', '--json', '--project', w.project, '--db', w.db], w.env);
    expect(result.code).toBe(0);
    const planned = JSON.parse(result.stdout) as Planned[];
    expect(planned.map((p) => [p.name, p.from])).toEqual([
      ['mail', ['claude-desktop', 'cursor']],
      ['helper@claude-desktop', ['claude-desktop']],
      ['helper@cursor', ['cursor']],
      ['notes', [`claude-code:${w.project}`]],
      ['gh', ['vscode']],
      ['docs', ['codex']],
      ['files', ['claude-code-project']],
      ['api', ['vscode-workspace']],
    ]);
    expect(planned.find((p) => p.name === 'gh')).toMatchObject({ kind: 'stdio', target: 'npx -y gh-mcp', env: ['LOG'] });
    expect(planned.find((p) => p.name === 'files')?.target).toBe(`node ${w.project}/fs.js`);
    expect(planned.find((p) => p.name === 'api')).toMatchObject({ kind: 'http', target: 'https://api.example/mcp' });
  });

  it('says on stderr which configs were read and what each gave, warns about the invalid one and the placeholder, and names the split', async () => {
    const result = await mcpRisk(['scan', '--discover', '--list', '--project', w.project], w.env);
    expect(result.code).toBe(0);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toEqual([
      `mcp-risk: discover: read ${w.home}/.config/Claude/claude_desktop_config.json (Claude Desktop): 2 servers`,
      `mcp-risk: discover: read ${w.home}/.claude.json (Claude Code): 1 server`,
      `mcp-risk: discover: read ${w.home}/.cursor/mcp.json (Cursor): 2 servers`,
      `mcp-risk: discover: read ${w.home}/.config/Code/User/mcp.json (VS Code): 1 server`,
      `mcp-risk: discover: read ${w.home}/.codex/config.toml (Codex): 1 server`,
      `mcp-risk: discover: read ${w.project}/.mcp.json (Claude Code): 1 server`,
      `mcp-risk: discover: read ${w.project}/.vscode/mcp.json (VS Code): 1 server`,
      expect.stringMatching(new RegExp(`^mcp-risk: warning: discover: ${w.home}/\\.codeium/windsurf/mcp_config\\.json: invalid JSON at line 1, .*; skipped$`)),
      expect.stringMatching(/^mcp-risk: warning: .*\/Code\/User\/mcp\.json: server "gh": env GITHUB_TOKEN holds \$\{input:token\}, .*not passed/),
      'mcp-risk: note: "helper" names different servers in claude-desktop, cursor: scanned apart, as helper@claude-desktop, helper@cursor',
    ]);
    // The table names every server and ends by saying nothing ran.
    expect(result.stdout).toMatch(/^SERVER +KIND +TARGET/);
    expect(result.stdout).toContain('8 servers would be scanned; nothing was started.');
  });

  it('--server picks one server out of the discovered configs and scans it for real', async () => {
    const result = await mcpRisk(['scan', '--discover', '--server', 'mail', '--json', '--no-llm', '--project', w.project, '--db', w.db], w.env);
    expect(result.code).toBe(0);
    const scan = JSON.parse(result.stdout) as { server: { name: string }; scan: { status: string }; tools: Array<{ name: string; category: string }> };
    expect(scan.server.name).toBe('mail');
    expect(scan.scan.status).toBe('ok');
    expect(scan.tools.map((t) => [t.name, t.category])).toEqual([['send_email', 'Write']]);
    // With --server, only what concerns that server is said besides the configs read.
    expect(result.stderr).not.toContain('"gh"');
  });

  it('an unknown --server is a usage error that lists the servers found', async () => {
    const result = await mcpRisk(['scan', '--discover', '--server', 'mial', '--project', w.project, '--db', w.db], w.env);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n').at(-1)).toBe(
      'mcp-risk: no server "mial" in the client configs; the servers are: mail, helper@claude-desktop, helper@cursor, notes, gh, docs, files, api',
    );
  });

  it('--name without --server is a usage error: it names one server, and discovery finds many', async () => {
    const result = await mcpRisk(['scan', '--discover', '--name', 'x', '--list', '--project', w.project], w.env);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n').at(-1)).toMatch(/^mcp-risk: --name names one server, .*\(pick the one with --server NAME\)$/);
  });

  it('--discover with a file or a command is a usage error', async () => {
    const result = await mcpRisk(['scan', '--discover', 'tools.json'], w.env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^mcp-risk: --discover finds the servers to scan itself/);
  });
});

describe('scan --discover, every server', () => {
  it('scans each server found once, reports what they do to each other, and writes a policy per server', async () => {
    const w = world();
    w.write(join(w.home, '.config/Claude/claude_desktop_config.json'), { mcpServers: { mail } });
    w.write(join(w.project, '.cursor/mcp.json'), { mcpServers: { mail, helper } });
    const result = await mcpRisk(
      ['scan', '--discover', '--json', '--no-llm', '--project', w.project, '--db', w.db, '--policy', join(w.root, 'policy'), '--policy-format', 'codex'],
      w.env,
    );
    expect(result.code).toBe(0);
    const scans = JSON.parse(result.stdout) as Array<{ server: { name: string }; findings: Array<{ code: string }> }>;
    expect(scans.map((s) => s.server.name)).toEqual(['mail', 'helper']);
    expect(scans.find((s) => s.server.name === 'helper')?.findings.map((f) => f.code)).toContain('poisoning.cross-server');
    expect(result.stderr).toContain(`mcp-risk: wrote policy (codex) to ${join(w.root, 'policy.mail.toml')}`);
    expect(result.stderr).toContain(`mcp-risk: wrote policy (codex) to ${join(w.root, 'policy.helper.toml')}`);
  });

  it('finding no server at all: --list says so (exit 0); a scan is an error (exit 2), since nothing scanned is not "nothing risky"', async () => {
    const w = world();
    const list = await mcpRisk(['scan', '--discover', '--list', '--project', w.project], w.env);
    expect([list.code, list.stdout, list.stderr]).toEqual([0, 'No MCP servers found.\n', '']);
    const scan = await mcpRisk(['scan', '--discover', '--project', w.project, '--db', w.db], w.env);
    expect(scan.code).toBe(2);
    expect(scan.stderr).toMatch(/^mcp-risk: no MCP server found in the client configs \(/);
  });
});
