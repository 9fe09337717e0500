// Flags that scan and refresh share: how to install packages, and how to reach the LLM.
import type { InstallOptions } from '../packages/index.js';
import { parseMs } from './args.js';

export const LLM_FLAGS = {
  llm: { type: 'boolean' },
  'no-llm': { type: 'boolean' },
  'llm-base-url': { type: 'string' },
  'llm-model': { type: 'string' },
  'llm-batch': { type: 'string' },
  'llm-concurrency': { type: 'string' },
  'llm-rpm': { type: 'string' },
  'llm-timeout': { type: 'string' },
  'llm-retries': { type: 'string' },
  'llm-prompt': { type: 'string' },
  config: { type: 'string' },
} as const;

export function installOptions(values: { bin?: string | undefined; 'allow-scripts'?: boolean | undefined; registry?: string | undefined; 'install-timeout'?: string | undefined }): InstallOptions {
  const options: InstallOptions = {};
  if (values.bin !== undefined) options.bin = values.bin;
  if (values['allow-scripts'] === true) options.allowScripts = true;
  if (values.registry !== undefined) options.registry = values.registry;
  const timeoutMs = parseMs(values['install-timeout'], '--install-timeout');
  if (timeoutMs !== undefined) options.timeoutMs = timeoutMs;
  return options;
}
