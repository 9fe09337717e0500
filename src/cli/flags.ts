// The options several commands share, declared once: the database, --json, --fail-on, package installs and the LLM.
import { Option } from 'commander';
import type { Command } from 'commander';
import type { KnownRisk } from '../model/index.js';
import { POLICY_FORMATS } from '../output/policy/formats.js';
import type { PolicyFormat } from '../output/policy/formats.js';
import { parseRiskLevel } from './fail-on.js';
import { numberOption } from './numbers.js';

export function dbOption(): Option {
  return new Option(
    '--db <path>',
    'results database (default: $MCP_RISK_DB, else $XDG_DATA_HOME/mcp-risk/mcp-risk.db, else ~/.local/share/mcp-risk/mcp-risk.db)',
  );
}

export function jsonOption(what: string): Option {
  return new Option('--json', `print ${what}`);
}

export function failOnOption(): Option {
  return new Option(
    '--fail-on <level>',
    "exit 1 when a tool's risk is LEVEL or above (Low, Medium, High, Critical); a tool of Unknown risk also trips it",
  ).argParser((value: string) => parseRiskLevel(value));
}

export function failOnScoreOption(): Option {
  return numberOption('--fail-on-score <n>', "exit 1 when a tool's score (1-5, the ranking within its level) is N or above; Unknown also trips it", 'score');
}

export interface InstallFlagValues {
  bin?: string;
  allowScripts?: boolean;
  registry?: string;
  installTimeout?: number;
}

/** How npm: packages are installed; `bin` only where one package is scanned. */
export function addInstallOptions(command: Command, { bin }: { bin: boolean }): Command {
  const binOption = new Option('--bin <name>', 'npm: which bin to start when the package has several');
  // Kept on refresh (hidden) so the mistake gets its own explanation rather than "unknown option".
  command.addOption(bin ? binOption : binOption.hideHelp());
  return command
    .addOption(new Option('--allow-scripts', "npm: run the package's install scripts (default: never)"))
    .addOption(new Option('--registry <url>', "npm: the registry to install from (default: npm's own)"))
    .addOption(
      numberOption(
        '--install-timeout <ms>',
        'npm: time allowed to resolve and install (default 180000); packages are cached in $MCP_RISK_CACHE, else $XDG_CACHE_HOME/mcp-risk, else ~/.cache/mcp-risk',
        'ms',
      ),
    );
}

export function breakToxicFlowsOption(): Option {
  return new Option('--break-toxic-flows', 'also hide the smallest set of tools that breaks a poisoning.toxic-flow (see the README)');
}

/** `--format` on policy, `--policy-format` on scan: which policy to write (default policylayer). */
export function policyFormatOption(flags: string, what: string): Option {
  return new Option(
    flags,
    `${what}, default policylayer: PolicyLayer's policy.json, Intercept's YAML, Claude Code's settings.json permissions, or Codex's config.toml tool lists`,
  ).choices(POLICY_FORMATS);
}

export interface PolicyFormatValue {
  policyFormat?: PolicyFormat;
}

export interface SandboxFlagValues {
  /** true for --sandbox, false for --no-sandbox, whichever came last. */
  sandbox?: boolean;
  sandboxNetwork?: boolean;
}

/** Where a started server (and npm) runs: bubblewrap, on by default where `defaultOn` says so. */
export function addSandboxOptions(command: Command, defaultOn: string): Command {
  return command
    .addOption(
      new Option(
        '--sandbox',
        `run each server and npm install in a bubblewrap sandbox: empty home, private /tmp, the rest read-only, no network, its own PID namespace (default for ${defaultOn} when bwrap is installed)`,
      ),
    )
    .addOption(new Option('--no-sandbox', 'run servers with your rights, each in its own PID namespace where Linux allows'))
    .addOption(new Option('--sandbox-network', 'sandboxed, but the server may use the network'));
}

export interface LlmFlagValues {
  /** true for --llm, false for --no-llm, whichever came last. */
  llm?: boolean;
  /** Both --llm and --no-llm were given. */
  llmContradiction?: boolean;
  llmBaseUrl?: string;
  llmModel?: string;
  llmBatch?: number;
  llmConcurrency?: number;
  llmRpm?: number;
  llmTimeout?: number;
  llmRetries?: number;
  llmPrompt?: string;
  config?: string;
}

export function addLlmOptions(command: Command): Command {
  // Commander keeps only the last of --llm/--no-llm; saying both is an error the LLM settings report.
  let said: boolean | undefined;
  const saw = (value: boolean) => (): void => {
    if (said !== undefined && said !== value) command.setOptionValue('llmContradiction', true);
    said = value;
  };
  command.on('option:llm', saw(true));
  command.on('option:no-llm', saw(false));
  return command
    .addOption(new Option('--llm', 'insist on the LLM second opinion (default: on when an endpoint is configured)'))
    .addOption(new Option('--no-llm', 'turn the LLM off'))
    .addOption(
      new Option(
        '--llm-base-url <url>',
        'any OpenAI-compatible endpoint (env: MCP_RISK_LLM_BASE_URL, OPENAI_BASE_URL); the key comes from $OPENAI_API_KEY only, and is never stored or printed',
      ),
    )
    .addOption(new Option('--llm-model <name>', 'model (env: MCP_RISK_LLM_MODEL; default gpt-4o-mini)'))
    .addOption(numberOption('--llm-batch <n>', 'tools per request (default 20)', 'count'))
    .addOption(numberOption('--llm-concurrency <n>', 'requests in flight (default 4)', 'count'))
    .addOption(numberOption('--llm-rpm <n>', 'requests per minute, 0 for no limit (default 120)', 'count'))
    .addOption(numberOption('--llm-timeout <ms>', 'per request attempt (default 60000)', 'count'))
    .addOption(numberOption('--llm-retries <n>', 'retries on 429, 5xx and timeouts, honouring Retry-After (default 4)', 'count'))
    .addOption(new Option('--llm-prompt <id@version>', 'prompt version under prompts/ (default classify-tools@2)'))
    .addOption(new Option('--config <file>', 'settings file with an llm: section (env: MCP_RISK_CONFIG); see the README'));
}

export interface FailOnValue {
  failOn?: KnownRisk;
}
