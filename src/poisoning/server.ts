// What a server says about itself (serverInfo, instructions, prompts, resources), checked like its tools.
import { serverTextFindings } from '../classify/untrusted-text.js';
import type { Finding, ServerSnapshot } from '../model/index.js';
import { poisoningFindings } from './analyse.js';
import { serverTextFields } from './fields.js';

/** The classifier-steering patterns and the poisoning analyser over the server's own text. Scan-level: no tool. */
export function serverOwnFindings(snapshot: ServerSnapshot): Finding[] {
  return [...serverTextFindings(snapshot), ...poisoningFindings(serverTextFields(snapshot))];
}
