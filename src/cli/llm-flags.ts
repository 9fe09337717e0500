// Turns the scan command's --llm* flags and --config into an LLM choice (flags over environment over file).
import { McpRiskError } from '../model/index.js';
import { readLlmConfigFile, resolveLlmChoice } from '../llm/index.js';
import type { LlmChoice, LlmFlags } from '../llm/index.js';

export interface LlmFlagValues {
  llm?: boolean | undefined;
  'no-llm'?: boolean | undefined;
  'llm-base-url'?: string | undefined;
  'llm-model'?: string | undefined;
  'llm-batch'?: string | undefined;
  'llm-concurrency'?: string | undefined;
  'llm-rpm'?: string | undefined;
  'llm-timeout'?: string | undefined;
  'llm-retries'?: string | undefined;
  'llm-prompt'?: string | undefined;
  config?: string | undefined;
}

function wholeNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new McpRiskError('USAGE', `${flag} takes a whole number, got '${value}'`);
  return n;
}

export function llmChoiceFromFlags(values: LlmFlagValues, env: NodeJS.ProcessEnv = process.env): LlmChoice {
  const flags: LlmFlags = {};
  if (values.llm !== undefined) flags.llm = values.llm;
  if (values['no-llm'] !== undefined) flags.noLlm = values['no-llm'];
  if (values['llm-base-url'] !== undefined) flags.baseUrl = values['llm-base-url'];
  if (values['llm-model'] !== undefined) flags.model = values['llm-model'];
  if (values['llm-prompt'] !== undefined) flags.prompt = values['llm-prompt'];
  const numbers: Array<[keyof LlmFlags, string]> = [
    ['batchSize', 'llm-batch'],
    ['concurrency', 'llm-concurrency'],
    ['requestsPerMinute', 'llm-rpm'],
    ['timeoutMs', 'llm-timeout'],
    ['retries', 'llm-retries'],
  ];
  for (const [key, flag] of numbers) {
    const n = wholeNumber(values[flag as keyof LlmFlagValues] as string | undefined, `--${flag}`);
    if (n !== undefined) (flags as Record<string, number>)[key] = n;
  }
  const configPath = values.config ?? (env.MCP_RISK_CONFIG || undefined);
  return resolveLlmChoice(flags, env, configPath === undefined ? {} : readLlmConfigFile(configPath));
}
