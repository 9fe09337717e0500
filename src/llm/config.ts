// Decides whether the LLM runs and with what settings: flags over environment over config file over defaults.
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { McpRiskError } from '../model/index.js';
import type { EndpointOptions, ResponseFormatMode } from './endpoint.js';
import { DEFAULT_PROMPT } from './prompt.js';

export interface LlmSettings {
  model: string;
  prompt: string;
  batchSize: number;
  endpoint: EndpointOptions;
  /** Where the endpoint is, for messages: a base URL or the Azure resource; never the key. */
  where: string;
}

export type LlmChoice = { enabled: true; settings: LlmSettings } | { enabled: false; reason: string };

/** What the command line said; undefined means "not given". */
export interface LlmFlags {
  llm?: boolean;
  noLlm?: boolean;
  model?: string;
  baseUrl?: string;
  batchSize?: number;
  concurrency?: number;
  requestsPerMinute?: number;
  timeoutMs?: number;
  retries?: number;
  prompt?: string;
}

/** The `llm:` section of a config file (`--config FILE` or $MCP_RISK_CONFIG). Keys live in the environment only. */
interface LlmFileSection {
  enabled?: boolean;
  model?: string;
  baseUrl?: string;
  apiKeyEnv?: string;
  batchSize?: number;
  concurrency?: number;
  requestsPerMinute?: number;
  timeoutMs?: number;
  retries?: number;
  maxRetryDelayMs?: number;
  responseFormat?: ResponseFormatMode;
  prompt?: string;
  azure?: { endpoint?: string; apiVersion?: string; deployment?: string };
}

export const LLM_DEFAULTS = {
  model: 'gpt-4o-mini',
  batchSize: 20,
  concurrency: 4,
  requestsPerMinute: 120,
  timeoutMs: 60_000,
  retries: 4,
  maxRetryDelayMs: 60_000,
  responseFormat: 'json_schema' as ResponseFormatMode,
  azureApiVersion: '2024-10-21',
};

const FILE_KEYS = new Set([
  'enabled',
  'model',
  'baseUrl',
  'apiKeyEnv',
  'batchSize',
  'concurrency',
  'requestsPerMinute',
  'timeoutMs',
  'retries',
  'maxRetryDelayMs',
  'responseFormat',
  'prompt',
  'azure',
]);

/** Reads the `llm:` section of a YAML or JSON config file; unknown keys and an `apiKey` are refused. */
export function readLlmConfigFile(path: string): LlmFileSection {
  if (!existsSync(path)) throw new McpRiskError('INPUT_NOT_FOUND', `config file ${path} does not exist`);
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new McpRiskError('INPUT_INVALID', `config file ${path} is not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}`);
  }
  const section = (raw as { llm?: unknown } | null)?.llm;
  if (section === undefined) return {};
  if (typeof section !== 'object' || section === null || Array.isArray(section))
    throw new McpRiskError('INPUT_INVALID', `config file ${path}: llm must be a mapping`);
  for (const k of Object.keys(section)) {
    if (k === 'apiKey') {
      throw new McpRiskError('INPUT_INVALID', `config file ${path}: llm.apiKey is not read from files`, {
        hint: 'put the key in $OPENAI_API_KEY, or name another variable with llm.apiKeyEnv',
      });
    }
    if (!FILE_KEYS.has(k)) throw new McpRiskError('INPUT_INVALID', `config file ${path}: unknown key llm.${k}`);
  }
  return section as LlmFileSection;
}

function positive(value: number | undefined, name: string, allowZero = false): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 0 || (!allowZero && value === 0))
    throw new McpRiskError('USAGE', `${name} must be a ${allowZero ? 'non-negative' : 'positive'} whole number, got ${value}`);
  return value;
}

/**
 * The LLM runs when an endpoint is configured (an API key, a base URL, or an Azure endpoint) and
 * --no-llm is not given; --llm insists and is an error without an endpoint.
 */
export function resolveLlmChoice(flags: LlmFlags, env: NodeJS.ProcessEnv = process.env, file: LlmFileSection = {}): LlmChoice {
  if (flags.llm === true && flags.noLlm === true) throw new McpRiskError('USAGE', '--llm and --no-llm contradict each other');
  if (flags.noLlm === true) return { enabled: false, reason: 'disabled with --no-llm' };
  if (file.enabled === false && flags.llm !== true) return { enabled: false, reason: 'disabled in the config file (llm.enabled: false)' };

  const keyVar = file.apiKeyEnv ?? (file.azure?.endpoint || env.AZURE_OPENAI_ENDPOINT ? 'AZURE_OPENAI_API_KEY' : 'OPENAI_API_KEY');
  const apiKey = env[keyVar] || (keyVar === 'AZURE_OPENAI_API_KEY' ? env.OPENAI_API_KEY : undefined) || '';
  const baseURL = flags.baseUrl ?? env.MCP_RISK_LLM_BASE_URL ?? env.OPENAI_BASE_URL ?? file.baseUrl;
  const azureEndpoint = baseURL === undefined ? (file.azure?.endpoint ?? env.AZURE_OPENAI_ENDPOINT) : undefined;
  if (apiKey === '' && baseURL === undefined && azureEndpoint === undefined) {
    if (flags.llm === true) {
      throw new McpRiskError('USAGE', '--llm needs an endpoint', { hint: 'set OPENAI_API_KEY, or --llm-base-url URL for a local server' });
    }
    return { enabled: false, reason: 'no LLM endpoint configured (set OPENAI_API_KEY or --llm-base-url)' };
  }
  if (baseURL !== undefined && !/^https?:\/\//i.test(baseURL))
    throw new McpRiskError('USAGE', `the LLM base URL must start with http:// or https://, got '${baseURL}'`);

  const model = flags.model ?? env.MCP_RISK_LLM_MODEL ?? file.model ?? (azureEndpoint ? env.AZURE_OPENAI_DEPLOYMENT : undefined) ?? LLM_DEFAULTS.model;
  const endpoint: EndpointOptions = {
    model,
    // Local servers (Ollama, llama.cpp) take any key; the client library insists on one.
    apiKey: apiKey || 'no-key',
    concurrency: positive(flags.concurrency ?? file.concurrency, 'LLM concurrency') ?? LLM_DEFAULTS.concurrency,
    requestsPerMinute: positive(flags.requestsPerMinute ?? file.requestsPerMinute, 'LLM requests per minute', true) ?? LLM_DEFAULTS.requestsPerMinute,
    timeoutMs: positive(flags.timeoutMs ?? file.timeoutMs, 'LLM timeout') ?? LLM_DEFAULTS.timeoutMs,
    maxRetries: positive(flags.retries ?? file.retries, 'LLM retries', true) ?? LLM_DEFAULTS.retries,
    maxRetryDelayMs: positive(file.maxRetryDelayMs, 'llm.maxRetryDelayMs') ?? LLM_DEFAULTS.maxRetryDelayMs,
    responseFormat: file.responseFormat ?? LLM_DEFAULTS.responseFormat,
  };
  if (baseURL !== undefined) endpoint.baseURL = baseURL;
  if (azureEndpoint !== undefined) {
    endpoint.azure = {
      endpoint: azureEndpoint,
      apiVersion: file.azure?.apiVersion ?? env.OPENAI_API_VERSION ?? LLM_DEFAULTS.azureApiVersion,
      deployment: file.azure?.deployment ?? env.AZURE_OPENAI_DEPLOYMENT ?? model,
    };
  }
  return {
    enabled: true,
    settings: {
      model,
      prompt: flags.prompt ?? file.prompt ?? DEFAULT_PROMPT,
      batchSize: positive(flags.batchSize ?? file.batchSize, 'LLM batch size') ?? LLM_DEFAULTS.batchSize,
      endpoint,
      where: azureEndpoint ?? baseURL ?? 'https://api.openai.com/v1',
    },
  };
}
