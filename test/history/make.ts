// Builders for hand-made stored scans, so diff tests state only the fields that matter.
import type { Category, Classification, Risk, ScanStatus, ToolDefinition } from '../../src/model/index.js';
import { hashToolDefinition } from '../../src/model/index.js';
import type { StoredScan, StoredTool } from '../../src/store/index.js';

export function def(name: string, over: Partial<ToolDefinition> = {}): ToolDefinition {
  return { name, description: `Does ${name}.`, inputSchema: { type: 'object' }, ...over };
}

/** A stored tool; `verdict` absent means not classified (shown as Unknown). */
export function stored(definition: ToolDefinition, verdict?: [Category, Risk], hash = hashToolDefinition(definition)): StoredTool {
  const t: StoredTool = { definition, hash, firstSeenAt: '2026-01-01T00:00:00.000Z' };
  if (verdict) t.classification = classification(definition.name, hash, verdict[0], verdict[1]);
  return t;
}

export function classification(tool: string, hash: string, category: Category, risk: Risk): Classification {
  return {
    tool,
    hash,
    category,
    risk,
    capabilities: [],
    signals: [],
    evidence: [],
    rationale: `It is ${category}.`,
    confidence: 0.8,
    method: 'rules',
    provenance: { rules: 'rules@1', taxonomy: 'taxonomy@1' },
    findings: [],
  };
}

export function scan(id: number, tools: StoredTool[], status: ScanStatus = 'ok', server = 'notes'): StoredScan {
  return {
    scan: {
      id,
      serverName: server,
      source: { kind: 'manifest', target: 'notes.json' },
      status,
      startedAt: `2026-01-0${id}T00:00:00.000Z`,
      durationMs: 10,
      toolCount: tools.length,
    },
    tools,
    findings: [],
  };
}
