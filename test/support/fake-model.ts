// A stand-in model for the fake LLM server: reads the fenced tools out of our prompt and judges them by name.
import type { RecordedRequest } from './fake-llm.js';

export interface FencedTool {
  id: string;
  nonce: string;
  data: { name: string; description?: string; inputSchema?: unknown; [k: string]: unknown };
}

/** The tool blocks of one request, as the prompt fences them (server block excluded). */
export function fencedTools(content: string): FencedTool[] {
  const out: FencedTool[] = [];
  for (const m of content.matchAll(/^<<<data-([0-9a-f]+) id=(t\d+)>>>\n(.*)\n<<<end-\1>>>$/gm)) {
    out.push({ nonce: m[1]!, id: m[2]!, data: JSON.parse(m[3]!) as FencedTool['data'] });
  }
  return out;
}

export interface FakeVerdict {
  category: string;
  risk: string;
  capabilities?: string[];
  signals?: string[];
  rationale?: string;
  confidence?: number;
  /** What the model says the tool's text tries to make the agent do (classify-tools@2). */
  manipulation?: { kind: string; quote: string };
}

/** A naive but honest judge: the verb in the tool's name decides. */
export function judgeByName(name: string): FakeVerdict {
  const n = name.toLowerCase();
  if (/delete|remove|drop|cancel|purge|wipe|kill/.test(n)) return { category: 'Destructive', risk: 'Critical' };
  if (/charge|refund|pay|transfer/.test(n)) return { category: 'Financial', risk: 'Critical' };
  if (/run|exec|command|shell/.test(n)) return { category: 'Execute', risk: 'High' };
  if (/create|update|add|write|post|send|edit|move|set/.test(n)) return { category: 'Write', risk: 'Medium' };
  return { category: 'Read', risk: 'Low' };
}

/**
 * A responder for startFakeLlm: one entry per fenced tool. `judge` may return a verdict to override
 * the naive one, or null to leave the tool out of the reply.
 */
export function fakeModel(judge?: (tool: FencedTool) => FakeVerdict | null | undefined): (content: string, request: RecordedRequest) => string {
  return (content) => {
    const tools = fencedTools(content).flatMap((t) => {
      const v = judge?.(t);
      if (v === null) return [];
      const verdict = v ?? judgeByName(t.data.name);
      return [
        {
          id: t.id,
          category: verdict.category,
          risk: verdict.risk,
          capabilities: verdict.capabilities ?? [],
          signals: verdict.signals ?? [`Judged from the name ${t.data.name}`],
          rationale: verdict.rationale ?? `The name ${t.data.name} decides it.`,
          confidence: verdict.confidence ?? 0.8,
          manipulation: verdict.manipulation ?? { kind: 'none', quote: '' },
        },
      ];
    });
    return JSON.stringify({ tools });
  };
}

/** The user message of a recorded chat request. */
export function userContent(request: RecordedRequest): string {
  const messages = (request.body as { messages?: Array<{ role: string; content: string }> }).messages ?? [];
  return messages
    .filter((m) => m.role === 'user')
    .map((m) => m.content)
    .join('\n');
}
