// Builds the environment a spawned server gets: a safe base plus only what the user passed.
import { DEFAULT_INHERITED_ENV_VARS } from '@modelcontextprotocol/sdk/client/stdio.js';

/**
 * Variables a program needs to run at all (find binaries, a home, a temp dir, a locale). Nothing here
 * carries a credential; the caller's API keys live in other variables and must never reach a server.
 */
const POSIX_BASE = ['PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'TERM', 'TMPDIR', 'LANG', 'LC_ALL', 'TZ'] as const;

export function safeBaseVariables(platform: NodeJS.Platform = process.platform): readonly string[] {
  // On Windows the SDK's list is what programs need to start (SYSTEMROOT, APPDATA, ...).
  return platform === 'win32' ? [...DEFAULT_INHERITED_ENV_VARS, 'TZ'] : POSIX_BASE;
}

/** The safe base taken from our own environment, overlaid with the user's variables for this server. */
export function scrubbedEnv(userEnv?: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of safeBaseVariables()) {
    const value = process.env[key];
    // A value starting with `()` is an exported shell function, a known injection vector.
    if (value === undefined || value.startsWith('()')) continue;
    env[key] = value;
  }
  for (const [key, value] of Object.entries(userEnv ?? {})) env[key] = value;
  return env;
}
