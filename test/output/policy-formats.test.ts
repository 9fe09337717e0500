// The four policy formats, each parsed back by a real parser: every category in its place, hostile names inert,
// and all four reading one decision, so they can never disagree about a tool.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import {
  buildStarterPolicy,
  claudeCodePermissions,
  claudeCodeRule,
  codexServerTools,
  interceptPolicy,
  policyDecisions,
  renderPolicyAs,
  starterPolicyFor,
  viewFromSnapshot,
} from '../../src/output/index.js';
import type { PolicyDecisions } from '../../src/output/index.js';
import { decideTools } from '../../src/output/policy/decide.js';
import { snapshot, tool, verdict, finding } from '../store/make.js';
import { mcpRisk } from '../support/cli.js';

/** Quotes, a line break, a closing bracket, a colon and a comment mark, a bidi override, an emoji: all must stay text. */
const HOSTILE = 'list "all"\n]: yes # \u202eevil\u{1F600}';

const ALL = [
  { name: 'read_file', category: 'Read' },
  { name: 'write_file', category: 'Write' },
  { name: 'run_command', category: 'Execute' },
  { name: 'delete_repo', category: 'Destructive' },
  { name: 'send_payment', category: 'Financial' },
  { name: 'mystery', category: 'Unknown' },
  { name: HOSTILE, category: 'Read' },
  { name: 'yes', category: 'Read' },
  { name: 'null', category: 'Write' },
  { name: '__proto__', category: 'Read' },
] as const;

const decisions: PolicyDecisions = { server: 'files', tools: decideTools([...ALL]) };

interface InterceptFile {
  version: string;
  default: string;
  hide: string[];
  tools: Record<string, { rules: Array<Record<string, string>> }>;
}

describe('intercept (YAML)', () => {
  const text = renderPolicyAs('intercept', decisions);
  const parsed = parseYaml(text, { uniqueKeys: true }) as InterceptFile;

  it('parses back to the object it was made from, with a string version and default deny', () => {
    expect(parsed).toEqual(JSON.parse(JSON.stringify(interceptPolicy(decisions))));
    expect(parsed.version).toBe('1');
    expect(parsed.default).toBe('deny');
    expect(text).toMatch(/^version: "1"\ndefault: deny\n/);
  });

  it('allows Read with no rules, limits Write to 30 and Execute to 10 a minute, denies Financial until approved', () => {
    expect(parsed.tools['read_file']).toEqual({ rules: [] });
    expect(parsed.tools['write_file']!.rules).toEqual([{ name: 'rate limit', rate_limit: '30/minute', on_deny: 'Limited to 30 calls a minute.' }]);
    expect(parsed.tools['run_command']!.rules).toEqual([{ name: 'rate limit', rate_limit: '10/minute', on_deny: 'Limited to 10 calls a minute.' }]);
    expect(parsed.tools['send_payment']!.rules).toEqual([{ name: 'human approval', action: 'deny', on_deny: 'Requires human approval.' }]);
    for (const rules of Object.values(parsed.tools)) for (const rule of rules.rules) expect(rule.name).not.toBe('');
  });

  it('hides Destructive tools and leaves Unknown ones out, so the default deny applies', () => {
    expect(parsed.hide).toEqual(['delete_repo']);
    expect(parsed.tools).not.toHaveProperty('delete_repo');
    expect(parsed.tools).not.toHaveProperty('mystery');
    expect(parsed.hide).not.toContain('mystery');
  });

  it('keeps hostile names as the exact strings, `yes` and `null` as strings, and no hidden character raw', () => {
    expect(parsed.tools[HOSTILE]).toEqual({ rules: [] });
    expect(parsed.tools['yes']).toEqual({ rules: [] });
    expect(parsed.tools['null']!.rules[0]!.rate_limit).toBe('30/minute');
    expect(Object.getOwnPropertyNames(parsed.tools)).toContain('__proto__');
    expect(Object.keys(parsed)).toEqual(['version', 'default', 'hide', 'tools']);
    expect(text).not.toContain('\u202e');
    expect(text).toContain('\\u202e');
    expect(text).toContain('"null":');
  });
});

describe('claude-code (settings.json permissions)', () => {
  const parsed = JSON.parse(renderPolicyAs('claude-code', decisions)) as { permissions: Record<'allow' | 'ask' | 'deny', string[]> };
  const rule = (toolName: string): string => `mcp__files__${toolName}`;

  it('allows Read, asks for Write and Execute, denies Destructive, Financial and Unknown', () => {
    expect(Object.keys(parsed)).toEqual(['permissions']);
    expect(parsed.permissions.allow).toEqual(expect.arrayContaining([rule('read_file'), rule('yes'), rule('__proto__')]));
    expect(parsed.permissions.ask).toEqual([rule('null'), rule('run_command'), rule('write_file')]);
    expect(parsed.permissions.deny).toEqual([rule('delete_repo'), rule('mystery'), rule('send_payment')]);
  });

  it('normalises names as Claude Code does: every UTF-16 unit outside [A-Za-z0-9_-] becomes _', () => {
    const hostile = rule('list__all_____yes____evil__');
    expect(claudeCodeRule('files', HOSTILE)).toBe(hostile);
    expect(parsed.permissions.allow).toContain(hostile);
    expect(claudeCodeRule('@scope/server.x', 'get-item_2')).toBe('mcp___scope_server_x__get-item_2');
    for (const list of Object.values(parsed.permissions)) for (const r of list) expect(r).toMatch(/^mcp__[A-Za-z0-9_-]+__[A-Za-z0-9_-]+$/);
  });

  it('puts two names that normalise to one rule in the stricter list only', () => {
    const clash = claudeCodePermissions({
      server: 's',
      tools: decideTools([
        { name: 'a.b', category: 'Read' },
        { name: 'a_b', category: 'Destructive' },
      ]),
    });
    expect(clash.permissions).toEqual({ allow: [], ask: [], deny: ['mcp__s__a_b'] });
  });
});

describe('codex (config.toml)', () => {
  const text = renderPolicyAs('codex', decisions);
  const parsed = parseToml(text) as { mcp_servers: Record<string, { enabled_tools: string[]; disabled_tools: string[] }> };

  it('enables Read, Write and Execute; disables Destructive, Financial and Unknown, by name', () => {
    expect(Object.keys(parsed.mcp_servers)).toEqual(['files']);
    const files = parsed.mcp_servers['files']!;
    expect(files.enabled_tools.sort()).toEqual([HOSTILE, '__proto__', 'null', 'read_file', 'run_command', 'write_file', 'yes'].sort());
    expect(files.disabled_tools).toEqual(['delete_repo', 'mystery', 'send_payment']);
    expect(text).toContain('[mcp_servers.files]\n');
    expect(text).not.toContain('\u202e');
  });

  it('quotes a server name that is not a bare key, and it parses back exactly', () => {
    const name = 'my "server"]\n[x] \u202e\u{1F600}';
    const hostile = parseToml(renderPolicyAs('codex', { server: name, tools: decideTools([{ name: 'a', category: 'Read' }]) })) as typeof parsed;
    expect(Object.keys(hostile.mcp_servers)).toEqual([name]);
    expect(hostile.mcp_servers[name]).toEqual({ enabled_tools: ['a'], disabled_tools: [] });
    expect(Object.keys(hostile)).toEqual(['mcp_servers']);
  });

  it('writes an empty allow list rather than none, so a server with nothing allowed enables nothing', () => {
    const none = codexServerTools({ server: 's', tools: decideTools([{ name: 'drop', category: 'Destructive' }]) });
    expect(none).toEqual({ enabled_tools: [], disabled_tools: ['drop'] });
    expect(parseToml(renderPolicyAs('codex', { server: 's', tools: [] }))).toEqual({ mcp_servers: { s: { enabled_tools: [], disabled_tools: [] } } });
  });
});

describe('policylayer (policy.json) keeps its output', () => {
  it('is the plain pretty JSON it always was, and the same policy as buildStarterPolicy', () => {
    const tame = ALL.filter((t) => t.name !== HOSTILE);
    const text = renderPolicyAs('policylayer', { server: 'files', tools: decideTools([...tame]) });
    expect(text).toBe(`${JSON.stringify(buildStarterPolicy([...tame]), null, 2)}\n`);
  });

  it('escapes hidden characters, which parse back to the same name', () => {
    const text = renderPolicyAs('policylayer', decisions);
    expect(text).not.toContain('\u202e');
    const parsed = JSON.parse(text) as { hide: string[]; tools: Record<string, unknown> };
    expect(parsed.hide).toEqual(['delete_repo']);
    expect(parsed.tools[HOSTILE]).toEqual({});
  });
});

describe('one decision, four formats', () => {
  // A real scan's view: a poisoned Read tool, an LLM-only Read verdict and a plain one.
  const plain = tool('list_items', 'List the items.');
  const poisoned = tool('get_notes', 'Get the notes.');
  const llmOnly = tool('frob', '');
  const view = viewFromSnapshot(snapshot('notes', [plain, poisoned, llmOnly]), [
    verdict(plain, 'Read', 'Low'),
    verdict(poisoned, 'Read', 'Low', { findings: [finding('poisoning.concealment', { severity: 'error', tool: 'get_notes' })] }),
    verdict(llmOnly, 'Read', 'Low', { method: 'llm' }),
  ]);
  const d = policyDecisions(view);

  it('hides a poisoned tool and leaves an LLM-only verdict out, in every format', () => {
    expect(d.server).toBe('notes');
    expect(d.tools.map((t) => [t.name, t.action.kind])).toEqual([
      ['frob', 'unlisted'],
      ['get_notes', 'hide'],
      ['list_items', 'allow'],
    ]);
    expect(starterPolicyFor(view)).toMatchObject({ hide: ['get_notes'], tools: { list_items: {} } });
    expect(interceptPolicy(d)).toMatchObject({ hide: ['get_notes'], tools: { list_items: { rules: [] } } });
    expect(claudeCodePermissions(d).permissions).toEqual({ allow: ['mcp__notes__list_items'], ask: [], deny: ['mcp__notes__frob', 'mcp__notes__get_notes'] });
    expect(codexServerTools(d)).toEqual({ enabled_tools: ['list_items'], disabled_tools: ['frob', 'get_notes'] });
  });

  it('lets through exactly the same tools in every format', () => {
    const allowed = {
      policylayer: Object.keys(starterPolicyFor(view).tools ?? {}).filter((n) => !('deny_if' in (starterPolicyFor(view).tools ?? {})[n]!)),
      intercept: Object.entries(interceptPolicy(d).tools)
        .filter(([, t]) => !t.rules.some((r) => r.action === 'deny'))
        .map(([n]) => n),
      claudeCode: [...claudeCodePermissions(d).permissions.allow, ...claudeCodePermissions(d).permissions.ask].map((r) => r.replace('mcp__notes__', '')),
      codex: codexServerTools(d).enabled_tools,
    };
    expect(new Set(Object.values(allowed).map((names) => JSON.stringify([...names].sort())))).toEqual(new Set([JSON.stringify(['list_items'])]));
  });
});

describe('the command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-policy-formats-'));
  const db = join(dir, 'r.db');
  const manifest = join(dir, 'demo.json');
  const define = (name: string, description: string) => ({ name, description, inputSchema: { type: 'object' } });
  writeFileSync(
    manifest,
    JSON.stringify({
      tools: [
        define('read_file', 'Read a file and return its contents.'),
        define('delete_file', 'Permanently delete a file.'),
        define('write_file', 'Write content to a file.'),
      ],
    }),
  );

  it('scan --policy FILE --policy-format writes that format and says so on stderr', async () => {
    const out = join(dir, 'intercept.yaml');
    const result = await mcpRisk(['scan', manifest, '--db', db, '--no-llm', '--policy', out, '--policy-format', 'intercept']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(`mcp-risk: wrote policy (intercept) to ${out}\n`);
    expect(parseYaml(readFileSync(out, 'utf8'))).toMatchObject({ default: 'deny', hide: ['delete_file'], tools: { read_file: { rules: [] } } });
  });

  it('policy SERVER --format prints each format, and --out writes it', async () => {
    const claude = await mcpRisk(['policy', 'demo', '--db', db, '--format', 'claude-code']);
    expect([claude.code, claude.stderr]).toEqual([0, '']);
    expect(JSON.parse(claude.stdout)).toEqual({
      permissions: { allow: ['mcp__demo__read_file'], ask: ['mcp__demo__write_file'], deny: ['mcp__demo__delete_file'] },
    });
    const out = join(dir, 'codex.toml');
    const codex = await mcpRisk(['policy', 'demo', '--db', db, '--format', 'codex', '--out', out]);
    expect([codex.code, codex.stdout, codex.stderr]).toEqual([0, '', `mcp-risk: wrote policy (codex) to ${out}\n`]);
    expect(parseToml(readFileSync(out, 'utf8'))).toEqual({
      mcp_servers: { demo: { enabled_tools: ['read_file', 'write_file'], disabled_tools: ['delete_file'] } },
    });
    const plain = await mcpRisk(['policy', 'demo', '--db', db]);
    expect(JSON.parse(plain.stdout)).toMatchObject({ version: '1', hide: ['delete_file'] });
  });

  it('an unknown format, or --policy-format without --policy, is a one-line usage error (exit 2)', async () => {
    for (const args of [
      ['policy', 'demo', '--db', db, '--format', 'nginx'],
      ['scan', manifest, '--db', db, '--no-llm', '--policy-format', 'codex'],
    ]) {
      const result = await mcpRisk(args);
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/^mcp-risk: .*(nginx|--policy-format)/);
    }
  });
});
