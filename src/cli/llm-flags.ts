// Turns the --llm* flags and --config into an LLM choice (flags over environment over file).
import { readLlmConfigFile, resolveLlmChoice } from '../llm/config.js';
import type { LlmChoice, LlmFlags } from '../llm/config.js';
import type { LlmFlagValues } from './flags.js';

export function llmChoiceFromFlags(values: LlmFlagValues, env: NodeJS.ProcessEnv): LlmChoice {
  const flags: LlmFlags = {};
  if (values.llmContradiction === true) {
    flags.llm = true;
    flags.noLlm = true;
  } else if (values.llm === true) flags.llm = true;
  else if (values.llm === false) flags.noLlm = true;
  if (values.llmBaseUrl !== undefined) flags.baseUrl = values.llmBaseUrl;
  if (values.llmModel !== undefined) flags.model = values.llmModel;
  if (values.llmPrompt !== undefined) flags.prompt = values.llmPrompt;
  if (values.llmBatch !== undefined) flags.batchSize = values.llmBatch;
  if (values.llmConcurrency !== undefined) flags.concurrency = values.llmConcurrency;
  if (values.llmRpm !== undefined) flags.requestsPerMinute = values.llmRpm;
  if (values.llmTimeout !== undefined) flags.timeoutMs = values.llmTimeout;
  if (values.llmRetries !== undefined) flags.retries = values.llmRetries;
  const configPath = values.config ?? (env['MCP_RISK_CONFIG'] || undefined);
  return resolveLlmChoice(flags, env, configPath === undefined ? {} : readLlmConfigFile(configPath));
}
