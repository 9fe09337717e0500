// The recommended policy of a server, or of one tool, in every format the CLI writes, as files a page
// shows, lets people copy and links for download. The same renderers as `mcp-risk policy`.
import { renderPolicy, starterPolicyFor } from '../output/policy.js';
import type { ScanView } from '../output/view.js';

export interface PolicyFile {
  /** The format's name as `mcp-risk policy --format` takes it. */
  format: string;
  /** File name for download, beside the server's page. */
  file: string;
  /** What the file is for, one line. */
  label: string;
  text: string;
}

export function policyFiles(view: ScanView): PolicyFile[] {
  return [{ format: 'policylayer', file: 'policy.json', label: 'PolicyLayer policy.json', text: renderPolicy(starterPolicyFor(view)) }];
}
