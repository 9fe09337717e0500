// The recommended policy of a server, or of one tool, in every format the CLI writes, as files a page
// shows, lets people copy and links for download: the same decision and renderers as `mcp-risk policy`.
import { POLICY_FORMATS, policyDecisions, renderPolicyAs } from '../output/policy/index.js';
import type { PolicyFormat } from '../output/policy/index.js';
import type { ScanView } from '../output/view.js';

export interface PolicyFile {
  /** The format's name as `mcp-risk policy --format` takes it. */
  format: PolicyFormat;
  /** File name for download, beside the server's page. */
  file: string;
  /** What the file is for, one line. */
  label: string;
  text: string;
}

const FILES: Record<PolicyFormat, { file: string; label: string }> = {
  policylayer: { file: 'policy.json', label: 'PolicyLayer policy.json' },
  intercept: { file: 'intercept.yaml', label: 'Intercept proxy policy (YAML)' },
  'claude-code': { file: 'claude-settings.json', label: 'Claude Code: the permissions of .claude/settings.json' },
  codex: { file: 'codex.toml', label: 'Codex: a config.toml fragment' },
};

export function policyFiles(view: ScanView): PolicyFile[] {
  const decisions = policyDecisions(view);
  return POLICY_FORMATS.map((format) => ({ format, ...FILES[format], text: renderPolicyAs(format, decisions) }));
}
