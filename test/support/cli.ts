// Runs the CLI for tests: in this process through run() (fast), or as a real process for the few tests that
// need one (to signal it, or to see what a started program inherits), both with our environment minus LLM settings.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from '../../src/cli.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'src/cli.ts');
const LLM_SETTINGS = /^(OPENAI_|AZURE_OPENAI_|MCP_RISK_LLM_|MCP_RISK_CONFIG)/;

// The openai package also reads a few settings (OPENAI_ORG_ID, OPENAI_CUSTOM_HEADERS...) from process.env
// itself; in-process runs share this process's environment, so the test process drops them too.
for (const k of Object.keys(process.env)) if (LLM_SETTINGS.test(k)) delete process.env[k];

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Our environment without LLM settings, so a key on the test machine never sends a test's scans to a real endpoint. */
export function hermeticEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const k of Object.keys(env)) if (LLM_SETTINGS.test(k)) delete env[k];
  return env;
}

/** `mcp-risk ARGS` in this process: the same exit code, stdout and stderr a user would see, with `env` added. */
export async function mcpRisk(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    out: (text) => void (stdout += text),
    err: (text) => void (stderr += text),
    color: false,
    env: { ...hermeticEnv(), ...env },
    isTTY: false,
  });
  return { code, stdout, stderr };
}

/** `mcp-risk ARGS` as a real process (through tsx), for the few tests about the program itself. */
export function mcpRiskProcess(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      cliArgs(args),
      { cwd: ROOT, env: { ...hermeticEnv(), ...env }, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error === null ? 0 : Number((error as { code?: number }).code ?? -1), stdout, stderr }),
    );
  });
}

/** The command line that `mcpRiskProcess` runs, for tests that need the process itself (to signal it). */
export function cliArgs(args: string[]): string[] {
  return ['--import', 'tsx', CLI, ...args];
}
