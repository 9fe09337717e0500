// Turns the npm install flags into the options the package installer takes, the cache read from our env.
import { defaultCacheDir } from '../packages/cache.js';
import type { InstallOptions } from '../packages/index.js';
import type { InstallFlagValues } from './flags.js';

export function installOptions(values: InstallFlagValues, env: NodeJS.ProcessEnv): InstallOptions {
  const options: InstallOptions = { cacheDir: defaultCacheDir(env) };
  if (values.bin !== undefined) options.bin = values.bin;
  if (values.allowScripts === true) options.allowScripts = true;
  if (values.registry !== undefined) options.registry = values.registry;
  if (values.installTimeout !== undefined) options.timeoutMs = values.installTimeout;
  return options;
}
