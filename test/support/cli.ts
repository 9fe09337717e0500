// Runs the CLI as users do (a real process through tsx), with our environment minus any LLM settings.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'src/cli.ts');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Our environment without LLM settings, so a key on the test machine never sends a test's scans to a real endpoint. */
export function hermeticEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const k of Object.keys(env)) if (/^(OPENAI_|AZURE_OPENAI_|MCP_RISK_LLM_|MCP_RISK_CONFIG)/.test(k)) delete env[k];
  return env;
}

export function mcpRisk(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', CLI, ...args],
      { cwd: ROOT, env: { ...hermeticEnv(), ...env }, timeout: 90_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error === null ? 0 : Number((error as { code?: number }).code ?? -1), stdout, stderr }),
    );
  });
}

/** The command line that `mcpRisk` runs, for tests that need the process itself (to signal it). */
export function cliArgs(args: string[]): string[] {
  return ['--import', 'tsx', CLI, ...args];
}
