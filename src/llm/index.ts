// Public API of the optional LLM classifier: settings, the endpoint, the prompt, and the second opinion on a server's tools.
export { resolveLlmChoice, readLlmConfigFile, LLM_DEFAULTS } from './config.js';
export type { LlmChoice, LlmFlags, LlmSettings } from './config.js';
export { LlmEndpoint, LlmUnavailableError } from './endpoint.js';
export type { ChatMessage, ChatReply, ChatRequest, EndpointOptions, ResponseFormatMode } from './endpoint.js';
export { loadPrompt, compilePrompt, DEFAULT_PROMPT } from './prompt.js';
export type { PromptTemplate } from './prompt.js';
export { fence, newNonce } from './fence.js';
export { parseReply, replySchema, REPLY_SCHEMA, REPLY_SCHEMA_NAME } from './reply.js';
export type { ReplyVerdict, ParsedReply } from './reply.js';
export { secondOpinion, buildRequest, llmOff } from './second-opinion.js';
export type { ChatEndpoint, OpinionCache, OpinionCacheKey, SecondOpinionOptions } from './second-opinion.js';
export { storeOpinionCache } from './cache.js';
