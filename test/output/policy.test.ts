// The starter policy: valid against the policy.json schema, and every category in its exact place.
import { readFileSync } from 'node:fs';
import * as AjvModule from 'ajv';
import { describe, expect, it } from 'vitest';
import { buildStarterPolicy, renderPolicy, starterPolicyFor, viewFromSnapshot } from '../../src/output/index.js';
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
