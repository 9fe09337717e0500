// Turns a finding (code + typed args) into one sentence; the wording lives here and nowhere else.
import type { Finding, FindingCode, FindingOf, PoisoningTextArgs } from '../model/index.js';
import { FINDING_CODES } from '../model/index.js';
import { plural } from './plural.js';

type Messages = { readonly [C in FindingCode]: (f: FindingOf<C>) => string };

const tool = (f: Finding, fallback = 'The tool'): string => (f.tool === undefined ? fallback : `"${f.tool}"`);

/** Message per finding code; a code without one is a compile error. Tests assert codes, not this prose. */
export const MESSAGES: Messages = {
  'ingest.malformed-tool': (f) => {
    const which = f.tool !== undefined ? `Tool "${f.tool}"` : `Tool #${f.args.index}`;
    return `${which} was skipped because its definition is malformed: ${f.args.reason}.`;
  },
  'ingest.missing-input-schema': (f) => `${tool(f)} has no inputSchema; it was read as taking no parameters.`,
  'ingest.invalid-annotation': (f) => `${tool(f)} declares ${f.args.hint} as ${f.args.type}, not a boolean; the hint was ignored.`,
  'ingest.stdout-noise': (f) => {
    const sample = f.args.sample.split('\n')[0];
    return `The server wrote ${plural(f.args.count, 'line')} to stdout that ${f.args.count === 1 ? 'is' : 'are'} not MCP protocol; ignored${sample ? ` (e.g. "${sample}")` : ''}.`;
  },
  'ingest.cursor-loop': (f) =>
    `The server returned a pagination cursor it had already sent ("${f.args.cursor}"); ${f.args.method} stopped after ${plural(f.args.page, 'page')} and may be incomplete.`,
  'ingest.too-many-pages': (f) => `${f.args.method} stopped at the page limit of ${f.args.limit}; the list may be incomplete.`,
  'ingest.too-many-tools': (f) => `The server listed more than ${f.args.limit} tools; only the first ${f.args.limit} were kept.`,
  'ingest.too-many-prompts': (f) => `The server listed more than ${f.args.limit} prompts; only the first ${f.args.limit} were counted.`,
  'ingest.too-many-resources': (f) => `The server listed more than ${f.args.limit} resources; only the first ${f.args.limit} were counted.`,
  'ingest.malformed-page': (f) => `Page ${f.args.page} of ${f.args.method} was malformed (${f.args.reason}); listing stopped there.`,
  'ingest.list-failed': (f) => `${f.args.method} failed (${f.args.reason}); the tools were still classified.`,
  'ingest.undeclared-tools': (f) =>
    `The server does not declare the tools capability, yet answered ${f.args.method}; its tools were classified, as a client would list them.`,
  'ingest.truncated': (f) =>
    `\`${f.args.field}\`${f.tool !== undefined ? ` of "${f.tool}"` : ''} was cut from ${f.args.originalLength} to ${f.args.keptLength} characters.`,
  'ingest.duplicate-tool': (f) =>
    `${tool(f, 'A tool name')} is listed more than once (first at #${f.args.firstIndex}, again at #${f.args.index}); every definition was classified, and the strictest one decides the policy.`,
  'quality.empty-description': (f) => `${tool(f)} has no description, so what it does can only be guessed from its name and parameters.`,
  'quality.uninformative-description': (f) => {
    const why = { placeholder: 'it is a placeholder', 'too-short': 'it is too short', 'restates-name': 'it only restates the name' }[f.args.reason];
    return `The description of ${tool(f)} says little about what it does: ${why}.`;
  },
  'annotation.contradiction': (f) =>
    `${tool(f)} declares ${f.args.hint}: ${f.args.declared}, but it looks ${f.args.conflicting} (${f.args.evidencePath}: "${f.args.evidence}").`,
  'annotation.missing': (f) => {
    const hints = (['readOnlyHint', 'destructiveHint', 'openWorldHint'] as const).filter((h) => f.args[h] !== undefined).map((h) => `${h}: ${f.args[h]}`);
    return `${tool(f)} does not declare ${hints.length === 1 ? 'a hint' : 'hints'}; suggested: ${hints.join(', ')}.`;
  },
  'untrusted.fence-forgery': (f) =>
    `${tool(f, 'The server')} carries text shaped like a prompt delimiter in ${f.path ?? 'its text'} ("${f.args.match}"): an attempt to break out of the data fence.`,
  'untrusted.steering': (f) =>
    `${tool(f, 'The server')} addresses the classifier in ${f.path ?? 'its text'} ("${f.args.match}"); its verdict rests on evidence, not on what the text asks for.`,
  'poisoning.instructions': (f) => poisoned(f, 'speaks to the agent, not the user'),
  'poisoning.concealment': (f) => poisoned(f, 'asks the agent to keep something from the user'),
  'poisoning.sensitive-data': (f) => poisoned(f, 'asks the agent to read or pass secrets'),
  'poisoning.exfiltration': (f) => poisoned(f, 'asks the agent to hand over the conversation, files or secrets'),
  'poisoning.shadowing': (f) => poisoned(f, 'tells the agent how other tools must behave'),
  'poisoning.preference': (f) => poisoned(f, 'pushes the agent to choose it'),
  'poisoning.overt': (f) => poisoned(f, 'states a malicious capability'),
  'poisoning.hidden': (f) => {
    if (f.args.kind === 'look-alike')
      return `${tool(f, 'The server')} has letters of another script drawn like Latin ones in ${f.path === 'name' ? 'its name' : (f.path ?? 'a name')}: it looks like "${f.args.decoded}" and is not that name.`;
    const what = {
      'unicode-tags': 'invisible Unicode tag characters',
      'zero-width': 'zero-width characters inside a word',
      bidi: 'bidirectional override characters',
      'terminal-escape': 'terminal escape sequences',
      control: 'control characters',
      'whitespace-run': 'a run of blank space that pushes text out of sight',
      'encoded-text': 'an encoded blob that decodes to text',
    }[f.args.kind];
    const times = f.args.count > 1 ? ` (${f.args.count} times)` : '';
    return `${tool(f, 'The server')} hides text in ${f.path ?? 'its text'} with ${what}${times}; it reads: "${f.args.decoded}".`;
  },
  'poisoning.cross-server': (f) =>
    `${tool(f, 'A tool')} names ${f.args.otherTool} of server ${f.args.server} in ${f.path ?? 'its text'}: "${f.args.match}"${f.severity === 'error' ? "; it gives another server's tool orders" : ''}.`,
  'poisoning.impersonation': (f) =>
    `${tool(f, 'A tool')} copies ${f.args.otherTool} of server ${f.args.server} (descriptions ${Math.round(f.args.similarity * 100)}% alike): an agent cannot tell which one it calls.`,
  'poisoning.toxic-flow': (f) =>
    `Together these tools can carry an attack from untrusted content (${f.args.sources}) through sensitive data (${f.args.reaches}) to the outside (${f.args.sinks}); hiding ${f.args.hide} breaks the flow.`,
  'llm.disagreement': (f) => {
    const a = f.args;
    const final = `${a.finalCategory}/${a.finalRisk}`;
    const how = {
      'hard-evidence-kept': `hard rule evidence kept ${final}`,
      'rules-kept': `the rules' ${final} was kept`,
      'llm-accepted': `the LLM's ${final} was taken`,
      merged: `the verdict became ${final}`,
    }[a.outcome];
    return `Needs review: the rules say ${a.rulesCategory}/${a.rulesRisk} and the LLM says ${a.llmCategory}/${a.llmRisk} for ${tool(f, 'the tool')}; ${how}.`;
  },
  'llm.no-verdict': (f) => `The LLM gave no verdict for ${tool(f, 'this tool')} (${f.args.reason}); the rules' verdict stands.`,
  'history.drift': (f) => {
    const a = f.args;
    const category = a.categoryBefore !== a.categoryAfter ? ` (${a.categoryBefore} -> ${a.categoryAfter})` : '';
    const rose = a.riskBefore !== a.riskAfter ? `its risk rose from ${a.riskBefore} to ${a.riskAfter}${category}` : `it stayed ${a.riskAfter}`;
    return `${tool(f, 'A tool')} changed its definition and ${rose}${a.changes ? `: ${a.changes}` : ''}. Review it before trusting it again.`;
  },
  'history.risk-unknown': (f) =>
    `${tool(f, 'A tool')} changed its definition and can no longer be classified (it was ${f.args.riskBefore})${f.args.changes ? `: ${f.args.changes}` : ''}. Unknown is not safe; review it by hand.`,
  'history.new-risky-tool': (f) => `New tool ${tool(f, 'A tool')} appeared with ${f.args.risk} risk (${f.args.category}) since the previous scan.`,
};

function poisoned(f: { tool?: string; path?: string; args: PoisoningTextArgs }, what: string): string {
  const decoded = f.args.decodedFrom === undefined ? '' : ` (hidden as ${f.args.decodedFrom}, decoded)`;
  const who = f.tool === undefined ? 'The server' : `"${f.tool}"`;
  // The LLM second opinion's reading is its own, and says so (the rules' findings name no reader).
  const reader = f.args.rule.startsWith('llm:') ? ` (read by the LLM second opinion, ${f.args.rule.slice(4)})` : '';
  return `${who} ${what}: ${f.path ?? 'its text'}${decoded} says "${f.args.match}"${reader}.`;
}

/**
 * One line for a finding. Raw text: pass it through `safeText` for a terminal, escape it for HTML.
 * A stored finding may come from another version (a code we do not know, arguments we did not write):
 * it is rendered generically rather than failing the report.
 */
export function renderFinding(f: Finding): string {
  const known = Object.prototype.hasOwnProperty.call(FINDING_CODES, f.code);
  if (known) {
    try {
      return (MESSAGES[f.code] as (f: Finding) => string)(f);
    } catch {
      // Falls through to the generic form, which still says everything.
    }
  }
  return genericMessage(f);
}

function genericMessage(f: Finding): string {
  const args: Record<string, unknown> = f.args && typeof f.args === 'object' ? f.args : {};
  const parts = Object.keys(args)
    .sort()
    .map((k) => `${k}=${formatValue(args[k])}`);
  if (f.tool !== undefined && !('tool' in args)) parts.unshift(`tool=${f.tool}`);
  if (f.path !== undefined && !('path' in args)) parts.push(`path=${f.path}`);
  return parts.length === 0 ? String(f.code) : `${String(f.code)} (${parts.join(', ')})`;
}

function formatValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
