// Asks the LLM about a server's tools: cache first, then batches with server context, one retry for what a reply missed.
import { loadTaxonomy } from '../classify/index.js';
import type { LlmOpinion, LlmRun, ServerSnapshot, ToolRecord } from '../model/index.js';
import type { ChatReply, ChatRequest } from './endpoint.js';
import { fence, newNonce, serverData, toolData } from './fence.js';
import { fill } from './prompt.js';
import type { PromptTemplate } from './prompt.js';
import { parseReply, replySchema, REPLY_SCHEMA_NAME } from './reply.js';
import type { ReplyVerdict } from './reply.js';

/** What answers chat requests; `LlmEndpoint` in production. */
export interface ChatEndpoint {
  complete(request: ChatRequest): Promise<ChatReply>;
}

/** A cached verdict is valid for one tool definition under one model, prompt version and taxonomy version. */
export interface OpinionCacheKey {
  model: string;
  prompt: string;
  taxonomy: string;
}

export interface OpinionCache {
  get(hashes: readonly string[], key: OpinionCacheKey): Map<string, ReplyVerdict>;
  put(entries: ReadonlyArray<{ hash: string; verdict: ReplyVerdict }>, key: OpinionCacheKey): void;
}

export interface SecondOpinionOptions {
  endpoint: ChatEndpoint;
  model: string;
  prompt: PromptTemplate;
  /** Tools per request. */
  batchSize: number;
  cache?: OpinionCache;
  /** Definition hashes that need no opinion (their stored verdict is reused). */
  exclude?: ReadonlySet<string>;
}

export function llmOff(reason: string): LlmRun {
  return { status: 'off', requests: 0, attempts: 0, cachedTools: 0, askedTools: 0, unknownTools: 0, promptTokens: 0, completionTokens: 0, reason };
}

export async function secondOpinion(snapshot: ServerSnapshot, options: SecondOpinionOptions): Promise<{ opinions: Map<string, LlmOpinion>; run: LlmRun }> {
  const taxonomy = loadTaxonomy();
  const key: OpinionCacheKey = { model: options.model, prompt: options.prompt.ref, taxonomy: taxonomy.version };
  const run: LlmRun = {
    status: 'ok',
    model: options.model,
    prompt: options.prompt.ref,
    requests: 0,
    attempts: 0,
    cachedTools: 0,
    askedTools: 0,
    unknownTools: 0,
    promptTokens: 0,
    completionTokens: 0,
  };
  const opinions = new Map<string, LlmOpinion>();
  const opinion = (v: ReplyVerdict): LlmOpinion => ({ status: 'ok', model: options.model, prompt: options.prompt.ref, ...v });

  // One verdict per distinct definition: a server listing the same tool twice is asked once.
  const unique = new Map<string, ToolRecord>();
  for (const t of snapshot.tools) if (!unique.has(t.hash) && !options.exclude?.has(t.hash)) unique.set(t.hash, t);
  const cached = options.cache?.get([...unique.keys()], key) ?? new Map<string, ReplyVerdict>();
  for (const [hash, verdict] of cached) {
    opinions.set(hash, opinion(verdict));
    run.cachedTools += 1;
  }
  const pending = [...unique.values()].filter((t) => !cached.has(t.hash));
  run.askedTools = pending.length;

  const context = { name: snapshot.name, instructions: snapshot.instructions, toolNames: snapshot.tools.map((t) => t.definition.name) };
  const capabilities = new Set(taxonomy.capabilities.keys());
  const failures = new Map<string, string>();

  /** Returns the tools without a valid verdict and why; `transport` when the request itself failed. */
  const ask = async (tools: ToolRecord[]): Promise<{ missed: Map<string, string>; transport: boolean }> => {
    const ids = tools.map((_, i) => `t${i + 1}`);
    run.requests += 1;
    let reply: ChatReply;
    try {
      reply = await options.endpoint.complete(buildRequest(options.prompt, context, tools));
    } catch (error) {
      run.attempts += 1;
      const reason = (error as Error).message;
      return { missed: new Map(tools.map((t) => [t.hash, reason])), transport: true };
    }
    run.attempts += reply.attempts;
    run.promptTokens += reply.promptTokens;
    run.completionTokens += reply.completionTokens;
    const parsed = parseReply(reply.text, ids, capabilities);
    const fresh: Array<{ hash: string; verdict: ReplyVerdict }> = [];
    const missed = new Map<string, string>();
    tools.forEach((t, i) => {
      const verdict = parsed.verdicts.get(ids[i]!);
      if (verdict) {
        opinions.set(t.hash, opinion(verdict));
        fresh.push({ hash: t.hash, verdict });
      } else {
        missed.set(t.hash, parsed.problems.get(ids[i]!) ?? 'missing from the reply');
      }
    });
    // Cached as soon as it arrives, so a refresh killed halfway keeps what it paid for.
    if (fresh.length > 0) options.cache?.put(fresh, key);
    return { missed, transport: false };
  };

  const batches: ToolRecord[][] = [];
  for (let i = 0; i < pending.length; i += options.batchSize) batches.push(pending.slice(i, i + options.batchSize));
  await Promise.all(
    batches.map(async (batch) => {
      const first = await ask(batch);
      if (first.missed.size === 0) return;
      // An invalid or incomplete reply gets one more request for exactly the tools it missed. A request
      // that failed outright was already retried by the endpoint; asking again would only repeat it.
      const second = first.transport ? first : await ask(batch.filter((t) => first.missed.has(t.hash)));
      for (const [hash, reason] of second.missed) {
        const earlier = first.missed.get(hash);
        failures.set(hash, second === first || earlier === reason ? reason : `${reason}; first reply: ${earlier}`);
      }
    }),
  );

  for (const [hash, reason] of failures) {
    opinions.set(hash, {
      status: 'unknown',
      model: options.model,
      prompt: options.prompt.ref,
      category: 'Unknown',
      risk: 'Unknown',
      capabilities: [],
      signals: [],
      rationale: '',
      confidence: 0,
      reason: reason.slice(0, 300),
    });
  }
  run.unknownTools = failures.size;
  if (failures.size > 0) {
    run.status = failures.size === run.askedTools ? 'failed' : 'partial';
    run.reason = [...failures.values()][0]!.slice(0, 300);
  }
  return { opinions, run };
}

export function buildRequest(
  prompt: PromptTemplate,
  server: { name: string; instructions?: string | undefined; toolNames: string[] },
  tools: readonly ToolRecord[],
): ChatRequest {
  const nonce = newNonce();
  const serverBlock = fence(
    nonce,
    'kind=server',
    serverData({ name: server.name, ...(server.instructions ? { instructions: server.instructions } : {}), toolNames: server.toolNames }),
  );
  const toolBlocks = tools.map((t, i) => fence(nonce, `id=t${i + 1}`, toolData(t.definition))).join('\n\n');
  const user = fill(prompt.user, { tool_count: String(tools.length), nonce, server: serverBlock, tools: toolBlocks });
  return {
    messages: [
      { role: 'system', content: prompt.system },
      { role: 'user', content: user },
    ],
    schema: replySchema(prompt.version),
    schemaName: REPLY_SCHEMA_NAME,
  };
}
