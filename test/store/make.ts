// Builders for snapshots and verdicts shared by the store and output tests.
import type {
  Category,
  Classification,
  Finding,
  FindingArgs,
  FindingCode,
  FindingOf,
  Risk,
  ServerSnapshot,
  ToolDefinition,
  ToolRecord,
} from '../../src/model/index.js';
import { toToolRecord } from '../../src/model/index.js';

export function tool(name: string, description = `Does ${name}`, extra: Partial<ToolDefinition> = {}): ToolRecord {
  return toToolRecord({ name, description, inputSchema: { type: 'object' }, ...extra });
}

export function snapshot(name: string, tools: ToolRecord[], over: Partial<ServerSnapshot> = {}): ServerSnapshot {
  return {
    name,
    source: { kind: 'stdio', target: `npx -y ${name}` },
    status: 'ok',
    serverInfo: { name: `${name}-server`, version: '1.2.3' },
    protocolVersion: '2025-06-18',
    promptCount: 2,
    resourceCount: 0,
    tools,
    findings: [],
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1234,
    ...over,
  };
}

export function verdict(record: ToolRecord, category: Category, risk: Risk, over: Partial<Classification> = {}): Classification {
  return {
    tool: record.definition.name,
    hash: record.hash,
    category,
    risk,
    capabilities: [],
    signals: [`${category} signal for ${record.definition.name}`],
    evidence: [{ rule: 'test.rule', path: 'name', match: record.definition.name }],
    rationale: `It is ${category}.`,
    confidence: 0.9,
    method: 'rules',
    provenance: { rules: 'rules@1', taxonomy: 'taxonomy@1' },
    findings: [],
    ...over,
  };
}

/** A finding for tests; arguments a test does not care about are left out. */
export function finding<C extends FindingCode>(code: C, over: Partial<FindingOf<C>> = {}): Finding {
  return { code, severity: 'warning', args: {} as FindingArgs[C], ...over } as Finding;
}
