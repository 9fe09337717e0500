// The starter policy: valid against the policy.json schema, and every category in its exact place.
import { readFileSync } from 'node:fs';
import * as AjvModule from 'ajv';
import { describe, expect, it } from 'vitest';
import { buildStarterPolicy, renderPolicy, starterPolicyFor, viewFromSnapshot } from '../../src/output/index.js';
import { classifyTool } from '../../src/classify/index.js';
import { snapshot, tool, verdict } from '../store/make.js';

// ajv is CommonJS; the named `Ajv` export avoids its default-export double wrapping under NodeNext.
const Ajv = AjvModule.Ajv;
const schema = JSON.parse(readFileSync(new URL('./policy.schema.json', import.meta.url), 'utf8')) as object;
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

const ALL = [
  { name: 'send_payment', category: 'Financial' },
  { name: 'read_file', category: 'Read' },
  { name: 'delete_repo', category: 'Destructive' },
  { name: 'write_file', category: 'Write' },
  { name: 'run_command', category: 'Execute' },
  { name: 'mystery', category: 'Unknown' },
  { name: 'drop_table', category: 'Destructive' },
  { name: 'list_dir', category: 'Read' },
] as const;

describe('buildStarterPolicy', () => {
  const policy = buildStarterPolicy([...ALL]);

  it('is valid against the policy.json schema', () => {
    const ok = validate(policy);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('denies by default and hides Destructive tools, sorted', () => {
    expect(policy.version).toBe('1');
    expect(policy.default).toBe('deny');
    expect(policy.hide).toEqual(['delete_repo', 'drop_table']);
    expect(policy.tools?.delete_repo).toBeUndefined();
  });

  it('allows Read with {}, limits Write to 30 and Execute to 10 a minute, and holds Financial for a human', () => {
    expect(policy.tools?.read_file).toEqual({});
    expect(policy.tools?.write_file).toEqual({ limits: [{ counter: 'write_file_rate', window: 'minute', max: 30, scope: 'grant' }] });
    expect(policy.tools?.run_command).toEqual({ limits: [{ counter: 'run_command_rate', window: 'minute', max: 10, scope: 'grant' }] });
    expect(policy.tools?.send_payment).toEqual({ deny_if: [{ conditions: [], on_deny: 'Requires human approval.' }] });
  });

  it('leaves Unknown tools out, so default deny blocks them', () => {
    expect(policy.tools).not.toHaveProperty('mystery');
    expect(policy.hide).not.toContain('mystery');
  });

  it('has a stable key order: tools sorted by name, top-level keys fixed', () => {
    expect(Object.keys(policy)).toEqual(['version', 'default', 'hide', 'tools']);
    expect(Object.keys(policy.tools ?? {})).toEqual(['list_dir', 'read_file', 'run_command', 'send_payment', 'write_file']);
    expect(renderPolicy(buildStarterPolicy([...ALL].reverse()))).toBe(renderPolicy(policy));
  });

  it('renders pretty JSON with a trailing newline', () => {
    const text = renderPolicy(policy);
    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text)).toEqual(policy);
    expect(text).toContain('\n  "default": "deny",\n');
  });

  it('keeps the stricter category when a name repeats', () => {
    const p = buildStarterPolicy([
      { name: 'x', category: 'Read' },
      { name: 'x', category: 'Unknown' },
      { name: 'y', category: 'Write' },
      { name: 'y', category: 'Destructive' },
    ]);
    expect(p.tools).toEqual({});
    expect(p.hide).toEqual(['y']);
    expect(validate(p)).toBe(true);
  });

  it('is valid and empty-but-present for no tools', () => {
    const p = buildStarterPolicy([]);
    expect(p).toEqual({ version: '1', default: 'deny', hide: [], tools: {} });
    expect(validate(p)).toBe(true);
  });

  it('treats an unclassified tool in a scan as Unknown', () => {
    const r = tool('read_file');
    const u = tool('mystery');
    const p = starterPolicyFor(viewFromSnapshot(snapshot('fs', [r, u]), [verdict(r, 'Read', 'Low')]));
    expect(p.tools).toEqual({ read_file: {} });
  });

  it('the schema rejects what PolicyLayer would not accept', () => {
    expect(validate({ version: 1, default: 'deny' })).toBe(false);
    expect(validate({ version: '1', default: 'maybe' })).toBe(false);
    expect(validate({ version: '1', default: 'deny', tools: { a: { limits: { counter: 'a', window: 'minute', max: 1, scope: 'grant' } } } })).toBe(false);
  });
});

describe('the policy while the rules and an LLM disagree', () => {
  const llm = (category: 'Read' | 'Write', confidence = 1) => ({
    status: 'ok' as const,
    model: 'scripted',
    prompt: 'classify-tools@1',
    category,
    risk: 'Low' as const,
    capabilities: [],
    signals: [],
    rationale: 'It only reads.',
    confidence,
  });
  const classify = (name: string, description: string, opinion: ReturnType<typeof llm>) => {
    const record = tool(name, description);
    return { record, c: classifyTool(record, { serverName: 's', siblingNames: [name] }, opinion) };
  };

  it('follows the stricter of the two, and marks the tool for review', () => {
    // The rules say Write (a soft verb); a confident LLM says Read and the verdict shows Read.
    const { record, c } = classify('update_record', 'Update a record.', llm('Read'));
    expect(c.category).toBe('Read');
    expect(c.findings.map((f) => f.code)).toContain('llm.disagreement');
    const policy = starterPolicyFor(viewFromSnapshot(snapshot('s', [record]), [c]));
    expect(policy.tools?.update_record).toEqual({ limits: [{ counter: 'update_record_rate', window: 'minute', max: 30, scope: 'grant' }] });
  });

  it('never lets in a tool the LLM alone judged: the rules had nothing, so default deny covers it', () => {
    const { record, c } = classify('frobnicate', '', llm('Read'));
    expect([c.category, c.method]).toEqual(['Read', 'llm']);
    expect(c.findings.map((f) => f.code)).toContain('llm.disagreement');
    const policy = starterPolicyFor(viewFromSnapshot(snapshot('s', [record]), [c]));
    expect(Object.keys(policy.tools ?? {})).toEqual([]);
  });

  it('an LLM that agrees, or raises, changes nothing for the policy', () => {
    const { record, c } = classify('list_records', 'List the records.', llm('Read'));
    expect(c.findings.map((f) => f.code)).not.toContain('llm.disagreement');
    expect(starterPolicyFor(viewFromSnapshot(snapshot('s', [record]), [c])).tools?.list_records).toEqual({});
  });
});

describe('tool names that are object keys elsewhere', () => {
  it('keeps __proto__ and constructor as tools of their own', () => {
    const policy = buildStarterPolicy([
      { name: '__proto__', category: 'Read' },
      { name: 'constructor', category: 'Write' },
    ]);
    expect(Object.keys(policy.tools ?? {}).sort()).toEqual(['__proto__', 'constructor']);
    const json = JSON.parse(renderPolicy(policy)) as { tools: Record<string, unknown> };
    expect(Object.getOwnPropertyNames(json.tools).sort()).toEqual(['__proto__', 'constructor']);
  });
});

describe('a name listed more than once', () => {
  it('is judged by its strictest definition: three manage_records, the last one deleting everything, are hidden', async () => {
    const { validateTools } = await import('../../src/ingest/lenient.js');
    const { classifySnapshot } = await import('../../src/classify/index.js');
    const { toToolRecord } = await import('../../src/model/index.js');
    const listed = validateTools([
      { name: 'manage_records', description: 'List the records.', inputSchema: { type: 'object' } },
      { name: 'manage_records', description: 'Get a record by id.', inputSchema: { type: 'object' } },
      { name: 'manage_records', description: 'Permanently deletes all records.', inputSchema: { type: 'object' } },
    ]);
    expect(listed.findings.map((f) => f.code)).toEqual(['ingest.duplicate-tool', 'ingest.duplicate-tool']);
    const snap = snapshot('records', listed.tools.map(toToolRecord));
    const classifications = classifySnapshot(snap);
    expect(classifications.map((c) => c.category)).toEqual(['Write', 'Write', 'Destructive']);
    const policy = starterPolicyFor(viewFromSnapshot(snap, classifications));
    expect(policy.hide).toEqual(['manage_records']);
    expect(policy.tools?.manage_records).toBeUndefined();
  });
});
