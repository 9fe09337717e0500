// SARIF 2.1.0 for code scanning: valid against the published schema, one rule per category and finding code,
// levels by risk and severity, locations on the file scanned, fingerprints that hold across runs.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Log, Result } from 'sarif';
import { describe, expect, it } from 'vitest';
import { CATEGORY_ORDER, FINDING_CODES } from '../../src/model/index.js';
import { artifactLocation, NOT_LISTED_RULE } from '../../src/output/index.js';
import { mcpRisk, ROOT } from '../support/cli.js';
import { writePairConfig } from '../support/config-pair.js';
import { errorLines, sarifValidator } from '../support/schemas.js';

const MEMORY = join(ROOT, 'test/fixtures/servers/memory.json');
const testServer = (name: string): string => join(ROOT, 'test/servers', name);

/** Parses a SARIF log and holds it to the SARIF 2.1.0 schema. */
function validSarif(text: string): Log {
  const log = JSON.parse(text) as Log;
  const validate = sarifValidator();
  expect(validate(log), errorLines(validate.errors).join('\n')).toBe(true);
  return log;
}

const results = (log: Log): Result[] => log.runs[0]!.results ?? [];
const qualified = (r: Result): string | undefined => r.locations?.[0]?.logicalLocations?.[0]?.fullyQualifiedName;

describe('mcp-risk --format sarif', () => {
  it('classify: one run, a rule per category and finding code, a result per risky tool on the manifest file', async () => {
    const result = await mcpRisk(['classify', MEMORY, '--format', 'sarif']);
    expect(result.code, result.stderr).toBe(0);
    const log = validSarif(result.stdout);
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const driver = log.runs[0]!.tool.driver;
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(driver).toMatchObject({ name: 'mcp-risk', version, informationUri: expect.stringMatching(/^https:\/\//) as unknown });
    const ids = driver.rules!.map((r) => r.id);
    expect(ids).toEqual(expect.arrayContaining([...CATEGORY_ORDER.map((c) => `category/${c}`), ...Object.keys(FINDING_CODES), NOT_LISTED_RULE]));
    expect(new Set(ids).size).toBe(ids.length);
    const destructive = driver.rules!.find((r) => r.id === 'category/Destructive')!;
    expect(destructive.shortDescription?.text).toMatch(/cannot be undone/);
    expect(destructive.help?.text).toMatch(/delete_entities/);
    expect(driver.rules!.find((r) => r.id === 'poisoning.hidden')!.shortDescription?.text).toBe(FINDING_CODES['poisoning.hidden'].about);

    // memory: three Read tools (no result), three Write (warning), three Destructive (error).
    const tools = results(log).filter((r) => r.ruleId!.startsWith('category/'));
    expect(tools.map((r) => [qualified(r), r.ruleId, r.level])).toEqual([
      ['memory/add_observations', 'category/Write', 'warning'],
      ['memory/create_entities', 'category/Write', 'warning'],
      ['memory/create_relations', 'category/Write', 'warning'],
      ['memory/delete_entities', 'category/Destructive', 'error'],
      ['memory/delete_observations', 'category/Destructive', 'error'],
      ['memory/delete_relations', 'category/Destructive', 'error'],
    ]);
    for (const r of results(log)) {
      expect(driver.rules![r.ruleIndex!]!.id).toBe(r.ruleId);
      expect(r.locations![0]!.physicalLocation!.artifactLocation).toEqual({ uri: relative(process.cwd(), MEMORY), uriBaseId: '%SRCROOT%' });
    }
    const del = tools.find((r) => qualified(r) === 'memory/delete_entities')!;
    expect(del.message.text).toMatch(/^"delete_entities" on server "memory" is Destructive, Critical \d\/5 risk\. /);
    expect(del.partialFingerprints).toEqual({ 'mcpRiskServer/v1': 'memory', 'mcpRiskToolHash/v1': expect.stringMatching(/\S{16,}/) as unknown });
  });

  it('keeps fingerprints across runs until a tool definition changes, and only that tool’s', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-sarif-fp-'));
    const manifest = join(dir, 'notes.json');
    const write = (purgeDescription: string): void =>
      writeFileSync(
        manifest,
        JSON.stringify({
          tools: [
            { name: 'purge_notes', description: purgeDescription, inputSchema: { type: 'object' } },
            { name: 'edit_note', description: 'Edits a note.', inputSchema: { type: 'object' } },
          ],
        }),
      );
    const fingerprints = async (): Promise<Map<string, string>> => {
      const log = validSarif((await mcpRisk(['classify', manifest, '--format', 'sarif'])).stdout);
      return new Map(results(log).map((r) => [`${r.ruleId} ${qualified(r)}`, JSON.stringify(r.partialFingerprints)]));
    };
    write('Deletes all notes.');
    const first = await fingerprints();
    expect(await fingerprints()).toEqual(first);
    write('Deletes all notes permanently.');
    const changed = await fingerprints();
    expect(changed.get('category/Write notes/edit_note')).toBe(first.get('category/Write notes/edit_note'));
    expect(changed.get('category/Destructive notes/purge_notes')).toBeDefined();
    expect(changed.get('category/Destructive notes/purge_notes')).not.toBe(first.get('category/Destructive notes/purge_notes'));
  });

  it('scan: a live poisoned server gives finding results with their code in the fingerprint, logical locations only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-sarif-poison-'));
    const result = await mcpRisk([
      'scan',
      '--db',
      join(dir, 'r.db'),
      '--name',
      'weather',
      '--no-llm',
      '--format',
      'sarif',
      '--',
      process.execPath,
      testServer('poisoned-server.mjs'),
    ]);
    expect(result.code, result.stderr).toBe(0);
    const log = validSarif(result.stdout);
    const poisoning = results(log).filter((r) => r.ruleId!.startsWith('poisoning.'));
    expect(poisoning.map((r) => `${r.ruleId} ${qualified(r)}`)).toEqual(
      expect.arrayContaining([
        'poisoning.concealment weather/get_forecast',
        'poisoning.exfiltration weather/get_forecast',
        'poisoning.instructions weather',
        'poisoning.preference weather',
      ]),
    );
    for (const r of poisoning) {
      // Level from the finding's severity: concealment and exfiltration are errors, a nudge (preference) a warning.
      expect(r.level).toBe(FINDING_CODES[r.ruleId as keyof typeof FINDING_CODES].severity);
      expect(r.locations![0]!.physicalLocation).toBeUndefined();
      expect(r.partialFingerprints!['mcpRiskFinding/v1']).toMatch(new RegExp(`^${r.ruleId!.replace('.', '\\.')}[@:]`));
    }
    const toolLevel = poisoning.find((r) => r.ruleId === 'poisoning.concealment' && qualified(r) === 'weather/get_forecast')!;
    expect(toolLevel.partialFingerprints!['mcpRiskToolHash/v1']).toBeDefined();
    // Two findings of the same tool never share an identity.
    const identities = results(log).map((r) => `${r.ruleId} ${JSON.stringify(r.partialFingerprints)}`);
    expect(new Set(identities).size).toBe(identities.length);
  });

  it('scan: a client config is one run with every server’s results, located on the config file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-sarif-config-'));
    const config = writePairConfig(dir);
    const out = join(dir, 'results.sarif');
    const result = await mcpRisk(['scan', config, '--db', join(dir, 'r.db'), '--no-llm', '--format', 'sarif', '--output', out, '--fail-on', 'High']);
    // The gate is the same whatever the format, and the report is written all the same.
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`mcp-risk: wrote the sarif report to ${out}`);
    const log = validSarif(readFileSync(out, 'utf8'));
    expect(log.runs).toHaveLength(1);
    const names = results(log).map(qualified);
    expect(names).toContain('mail/send_email');
    expect(names).toContain('helper/format_signature');
    expect(results(log).find((r) => r.ruleId === 'poisoning.cross-server')).toMatchObject({ level: 'error' });
    // The config sits outside the current directory: an absolute file URI.
    for (const r of results(log)) expect(r.locations![0]!.physicalLocation!.artifactLocation!.uri).toBe(pathToFileURL(config).href);
  });

  it('scan: a server that could not be scanned is an error result, never a clean run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-sarif-failed-'));
    const result = await mcpRisk(['scan', '--db', join(dir, 'r.db'), '--no-llm', '--format', 'sarif', '--', process.execPath, testServer('exit-at-once.mjs')]);
    expect(result.code).toBe(2);
    const log = validSarif(result.stdout);
    expect(results(log)).toEqual([expect.objectContaining({ ruleId: NOT_LISTED_RULE, level: 'error' })]);
    expect(log.runs[0]!.invocations).toEqual([
      expect.objectContaining({ executionSuccessful: false, toolExecutionNotifications: [expect.objectContaining({ level: 'error' })] }),
    ]);
  });

  it('bounds server text in messages and carries no hidden character raw', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-sarif-hostile-'));
    const manifest = join(dir, 'hostile.json');
    const name = `wipe\u202e_all\u{E0041}\u{E0042}${'x'.repeat(5000)}`;
    writeFileSync(
      manifest,
      JSON.stringify({ tools: [{ name, description: `Deletes everything.\u0085\u200b ${'y'.repeat(50_000)}`, inputSchema: { type: 'object' } }] }),
    );
    const result = await mcpRisk(['classify', manifest, '--format', 'sarif']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).not.toMatch(/[\u0080-\u009f\u200b\u202a-\u202e]|\udb40[\udc00-\udc7f]/);
    const log = validSarif(result.stdout);
    for (const r of results(log)) expect([...(r.message.text ?? '')].length).toBeLessThan(2500);
  });
});

describe('the vendored SARIF 2.1.0 schema', () => {
  it('is the published file, and refuses a log that breaks it', async () => {
    const { createHash } = await import('node:crypto');
    const bytes = readFileSync(join(ROOT, 'test/fixtures/sarif/sarif-2.1.0-rtm.5.json'));
    expect(createHash('sha256').update(bytes).digest('hex')).toBe('2d99159ae54a3eea97f81781cff48780548657c35949f4b7f25e99a2ba4de4f8');
    const log = JSON.parse((await mcpRisk(['classify', MEMORY, '--format', 'sarif'])).stdout) as Log;
    const validate = sarifValidator();
    const broken = (change: (l: Log) => void): boolean => {
      const copy = JSON.parse(JSON.stringify(log)) as Log;
      change(copy);
      return validate(copy);
    };
    expect(broken(() => undefined)).toBe(true);
    expect(broken((l) => (results(l)[0]!.level = 'critical' as Result.level))).toBe(false);
    expect(broken((l) => delete (l.runs[0]!.tool.driver as { name?: string }).name)).toBe(false);
    expect(broken((l) => (results(l)[0]!.message = {} as Result['message']))).toBe(false);
  });
});

describe('artifactLocation', () => {
  it('is relative under the directory, with each segment encoded, and a file URI elsewhere', () => {
    expect(artifactLocation('configs/my mcp.json', '/repo')).toEqual({ uri: 'configs/my%20mcp.json', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('/repo/a/b.json', '/repo')).toEqual({ uri: 'a/b.json', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('../elsewhere/x.json', '/repo/sub')).toEqual({ uri: 'file:///repo/elsewhere/x.json' });
    expect(artifactLocation('/etc/mcp#1.json', '/repo')).toEqual({ uri: 'file:///etc/mcp%231.json' });
  });
});
