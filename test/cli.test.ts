// End to end through the command line: run() in process (four tests start the real program), a real SQLite
// file, real servers from node_modules.
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { UNSANDBOXED_NOTE } from '../src/cli/sandbox-flags.js';
import { sandboxAvailable } from '../src/ingest/containment.js';
import { cliArgs, hermeticEnv, mcpRisk, mcpRiskProcess } from './support/cli.js';
import type { CliResult as Result } from './support/cli.js';
import { markVerdictsStale } from './support/stale-verdicts.js';
import { storedDefinition } from './support/stored.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const everything = join(root, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
const memory = join(root, 'node_modules/@modelcontextprotocol/server-memory/dist/index.js');
const testServer = (name: string): string => join(root, 'test/servers', name);
const policySchema = JSON.parse(readFileSync(join(root, 'test/output/policy.schema.json'), 'utf8')) as object;

function countRows(db: string, table: string): number {
  const handle = new Database(db, { readonly: true });
  try {
    return (handle.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
  } finally {
    handle.close();
  }
}

/** The environment test/servers/env-reporter.mjs saw, read back whole from the stored tool definition
 *  (stdout carries only bounded excerpts of server text, so a long PATH would push variables out of it). */
function reportedEnv(db: string): Record<string, string> {
  const definition = storedDefinition(db, 'env');
  if (definition === undefined) throw new Error('env-reporter left no stored tool');
  return JSON.parse(definition.description ?? '') as Record<string, string>;
}

/** One clear line, no stack trace. */
function expectOneLineError(result: Result): void {
  expect(result.code).toBe(2);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^mcp-risk: /);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe('mcp-risk scan over stdio', () => {
  let dir: string;
  let db: string;
  let first: Result;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mcp-risk-cli-'));
    db = join(dir, 'results.db');
    first = await mcpRisk(['scan', '--db', db, '--json', '--no-llm', '--policy', join(dir, 'policy.json'), '--', process.execPath, everything, 'stdio'], {
      OPENAI_API_KEY: 'sk-should-never-leak',
    });
  });

  it('scans server-everything, stores it, prints the documented JSON shape', () => {
    expect(first.stderr).toBe(`mcp-risk: wrote policy (policylayer) to ${join(dir, 'policy.json')}\n`);
    expect(first.code).toBe(0);
    const json = JSON.parse(first.stdout) as { schema: string; server: { name: string }; scan: { status: string }; tools: Array<Record<string, unknown>> };
    expect(json.schema).toBe('mcp-risk/scan@1');
    expect(json.scan.status).toBe('ok');
    expect(json.tools.length).toBeGreaterThanOrEqual(10);
    for (const tool of json.tools) {
      for (const key of ['name', 'category', 'risk', 'capabilities', 'signals', 'evidence', 'rationale', 'confidence']) expect(tool).toHaveProperty(key);
    }
    expect(countRows(db, 'scans')).toBe(1);
    expect(countRows(db, 'tool_versions')).toBe(json.tools.length);
  });

  it('writes a starter policy that validates against the schema', () => {
    const policy = JSON.parse(readFileSync(join(dir, 'policy.json'), 'utf8')) as { default: string; tools: Record<string, unknown> };
    const validate = new Ajv({ strict: false }).compile(policySchema);
    expect(validate(policy), JSON.stringify(validate.errors)).toBe(true);
    expect(policy.default).toBe('deny');
    expect(policy.tools['echo']).toEqual({});
  });

  it('shows the stored server, one tool, and writes the policy from the database', async () => {
    const json = JSON.parse(first.stdout) as { server: { name: string } };
    const name = json.server.name;
    const list = await mcpRisk(['show', '--db', db]);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(name);
    const server = await mcpRisk(['show', name, '--db', db]);
    expect(server.code).toBe(0);
    expect(server.stdout).toContain('get-env');
    const tool = await mcpRisk(['show', `${name}/get-env`, '--db', db, '--json']);
    expect(tool.code).toBe(0);
    expect(JSON.parse(tool.stdout)).toMatchObject({ name: 'get-env' });
    const out = join(dir, 'from-db.json');
    const policy = await mcpRisk(['policy', name, '--db', db, '--out', out]);
    expect(policy.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(join(dir, 'policy.json'), 'utf8'));
    const missing = await mcpRisk(['show', 'no-such-server', '--db', db]);
    expectOneLineError(missing);
  });

  it('exits 1 with --fail-on when a tool reaches the level, 0 when none does', async () => {
    const failing = await mcpRisk(['scan', '--db', db, '--fail-on', 'critical', '--', process.execPath, memory]);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain('delete_entities');
    const fixture = join(dir, 'reads.json');
    writeFileSync(fixture, JSON.stringify({ tools: [{ name: 'list_files', description: 'List the files in a folder.', inputSchema: { type: 'object' } }] }));
    const passing = await mcpRisk(['classify', fixture, '--fail-on', 'High']);
    expect(passing.code).toBe(0);
  });

  it('exits 1 with --fail-on-score when a tool scores N or more, 0 when none does, and refuses a score outside 1..5', async () => {
    const fixture = join(dir, 'scored.json');
    // Read Low (score 1) with a description; Read with an empty one is still Low, but scores 2 (undocumented).
    const tools = [
      { name: 'list_files', description: 'List the files in a folder.', inputSchema: { type: 'object' } },
      { name: 'get_user', description: '', inputSchema: { type: 'object' } },
    ];
    writeFileSync(fixture, JSON.stringify({ tools }));
    expect((await mcpRisk(['classify', fixture, '--fail-on', 'Medium'])).code).toBe(0);
    expect((await mcpRisk(['classify', fixture, '--fail-on-score', '3'])).code).toBe(0);
    expect((await mcpRisk(['classify', fixture, '--fail-on-score', '2'])).code).toBe(1);
    const json = JSON.parse((await mcpRisk(['classify', fixture, '--json'])).stdout) as { tools: Array<{ name: string; risk: string; score: number }> };
    expect(json.tools.map((t) => [t.name, t.risk, t.score])).toEqual([
      ['get_user', 'Low', 2],
      ['list_files', 'Low', 1],
    ]);
    expectOneLineError(await mcpRisk(['classify', fixture, '--fail-on-score', '6']));
  });

  it('never hands our environment to the server it scans', async () => {
    // A real process, so the key is in the environment the program itself inherited.
    // --no-llm: the key is in our environment, but this test is about the server; test/llm covers the endpoint.
    const result = await mcpRiskProcess(
      ['scan', '--db', db, '--json', '--no-llm', '--env', 'GIVEN=yes', '--', process.execPath, testServer('env-reporter.mjs')],
      {
        OPENAI_API_KEY: 'sk-should-never-leak',
      },
    );
    expect(result.code).toBe(0);
    const env = reportedEnv(db);
    expect(env.GIVEN).toBe('yes');
    expect(env.OPENAI_API_KEY).toBeUndefined();
    expect(JSON.stringify(env)).not.toContain('sk-should-never-leak');
    expect(result.stdout).not.toContain('sk-should-never-leak');
  });

  it('hands everything after -- to the server, never reading it as our options', async () => {
    const result = await mcpRisk([
      'scan',
      '--db',
      db,
      '--json',
      '--no-llm',
      '--',
      process.execPath,
      testServer('env-reporter.mjs'),
      '--fail-on',
      'nonsense',
      '--version',
      '--help',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as { scan: { status: string } }).scan.status).toBe('ok');
  });

  it('scans every server of an MCP client config, one policy per server', async () => {
    const config = join(dir, 'claude_desktop_config.json');
    writeFileSync(
      config,
      JSON.stringify({
        mcpServers: {
          memory: { command: process.execPath, args: [memory] },
          reporter: { command: process.execPath, args: [testServer('env-reporter.mjs')], env: { FROM_CONFIG: 'yes' } },
        },
      }),
    );
    const result = await mcpRisk(['scan', config, '--db', db, '--json', '--policy', join(dir, 'config-policy.json')]);
    expect(result.code).toBe(0);
    const scans = JSON.parse(result.stdout) as Array<{ server: { name: string }; scan: { status: string }; tools: Array<{ name: string; title?: string }> }>;
    expect(scans.map((s) => s.server.name).sort()).toEqual(['memory', 'reporter']);
    expect(scans.every((s) => s.scan.status === 'ok')).toBe(true);
    expect(reportedEnv(db).FROM_CONFIG).toBe('yes');
    expect(JSON.parse(readFileSync(join(dir, 'config-policy.memory.json'), 'utf8'))).toMatchObject({ hide: expect.arrayContaining(['delete_entities']) });
    expect(existsSync(join(dir, 'config-policy.reporter.json'))).toBe(true);
  });

  it('keeps earlier results when a later server fails: one line, exit 2', async () => {
    const before = countRows(db, 'tool_versions');
    const exits = await mcpRisk(['scan', '--db', db, '--', process.execPath, testServer('exit-at-once.mjs')]);
    expectOneLineError(exits);
    expect(exits.stderr).toMatch(/failed/);
    const hangs = await mcpRisk(['scan', '--db', db, '--connect-timeout', '1000', '--', process.execPath, testServer('hang.mjs')]);
    expectOneLineError(hangs);
    expect(hangs.stderr).toMatch(/timeout/);
    const garbage = await mcpRisk(['scan', '--db', db, '--connect-timeout', '1000', '--', process.execPath, testServer('garbage.mjs')]);
    expectOneLineError(garbage);
    expect(countRows(db, 'tool_versions')).toBe(before);
    const show = await mcpRisk(['show', '--db', db]);
    expect(show.code).toBe(0);
  });
});

describe('mcp-risk scan runs the per-server pipeline refresh runs', () => {
  it('records drift when a manifest tool that summarised notes now deletes them, under the name of the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-scan-drift-'));
    const db = join(dir, 'r.db');
    const manifest = join(dir, 'notes.json');
    const tools = (description: string) =>
      JSON.stringify({ serverInfo: { name: 'mcp-server' }, tools: [{ name: 'tidy_notes', description, inputSchema: { type: 'object' } }] });
    writeFileSync(manifest, tools('Summarises the notes of a project.'));
    expect((await mcpRisk(['scan', manifest, '--db', db, '--no-llm'])).code).toBe(0);
    writeFileSync(manifest, tools('Permanently deletes the notes of a project.'));
    const second = await mcpRisk(['scan', manifest, '--db', db, '--no-llm', '--json']);
    expect(second.code).toBe(0);
    const json = JSON.parse(second.stdout) as { server: { name: string; serverInfo: { name: string } }; findings: Array<{ code: string; tool?: string }> };
    expect(json.server.name).toBe('notes'); // what was scanned, not the generic serverInfo name
    expect(json.server.serverInfo.name).toBe('mcp-server');
    expect(json.findings).toContainEqual(expect.objectContaining({ code: 'history.drift', tool: 'tidy_notes' }));
  });
});

describe('mcp-risk reclassify', () => {
  it('gives stored definitions verdicts from the current rule set, offline, and says what it did', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-reclassify-cli-'));
    const db = join(dir, 'r.db');
    const manifest = join(dir, 'notes.json');
    writeFileSync(
      manifest,
      JSON.stringify({ tools: [{ name: 'purge_notes', description: 'Permanently deletes every note.', inputSchema: { type: 'object' } }] }),
    );
    expect((await mcpRisk(['scan', manifest, '--db', db, '--no-llm'])).code).toBe(0);
    expect((await mcpRisk(['reclassify', '--db', db, '--no-llm'])).stdout).toContain('0 of 1 servers re-classified');
    // As if an older rule set had made the stored verdict.
    markVerdictsStale(db);
    const stale = JSON.parse((await mcpRisk(['show', 'notes/purge_notes', '--db', db, '--json'])).stdout) as { category: string };
    expect(stale.category).toBe('Read');
    const again = await mcpRisk(['reclassify', 'notes', '--db', db, '--no-llm']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('notes: 1 tools re-classified');
    const fresh = JSON.parse((await mcpRisk(['show', 'notes/purge_notes', '--db', db, '--json'])).stdout) as { category: string; risk: string };
    expect(fresh).toMatchObject({ category: 'Destructive', risk: 'Critical' });
    expect((await mcpRisk(['reclassify', 'no-such-server', '--db', db])).code).toBe(2);
  });
});

describe('mcp-risk classify and bad input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-input-'));

  it('classifies a captured manifest offline with every documented field', async () => {
    const result = await mcpRisk(['classify', join(root, 'test/fixtures/servers/memory.json'), '--json']);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as { tools: Array<{ name: string; category: string; risk: string }> };
    const deleteEntities = json.tools.find((t) => t.name === 'delete_entities');
    expect(deleteEntities).toMatchObject({ category: 'Destructive', risk: 'Critical' });
    expect(json.tools.find((t) => t.name === 'read_graph')).toMatchObject({ category: 'Read' });
  });

  it.each([
    ['a missing file', ['classify', join(dir, 'nope.json')]],
    ['invalid JSON', ['classify', 'INVALID']],
    ['a file that is not a tool list', ['classify', 'NOT_TOOLS']],
    ['an unknown command', ['frobnicate']],
    ['a bad --fail-on level', ['classify', join(root, 'test/fixtures/servers/memory.json'), '--fail-on', 'severe']],
    ['scan without a server', ['scan']],
    ['a malformed --env', ['scan', '--env', 'NOEQUALS', '--', 'true']],
  ])('%s: one line, exit 2', async (_what, args) => {
    writeFileSync(join(dir, 'invalid.json'), '{"tools": [');
    writeFileSync(join(dir, 'not-tools.json'), '{"hello": "world"}');
    const resolved = args.map((a) => (a === 'INVALID' ? join(dir, 'invalid.json') : a === 'NOT_TOOLS' ? join(dir, 'not-tools.json') : a));
    const result = await mcpRisk(resolved);
    expectOneLineError(result);
  });

  it('does not create a database when reading from a path that does not exist', async () => {
    const db = join(dir, 'absent.db');
    const result = await mcpRisk(['show', '--db', db]);
    expectOneLineError(result);
    expect(existsSync(db)).toBe(false);
  });

  it('prints help listing every command and the exit codes', async () => {
    const result = await mcpRisk(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Exit codes:/);
    for (const command of ['scan', 'classify', 'show', 'policy', 'refresh', 'diff', 'import', 'merge'])
      expect(result.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    expect(result.stderr).toBe('');
    expect((await mcpRisk(['help'])).stdout).toBe(result.stdout);
  });

  it('without a command prints the help and exits 2', async () => {
    const result = await mcpRisk([]);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/^Usage: mcp-risk <command>/);
  });

  it.each([
    [
      'scan',
      [
        '--connect-timeout <ms>',
        '--policy-format <format>',
        '--env <KEY=VALUE>',
        '--fail-on <level>',
        '--llm-base-url <url>',
        '--install-timeout <ms>',
        '--db <path>',
      ],
    ],
    ['classify', ['--json', '--fail-on <level>']],
    ['show', ['--json', '--db <path>']],
    ['policy', ['--out <file>', '--format <format>', '--db <path>']],
    ['refresh', ['--concurrency <n>', '--shard <I/N>', '--no-progress', '--llm-model <name>', '--allow-scripts']],
    ['diff', ['--from <id>', '--to <id>', '--json']],
    ['import', ['--out <file>', '--selectors <name|file>', '--max-pages <n>']],
    ['merge', ['--json']],
  ])("%s --help prints that command's options and exits 0", async (command, options) => {
    const result = await mcpRisk([command, '--help']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Usage: mcp-risk ${command} `));
    for (const option of options) expect(result.stdout).toContain(option);
    expect(result.stdout).toMatch(/Exit codes:/);
    expect(result.stdout).not.toMatch(/node:util|ERR_PARSE_ARGS/);
    expect((await mcpRisk(['help', command])).stdout).toBe(result.stdout);
  });

  it('prints the version with -V, --version and -v', async () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['-V', '--version', '-v']) expect(await mcpRisk([flag])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it.each([
    ['an unknown command', ['scna'], /^mcp-risk: unknown command 'scna' \(did you mean scan\?\)$/],
    ['an unknown option', ['classify', 'x.json', '--jsno'], /^mcp-risk: unknown option '--jsno' \(did you mean --json\?\)$/],
    ['a missing argument', ['classify'], /^mcp-risk: missing required argument 'file' \(run mcp-risk classify --help\)$/],
    ['a bad number', ['refresh', 'c.yaml', '--concurrency', 'two'], /^mcp-risk: --concurrency takes a whole number of at least 1, got 'two'$/],
    ['a bad scan id', ['diff', 'notes', '--from', '1.5'], /^mcp-risk: --from takes a scan id/],
    [
      'a number in another notation',
      ['scan', '--connect-timeout', '1e3', '--', 'true'],
      /^mcp-risk: --connect-timeout takes a positive number of milliseconds, got '1e3'$/,
    ],
    ['a missing option value', ['classify', 'x.json', '--fail-on'], /^mcp-risk: option '--fail-on <level>' argument missing/],
    ['--llm with --no-llm', ['scan', '--llm', '--no-llm', '--', 'true'], /^mcp-risk: --llm and --no-llm contradict each other$/],
  ])('%s is one line, exit 2, and says what to do', async (_what, args, line) => {
    const result = await mcpRisk(args);
    expectOneLineError(result);
    expect(result.stderr.trim()).toMatch(line);
    expect(result.stdout).toBe('');
  });

  it('the program itself exits with the code run() returns', async () => {
    const failing = await mcpRiskProcess(['classify', join(root, 'test/fixtures/servers/memory.json'), '--fail-on', 'critical']);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain('delete_entities');
  });

  it('finishes quietly, with its own exit code, when the reader of its output has gone (| head)', async () => {
    const child = spawn(process.execPath, cliArgs(['classify', join(root, 'test/fixtures/servers/memory.json'), '--json', '--fail-on', 'critical']), {
      cwd: root,
      env: hermeticEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Closed before the program has written anything: every write to stdout meets EPIPE.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|internal error|\n\s+at /);
    expect(stderr).toMatch(/--fail-on Critical tripped by/);
    expect(code).toBe(1);
  });

  it.runIf(existsSync('/dev/full'))('says in one line, exit 2, when its output cannot be written (a full disk)', async () => {
    const full = openSync('/dev/full', 'w');
    const child = spawn(process.execPath, cliArgs(['classify', join(root, 'test/fixtures/servers/memory.json'), '--json']), {
      cwd: root,
      env: hermeticEnv(),
      stdio: ['ignore', full, 'pipe'],
    });
    closeSync(full);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('mcp-risk: cannot write to stdout: ENOSPC: no space left on device, write\n');
    expect(code).toBe(2);
  });
});

describe('mcp-risk scan npm:<package>', () => {
  it('scans a package from the cache at its exact version, and records that version as the source', async () => {
    const { installDirFor, markInstalled } = await import('../src/packages/cache.js');
    const { mkdirSync, symlinkSync } = await import('node:fs');
    const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-cli-npm-'));
    const cacheDir = join(dir, 'cache');
    const name = '@modelcontextprotocol/server-memory';
    const version = (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    const installDir = installDirFor(cacheDir, name, version);
    mkdirSync(installDir, { recursive: true });
    symlinkSync(join(root, 'node_modules'), join(installDir, 'node_modules'), 'dir');
    markInstalled(installDir, name, version);
    // An exact version already in the cache needs no registry: this runs offline.
    const result = await mcpRisk(['scan', `npm:${name}@${version}`, '--db', join(dir, 'r.db'), '--json'], { MCP_RISK_CACHE: cacheDir });
    // Nothing but, where bubblewrap cannot run (CI installs it), the note that the package runs unsandboxed.
    expect(result.stderr).toBe(sandboxAvailable() ? '' : UNSANDBOXED_NOTE);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as { server: { name: string; source: { kind: string; target: string } }; tools: Array<{ name: string }> };
    expect(json.server.source).toEqual({ kind: 'npm', target: `npm:${name}@${version}` });
    expect(json.server.name).toBe(name);
    expect(json.tools.map((t) => t.name)).toContain('delete_entities');
  });

  it('a malformed package spec is one line, exit 2', async () => {
    expectOneLineError(await mcpRisk(['scan', 'npm:', '--db', join(mkdtempSync(join(tmpdir(), 'mcp-risk-cli-npm-')), 'r.db')]));
    expectOneLineError(await mcpRisk(['scan', 'npm:file:../evil', '--db', join(mkdtempSync(join(tmpdir(), 'mcp-risk-cli-npm-')), 'r.db')]));
  });
});

describe('--json carries no hidden character raw', () => {
  it('escapes Unicode tags, bidi overrides and C1 controls from server text, and the value parses back whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-hidden-json-'));
    const description = `Reads a file.\u{E0049}\u{E0047}\u{E004E}\u{E004F}\u{E0052}\u{E0045} \u202Eevil\u202C \u0085 \u200B`;
    const manifest = join(dir, 'hidden.json');
    writeFileSync(manifest, JSON.stringify({ tools: [{ name: 'read_file', description, inputSchema: { type: 'object' } }] }));
    const result = await mcpRisk(['classify', manifest, '--json']);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(/[\u0080-\u009f\u200b\u202a-\u202e]|\udb40[\udc00-\udc7f]/);
    const json = JSON.parse(result.stdout) as { tools: Array<{ name: string; title?: string }> };
    expect(json.tools[0]!.name).toBe('read_file');
  });
});
