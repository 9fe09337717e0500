// Turns a finding (code + args) into one sentence; the wording lives here and nowhere else.
import type { Finding } from '../model/index.js';

type Args = Finding['args'];
type Message = (args: Args, finding: Finding) => string;

/** A present, non-empty arg as text; args are free-form, so anything else reads as absent. */
function arg(args: Args | undefined, ...keys: string[]): string | undefined {
  if (!args || typeof args !== 'object') return undefined;
  for (const key of keys) {
    const v = (args as Record<string, unknown>)[key];
    if (typeof v === 'string' && v !== '') return v;
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
    if (typeof v === 'boolean') return String(v);
  }
  return undefined;
}

function toolOf(args: Args, f: Finding): string | undefined {
  const name = f.tool ?? arg(args, 'tool', 'name');
  return name === undefined ? undefined : `"${name}"`;
}

function plural(n: string | undefined, one: string, many: string): string {
  return n === '1' ? one : many;
}

/** Message per finding code. Tests assert codes, not this prose; reword freely. */
export const MESSAGES: Readonly<Record<string, Message>> = {
  'ingest.malformed-tool': (a, f) => {
    const which = toolOf(a, f) ?? (arg(a, 'index') !== undefined ? `#${arg(a, 'index')}` : 'A tool');
    const reason = arg(a, 'reason', 'error', 'message');
    return `${which === 'A tool' ? which : `Tool ${which}`} was skipped because its definition is malformed${reason ? `: ${reason}` : ''}.`;
  },
  'ingest.stdout-noise': (a) => {
    const lines = arg(a, 'lines', 'count');
    const sample = arg(a, 'sample', 'line');
    const what = lines ? `${lines} ${plural(lines, 'line', 'lines')}` : 'output';
    return `The server wrote ${what} to stdout that ${lines && lines !== '1' ? 'are' : 'is'} not MCP protocol; ignored${sample ? ` (e.g. "${sample}")` : ''}.`;
  },
  'ingest.cursor-loop': (a) => {
    const cursor = arg(a, 'cursor');
    const pages = arg(a, 'pages', 'page');
    return `The server returned a pagination cursor it had already sent${cursor ? ` ("${cursor}")` : ''}; listing stopped${pages ? ` after ${pages} ${plural(pages, 'page', 'pages')}` : ''} and may be incomplete.`;
  },
  'ingest.too-many-pages': (a) => {
    const limit = arg(a, 'limit', 'max', 'pages');
    return `Listing stopped at the page limit${limit ? ` of ${limit}` : ''}; the tool list may be incomplete.`;
  },
  'ingest.too-many-tools': (a) => {
    const limit = arg(a, 'limit', 'max', 'kept');
    const total = arg(a, 'total', 'count', 'listed');
    if (!limit) return `The server listed ${total ? `${total} tools, ` : ''}more than the tool limit; the rest were dropped.`;
    return `The server listed ${total ? `${total} tools` : `more than ${limit} tools`}; only the first ${limit} were kept.`;
  },
  'ingest.truncated': (a, f) => {
    const field = arg(a, 'field', 'path') ?? f.path;
    const tool = toolOf(a, f);
    const limit = arg(a, 'limit', 'max', 'maxLength');
    const length = arg(a, 'length', 'size', 'original');
    const what = `${field ? `\`${field}\`` : 'A text'}${tool ? ` of ${tool}` : ''}`;
    if (!limit) return `${what} was too long and was cut${length ? ` (it had ${length} characters)` : ''}.`;
    return `${what} was cut${length ? ` from ${length}` : ''} to ${limit} characters.`;
  },
  'ingest.duplicate-tool': (a, f) => {
    const tool = toolOf(a, f) ?? 'A tool name';
    const count = arg(a, 'count', 'times');
    return `${tool} is listed ${count ? `${count} times` : 'more than once'}; only the first definition was kept.`;
  },
  'quality.empty-description': (a, f) => {
    const tool = toolOf(a, f) ?? 'The tool';
    return `${tool} has no description, so what it does can only be guessed from its name and parameters.`;
  },
  'quality.uninformative-description': (a, f) => {
    const tool = toolOf(a, f) ?? 'The tool';
    const description = arg(a, 'description', 'text');
    const reason = arg(a, 'reason');
    return `The description of ${tool} says little about what it does${description ? ` ("${description}")` : ''}${reason ? `: ${reason}` : ''}.`;
  },
  'annotation.contradiction': (a, f) => {
    const tool = toolOf(a, f) ?? 'The tool';
    const hint = arg(a, 'hint', 'annotation') ?? f.path?.replace(/^annotations\./, '') ?? 'an annotation';
    const declared = arg(a, 'declared', 'value');
    const reason = arg(a, 'reason', 'because', 'evidence');
    const category = arg(a, 'category');
    const but = category ? `it looks ${category}` : 'its name, description or parameters suggest otherwise';
    return `${tool} declares ${hint}${declared !== undefined ? `: ${declared}` : ''}, but ${but}${reason ? ` (${reason})` : ''}.`;
  },
  'annotation.missing': (a, f) => {
    const tool = toolOf(a, f) ?? 'The tool';
    const hint = arg(a, 'hint', 'annotation') ?? f.path?.replace(/^annotations\./, '') ?? 'an annotation';
    const suggested = arg(a, 'suggested', 'suggestion', 'value');
    return `${tool} does not declare ${hint}${suggested !== undefined ? `; suggested value: ${suggested}` : ''}.`;
  },
  'untrusted.fence-forgery': (a, f) => {
    const where = f.path ?? 'its text';
    return `${toolOf(a, f) ?? 'The tool'} carries text shaped like a prompt delimiter in ${where}${arg(a, 'match') ? ` ("${arg(a, 'match')}")` : ''}: an attempt to break out of the data fence.`;
  },
  'untrusted.steering': (a, f) => {
    const where = f.path ?? 'its text';
    return `${toolOf(a, f) ?? 'The tool'} addresses the classifier in ${where}${arg(a, 'match') ? ` ("${arg(a, 'match')}")` : ''}; its verdict rests on evidence, not on what the text asks for.`;
  },
  'llm.disagreement': (a, f) => {
    const tool = toolOf(a, f) ?? 'The tool';
    const rules = `${arg(a, 'rulesCategory') ?? '?'}/${arg(a, 'rulesRisk') ?? '?'}`;
    const llm = `${arg(a, 'llmCategory') ?? '?'}/${arg(a, 'llmRisk') ?? '?'}`;
    const final = `${arg(a, 'finalCategory') ?? '?'}/${arg(a, 'finalRisk') ?? '?'}`;
    const outcome = arg(a, 'outcome');
    const how =
      outcome === 'hard-evidence-kept'
        ? `hard rule evidence kept ${final}`
        : outcome === 'rules-kept'
          ? `the rules' ${final} was kept`
          : outcome === 'llm-accepted'
            ? `the LLM's ${final} was taken`
            : `the verdict became ${final}`;
    return `Needs review: the rules say ${rules} and the LLM says ${llm} for ${tool}; ${how}.`;
  },
  'llm.no-verdict': (a, f) => {
    const reason = arg(a, 'reason');
    return `The LLM gave no verdict for ${toolOf(a, f) ?? 'this tool'}${reason ? ` (${reason})` : ''}; the rules' verdict stands.`;
  },
  'history.drift': (a, f) => {
    const tool = toolOf(a, f) ?? 'A tool';
    const before = arg(a, 'riskBefore') ?? '?';
    const after = arg(a, 'riskAfter') ?? '?';
    const cb = arg(a, 'categoryBefore');
    const ca = arg(a, 'categoryAfter');
    const category = cb && ca && cb !== ca ? ` (${cb} -> ${ca})` : '';
    const changes = arg(a, 'changes');
    return `${tool} changed its definition and its risk rose from ${before} to ${after}${category}${changes ? `: ${changes}` : ''}. Review it before trusting it again.`;
  },
  'history.risk-unknown': (a, f) => {
    const tool = toolOf(a, f) ?? 'A tool';
    const before = arg(a, 'riskBefore');
    const changes = arg(a, 'changes');
    return `${tool} changed its definition and can no longer be classified${before ? ` (it was ${before})` : ''}${changes ? `: ${changes}` : ''}. Unknown is not safe; review it by hand.`;
  },
  'history.new-risky-tool': (a, f) => {
    const tool = toolOf(a, f) ?? 'A tool';
    const risk = arg(a, 'risk') ?? 'high';
    const category = arg(a, 'category');
    return `New tool ${tool} appeared with ${risk} risk${category ? ` (${category})` : ''} since the previous scan.`;
  },
};

/** One line for a finding. Raw text: pass it through `safeText` for a terminal, escape it for HTML. */
export function renderFinding(f: Finding): string {
  const args: Args = f.args && typeof f.args === 'object' ? f.args : {};
  const message = Object.prototype.hasOwnProperty.call(MESSAGES, f.code) ? MESSAGES[f.code] : undefined;
  if (message) {
    try {
      return message(args, f);
    } catch {
      // A message must never take the report down; the generic form still says everything.
    }
  }
  return genericMessage(f, args);
}

function genericMessage(f: Finding, args: Args): string {
  const parts = Object.keys(args)
    .sort()
    .map((k) => `${k}=${formatValue((args as Record<string, unknown>)[k])}`);
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
