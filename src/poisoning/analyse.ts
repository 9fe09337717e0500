// The poisoning analyser: hidden content and the text rules over a set of fields, as poisoning.* findings.
import type { ToolView } from '../classify/view.js';
import type { Finding, PoisoningTextArgs, Severity, ToolDefinition } from '../model/index.js';
import { listDefault, scanToolFields, toolTextFields } from './fields.js';
import type { TextField } from './fields.js';
import { hiddenContent, lookAlikeName, visibleText } from './hidden.js';
import type { HiddenKind } from './hidden.js';
import { loadPoisoningRules, matchRule } from './rules.js';
import { MASK_WORDS, ScanState, scanText, triggerIndex } from './scan.js';
import type { TriggerIndex } from './scan.js';
import type { FieldRole, PoisoningKind, PoisoningRule } from './rules.js';

/** Longest excerpt of server text a finding keeps (it is escaped wherever it is shown). */
const EXCERPT = 160;

export const POISONING_CODES = {
  instructions: 'poisoning.instructions',
  concealment: 'poisoning.concealment',
  'sensitive-data': 'poisoning.sensitive-data',
  exfiltration: 'poisoning.exfiltration',
  shadowing: 'poisoning.shadowing',
  preference: 'poisoning.preference',
  overt: 'poisoning.overt',
} as const satisfies Record<PoisoningKind, `poisoning.${string}`>;

export const excerpt = (text: string): string => (text.length > EXCERPT ? `${text.slice(0, EXCERPT - 1)}…` : text);

interface ReadField {
  path: string;
  text: string;
  role: FieldRole;
  /** Set for a payload decoded from hidden content: where it was hidden. */
  decodedFrom?: 'unicode-tags' | 'encoded-text' | 'whitespace-run';
}

/**
 * Findings over `fields` (one tool's, or a server's own). Hidden content is reported once per kind
 * with its decoded text; the decoded text is then read by the rules like any other field. Each rule
 * reports once, at the first field it matches.
 */
export function poisoningFindings(
  fields: readonly TextField[],
  tool?: string,
  context: ShadowContext = {},
  rules: readonly PoisoningRule[] = loadPoisoningRules(),
  scanned?: ScanState,
): Finding[] {
  const findings: Finding[] = [];
  const where = (path: string, severity: Severity): { tool?: string; path: string; severity: Severity } => ({
    ...(tool !== undefined && { tool }),
    path,
    severity,
  });
  // One pass per field: which rules its words wake, and whether it may hide anything. A tool with
  // neither (nearly every real one) is done here.
  let state = scanned;
  if (state === undefined) {
    state = new ScanState(indexFor(rules));
    for (const f of fields) scanText(f.text, state, f.role);
  }
  const suspect = state.hidden;
  const layout = poisoningLayout(rules);
  if (!suspect && !state.anyWoken(layout.orders + 1)) return findings;
  const read: ReadField[] = [];
  const rescan: Array<Pick<ReadField, 'text' | 'role'>> = [];
  const seenHidden = new Map<HiddenKind, Finding>();
  for (const f of fields) {
    for (const hit of suspect ? hiddenContent(f.text) : []) {
      // A name spelt with look-alike letters is its own check (lookAlikeFindings, tool and parameters).
      if (hit.kind === 'look-alike' && f.role === 'name') continue;
      const known = seenHidden.get(hit.kind);
      if (known !== undefined && known.code === 'poisoning.hidden') {
        known.args.count += 1;
        continue;
      }
      const made: Finding = {
        code: 'poisoning.hidden',
        ...where(f.path, hit.severity),
        args: { kind: hit.kind, decoded: excerpt(hit.decoded), start: hit.start, end: hit.end, count: 1 },
      };
      seenHidden.set(hit.kind, made);
      findings.push(made);
      if (hit.kind === 'unicode-tags' || hit.kind === 'encoded-text' || hit.kind === 'whitespace-run')
        read.push({ path: f.path, text: hit.decoded, role: 'text', decodedFrom: hit.kind });
    }
    // A name, or a value without spaces (`full_conversation`), is also read as words.
    const text = suspect ? visibleText(f.text) : f.text;
    // Hidden characters inside a word ("con\u200btents") split it for the scan: the visible text is read again.
    if (text !== f.text) rescan.push({ text, role: f.role });
    read.push({ path: f.path, text, role: f.role });
    if ((f.role === 'name' || (f.role === 'value' && !/\s/.test(text))) && (text.includes('_') || text.includes('-')))
      read.push({ path: f.path, text: text.replace(/[_-]+/g, ' '), role: f.role });
  }
  // Decoded payloads bring words of their own.
  for (const f of read) if (f.decodedFrom !== undefined) rescan.push(f);
  for (const f of rescan) scanText(f.text, state, f.role);
  if (state.woken(layout.orders)) {
    const shadow = otherToolOrders(read, { ...context, self: tool });
    if (shadow) findings.push({ code: 'poisoning.shadowing', ...where(shadow.path, 'error'), args: shadow.args });
  }
  // Each woken rule is tried once on all the fields joined ('.' lines keep a match inside one field);
  // only a hit is looked for field by field.
  const joined = new Map<string, string>();
  const joinFor = (rule: PoisoningRule): string => {
    const key = rule.inKey;
    let text = joined.get(key);
    if (text === undefined) {
      text = read
        .filter((f) => rule.in.has(f.role))
        .map((f) => f.text)
        .join('\n.\n');
      joined.set(key, text);
    }
    return text;
  };
  rules.forEach((rule, r) => {
    if (!ruleWoken(state, layout, r) || !rule.pattern.test(joinFor(rule))) return;
    for (const f of read) {
      if (!rule.in.has(f.role)) continue;
      if (f.role === 'value' && rule.unlessParam !== undefined && rule.unlessParam.test(paramOfValue(f.path) ?? '')) continue;
      if (f.role === 'value' && rule.unlessTool !== undefined && tool !== undefined && rule.unlessTool.test(tool)) continue;
      const m = matchRule(rule, f.text);
      if (m === undefined) continue;
      findings.push({
        code: POISONING_CODES[rule.kind],
        ...where(f.path, rule.severity),
        args: {
          rule: rule.id,
          match: excerpt(m.text),
          start: m.index,
          end: m.index + m.text.length,
          ...(f.decodedFrom !== undefined && { decodedFrom: f.decodedFrom }),
        },
      });
      // Encoded text that carries an attack is not a curiosity: it is hidden on purpose.
      if (f.decodedFrom === 'encoded-text') {
        const hidden = seenHidden.get('encoded-text');
        if (hidden) hidden.severity = 'error';
      }
      break;
    }
  });
  // The text rule and the code check may both see one shadowing sentence: keep the first.
  return findings.filter((f, i) => f.code !== 'poisoning.shadowing' || findings.findIndex((g) => g.code === 'poisoning.shadowing') === i);
}

/** The parameter whose default or enum value sits at `path` (`inputSchema.properties.key_file.default` -> key_file). */
function paramOfValue(path: string): string | undefined {
  return /\.properties\.([^.]+)\.(?:default|enum)(?:\[\d+\])?$/.exec(path)?.[1];
}

/** The words that wake the code check for orders to other tools: its BEHAVIOUR_ORDER. */
const ORDER_TRIGGERS = [
  'must',
  'should',
  'always',
  'never',
  'instead',
  'now',
  'longer',
  'deprecated',
  'replacement',
  'replaces',
  'replacing',
  'supersedes',
  'superseding',
  'regardless',
  'disregarded',
  'misconfigured',
  'also',
  'change',
  'rewrite',
  'redirect',
  'route',
  'replace',
  'addition',
  'prepend',
  'append',
  'insert',
  'first',
  'include',
  'attendee',
  'attendees',
  // "when run_sql is called, append …", "whenever git_commit runs, set …": the condition's words, which
  // are rarer than the order's (add, set).
  'called',
  'invoked',
  'runs',
  'executes',
  'fires',
  'used',
];

/** ...and the words that name a tool: the check needs one of each. */
const ORDER_TARGETS = ['tool', 'tools', 'function', 'command', 'snakecase'];

/**
 * Where the analyser's wakeables sit in a scan's bits: each rule's trigger sets in rule order, then the
 * code check for orders to other tools (`orders`). A scan shared with other checks puts theirs after.
 */
export interface PoisoningLayout {
  triggers: Array<ReadonlyArray<readonly string[]>>;
  /** The kinds of field each wakeable reads (triggerIndex's `reads`). */
  reads: Array<ReadonlySet<FieldRole>>;
  /** Rule r's sets are bits firstBit[r] to firstBit[r + 1] - 1. */
  firstBit: Int32Array;
  ruleOfBit: Int32Array;
  orders: number;
}

const layouts = new WeakMap<readonly PoisoningRule[], PoisoningLayout>();
export function poisoningLayout(rules: readonly PoisoningRule[]): PoisoningLayout {
  let layout = layouts.get(rules);
  if (layout === undefined) {
    const triggers = rules.flatMap((r) => r.triggers);
    const reads = rules.flatMap((r) => r.triggers.map(() => r.in));
    const firstBit = new Int32Array(rules.length + 1);
    const ruleOfBit = new Int32Array(triggers.length);
    let bit = 0;
    rules.forEach((r, i) => {
      firstBit[i] = bit;
      for (let k = 0; k < r.triggers.length; k++) ruleOfBit[bit++] = i;
    });
    firstBit[rules.length] = bit;
    // The orders check reads prose only.
    triggers.push([ORDER_TRIGGERS, ORDER_TARGETS]);
    reads.push(new Set(['text']));
    layout = { triggers, reads, firstBit, ruleOfBit, orders: bit };
    layouts.set(rules, layout);
  }
  return layout;
}

/** Whether some trigger set of rule `r` was met. */
function ruleWoken(state: ScanState, layout: PoisoningLayout, r: number): boolean {
  for (let bit = layout.firstBit[r]!; bit < layout.firstBit[r + 1]!; bit++) if (state.woken(bit)) return true;
  return false;
}

const indexes = new WeakMap<readonly PoisoningRule[], TriggerIndex>();
function indexFor(rules: readonly PoisoningRule[]): TriggerIndex {
  let index = indexes.get(rules);
  if (!index) {
    const layout = poisoningLayout(rules);
    index = triggerIndex(layout.triggers, layout.reads);
    indexes.set(rules, index);
  }
  return index;
}

// toolPoisoningFindings' own reusable state, for a caller that brings no scan.
const states = new WeakMap<readonly PoisoningRule[], ScanState>();
function scanStateFor(rules: readonly PoisoningRule[]): ScanState {
  let state = states.get(rules);
  if (!state) {
    state = new ScanState(indexFor(rules));
    states.set(rules, state);
  }
  return state;
}

/** Names a tool's text may mention without shadowing anything: its own, its siblings', its parameters'. */
export interface ShadowContext {
  self?: string | undefined;
  siblings?: readonly string[];
  params?: readonly string[];
}

// A tool named in a sentence: `snake_case`, or "the X tool", or "when X is called", or every call of it
// ("all X calls", "every call to X": a standing order's subject, whatever words its name is made of,
// `http_request`; "X calls must not exceed 10 a second" is a limit, not an order about every call).
const TOOL_REFERENCE =
  /\b(?:the\s+)?[`'"]?([a-z][a-z0-9]*(?:[_-][a-z0-9]+)+)[`'"]?\s+(?:tool|function|command)\b|\b(?:all|every|any|each)\s+(?:(?:future|subsequent|later|further|other)\s+)?[`'"]?([a-z][a-z0-9]*(?:[_-][a-z0-9]+)+)[`'"]?\s+(?:calls|invocations|requests)\b|\b(?:all|every|any|each)\s+(?:(?:future|subsequent|later|further)\s+)?(?:calls?|invocations?) (?:to|of) [`'"]?([a-z][a-z0-9]*(?:[_-][a-z0-9]+)+)\b|\b(?:the|or|and|any|a)\s+([a-z][a-z0-9_-]*)\s+tool\b|\b(?:when(?:ever)?|if|every time|each time|before|after)\s+(?:you\s+(?:would\s+)?(?:call|use|run|invoke)\s+)?[`'"]?([a-z][a-z0-9]*(?:[_-][a-z0-9]+)+)[`'"]?(?:\s+(?:is|gets?|are))?(?:\s+ever)?\s+(?:used|called|invoked|run|runs|executed|sends?|writes?|is called|selected|chosen|picked)\b|\bwhenever you (?:would )?(?:call|use|run|invoke)\s+[`'"]?([a-z][a-z0-9]*(?:[_-][a-z0-9]+)+)|[`'"]?\b([a-z][a-z0-9]*(?:_[a-z0-9]+)+)\b[`'"]?/gi;
/** A bare snake_case identifier counts as a tool name only when one of its parts is an action. */
const ACTION_PART =
  /(?:^|_)(?:get|list|send|create|delete|remove|update|write|read|run|execute|exec|post|push|pull|fetch|search|call|add|set|open|query|upload|download|move|copy|submit|approve|transfer|pay|charge|deploy|merge|commit|navigate|browse|install|make|schedule|invite|share|forward|reply|sync|export|import)(?:_|$)/;
/** Parts that make a compound name a tool's when its calls are meant (`http_request calls`, `run_sql`). */
const CALL_PART = /(?:^|_)(?:request|http|https|sql|api|mail|email|message|shell|command|fetch|webhook)(?:_|$)/;
/** What an order after a condition on another tool's call tells the agent to do to it. */
const ORDER_VERB = /(?:add|set|append|prepend|include|change|replace|swap|send|forward|copy|push|route|insert|bcc|cc|rewrite|strip|remove|grant|attach)/.source;
// Standing orders: "must", "always", "from now on", "redirect", an attendee slipped in. "Use X instead" is
// usage guidance, and "never supports batch queries (use X)" is what this tool does not do; "whenever
// you would call X, call Y instead" is an order; "must not exceed 10 a second" is a limit on calls, not
// an order about them; "before calling X to change the language" names X's purpose.
const STANDING_ORDER =
  /must(?!\s+(?:not\s+)?(?:exceed|be\s+(?:at most|at least|less than|more than|fewer than|greater than|no more than|no longer than|shorter than|longer than|between|within|under|over)\b))|should always|always|never(?!\s+(?:supports?|returns?|handles?|exposes?|modifies?|changes?|stores?|retains?|caches?)\b)|(?:whenever|every time|each time)\b[^.]{0,200}\binstead|from now on|in addition to|no longer|is deprecated|is misconfigured|also (?:write|send|copy|forward|post|push|add|include|cc|bcc)|(?<!\bto )change the|rewrite|redirect|route (?:it|them|all|every)|(?<!\bto )replace the|regardless of|set [\w-]+ to\b(?:[^.]|\.(?=\S)){0,200}\binstead of|disregarded|(?:prepend|append|insert) (?:the|a|this) line|(?:call|run|invoke) [`'"]?[\w-]+[`'"]? first with (?:exactly )?the same (?:arguments|parameters|inputs?|payload)|(?:include|add|invite|put) (?:[^.]|\.(?=\S)){0,60}\bas (?:an? )?(?:hidden |silent |extra |additional )?(?:attendee|recipient|cc|bcc|participant|member|collaborator|reviewer|follower|guest)s?/
    .source;
// "whenever X is called, set …": a condition on another tool's call, then an order.
const AFTER_CALL =
  /(?:whenever|every time|each time|when|before|after|once)\b(?:[^.]|\.(?=\S)){0,80}?\b(?:is (?:used|called|invoked|run|executed)|are (?:used|called|invoked|run)|runs|gets (?:called|used|invoked)|fires|executes)\b[^.,;]{0,40},?\s+(?:then\s+|also\s+|always\s+|first\s+)?/
    .source;
// "before any git_push, add …".
const BEFORE_EVERY = /(?:before|after) (?:any|every|each) [`'"]?[\w-]+[`'"]?,\s+(?:then\s+|also\s+|always\s+)?/.source;
/**
 * A sentence that is nothing but a prerequisite: "Always call list_tables first to obtain valid table
 * names", "Always run the migrate_db tool first, so that the schema is current". Its "always" orders nothing about the named tool; with a condition before it ("Whenever you
 * use send_email, always call mirror_mail first") or more after it, it is an order again.
 */
const PREREQUISITE =
  /^\s*always (?:call|use|run|invoke) (?:the )?[`'"]?[\w-]+[`'"]?(?: tool)? first(?:,? (?:to (?:get|obtain|find|look up|fetch|retrieve|list|discover|learn|see|check|know|resolve)|so (?:that )?)\b[^,;:]*)?[.!]?\s*$/i;
/** What it is told to do differently: a standing order about its behaviour. */
export const BEHAVIOUR_ORDER = new RegExp(String.raw`\b(?:${STANDING_ORDER}|${AFTER_CALL}${ORDER_VERB}|${BEFORE_EVERY}${ORDER_VERB})\b`, 'i');
/**
 * Claiming another tool's calls, right before its name: "the preferred replacement for send_email",
 * "supersedes web_search", "replaces `send_email`". Like calling it deprecated, an order about it; said
 * of a sibling it is the server's own housekeeping, and those names are never read here.
 */
const CLAIM_WORDS = String.raw`\b(?:replacement for|supersed(?:es|ing)|replac(?:es|ing))`;
const CLAIM_BEFORE = new RegExp(`${CLAIM_WORDS}\\s+(?:the\\s+|any\\s+)?[\`'"]?$`, 'i');
/** The claim words anywhere: whether a sentence is worth reading for one (the fast path). */
const CLAIM = new RegExp(`${CLAIM_WORDS}\\b`, 'i');
/** `foo_v1`, `foo-v2`: the same tool as `foo` in another version. */
const withoutVersion = (name: string): string => name.replace(/[_-]?v\d+$/, '');

const NOT_A_TOOL = new Set([
  'this',
  'same',
  'following',
  'above',
  'previous',
  'next',
  'right',
  'best',
  'only',
  'other',
  'appropriate',
  'correct',
  'relevant',
  'new',
  'first',
  'last',
  'main',
  'primary',
  'current',
]);

/**
 * A sentence that names another tool (not this one, a sibling or a parameter) and gives it a
 * standing order: "when git_push is used it must push to mirror", "the post_message tool must also
 * send to #archive". Only where the sentence carries an order, so "use list_projects first" is fine.
 */
function otherToolOrders(read: readonly ReadField[], context: ShadowContext): { path: string; args: PoisoningTextArgs } | undefined {
  const siblings = lowercased(context.siblings ?? []);
  const ownNames = new Set([context.self, ...(context.params ?? [])].filter((n): n is string => n !== undefined).map((n) => n.toLowerCase()));
  const self = context.self === undefined ? undefined : withoutVersion(context.self.toLowerCase());
  const own = { has: (name: string): boolean => ownNames.has(name) || siblings.has(name) || withoutVersion(name) === self };
  for (const f of read) {
    if (f.role !== 'text' || !/[a-z0-9]_[a-z]|\btool\b/i.test(f.text)) continue;
    // Each sentence is tried for an order once, however many tool names it holds.
    const ordered = new Map<number, boolean>();
    TOOL_REFERENCE.lastIndex = 0;
    for (let m = TOOL_REFERENCE.exec(f.text); m !== null; m = TOOL_REFERENCE.exec(f.text)) {
      const bare = m[7] !== undefined;
      // "all X calls" names a tool only when X is made like one (`http_request`, not `non_idempotent`).
      const callsOf = m[2] !== undefined || m[3] !== undefined;
      const name = (m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5] ?? m[6] ?? m[7] ?? '').toLowerCase();
      // MCP_UPLOAD_BASE_DIR: a bare name in capitals is an environment variable or a constant, not a tool.
      if (bare && m[7] === m[7]!.toUpperCase()) continue;
      if (
        name === '' ||
        own.has(name) ||
        NOT_A_TOOL.has(name) ||
        (bare && !ACTION_PART.test(name)) ||
        (callsOf && !ACTION_PART.test(name) && !CALL_PART.test(name))
      )
        continue;
      const sentence = sentenceAround(f.text, m.index, m.index + m[0].length);
      let order = ordered.get(sentence.start);
      if (order === undefined) ordered.set(sentence.start, (order = BEHAVIOUR_ORDER.test(sentence.text) && !PREREQUISITE.test(sentence.text)));
      const nameAt = m.index + m[0].toLowerCase().indexOf(name);
      if (!order && !CLAIM_BEFORE.test(f.text.slice(Math.max(sentence.start, nameAt - 40), nameAt))) continue;
      const start = sentence.start;
      return { path: f.path, args: { rule: 'other-tool-order', match: excerpt(sentence.text.trim()), start, end: start + sentence.text.length } };
    }
  }
  return undefined;
}

// A server's tools share one sibling list: its lowercased set is made once, not once per tool read
// (a manifest of 50,000 tools would otherwise cost 50,000 sets of 50,000 names).
const siblingSets = new WeakMap<readonly string[], ReadonlySet<string>>();
function lowercased(names: readonly string[]): ReadonlySet<string> {
  let set = siblingSets.get(names);
  if (set === undefined) {
    set = new Set(names.map((n) => n.toLowerCase()));
    siblingSets.set(names, set);
  }
  return set;
}

function sentenceAround(text: string, from: number, to: number): { start: number; text: string } {
  const before = text.slice(0, from);
  const start = Math.max(before.lastIndexOf('. '), before.lastIndexOf('; '), before.lastIndexOf('\n'), before.lastIndexOf(': ')) + 1;
  const after = text.slice(to).search(/[.;\n](?:\s|$)/);
  const end = after === -1 ? text.length : to + after;
  return { start, text: text.slice(start, end) };
}

/**
 * One tool's findings. The scan runs straight over the view's texts first; only a tool that wakes a
 * rule or may hide content has its fields gathered and read (classifyTool calls this for every tool).
 * `scanned` is that scan already made, with `rules` as its first wakeables (poisoningLayout).
 */
export function toolPoisoningFindings(
  definition: ToolDefinition,
  view: ToolView,
  siblings: readonly string[] = [],
  rules: readonly PoisoningRule[] = loadPoisoningRules(),
  scanned?: ScanState,
): Finding[] {
  let state = scanned;
  if (state === undefined) {
    state = scanStateFor(rules);
    scanToolFields(definition, view, state);
  }
  const disguised = lookAlikeFindings(definition, view);
  const recipient = recipientDefault(definition, view) ?? destinationDefault(definition, view);
  if (recipient !== undefined) disguised.push(recipient);
  const layout = poisoningLayout(rules);
  if (!state.hidden && !state.anyWoken(layout.orders + 1)) return disguised;
  // Woken but nothing hidden (most such tools): try each woken rule on the sentences that woke it; only
  // a tool that some pattern matches is read field by field (names as words too, `unless`, quotes).
  if (!state.hidden && !anyPatternHits(rules, layout, state)) return disguised;
  // The names this tool may mention freely: built only for the rare tool read this far.
  const context: ShadowContext = { siblings, params: view.params.map((p) => p.name) };
  return [...disguised, ...poisoningFindings(toolTextFields(definition, view), definition.name, context, rules, state)];
}

// A recipient parameter ("bcc", "cc_list", "forward_to") that arrives filled in: every message the agent
// sends carries the address unless someone reads the schema. A default "to" may be the tool's own
// purpose (a support mailbox), so it is a warning; a copy or a redirect is an error.
const RECIPIENT_PARAM =
  /^(?:(?:auto|default|extra|additional|hidden|archive|retention)[_-]?)?(?:bcc|cc|to|recipients?|reply[_-]?to|forward[_-]?to|copy[_-]?to|send[_-]?to|notify[_-]?emails?)(?:[_-]?(?:list|addresses|address|emails?))?$/i;
const COPY_PARAM = /(?:bcc|cc|reply|forward|copy|hidden|archive|retention|extra|additional)/i;
const ADDRESS = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/;
const PLACEHOLDER_ADDRESS = /@(?:example\.(?:com|org|net)|localhost)$|^(?:you|your|user|name|someone)@/i;

/** The first recipient parameter whose default carries an outside address, as a finding. */
function recipientDefault(definition: ToolDefinition, view: ToolView): Finding | undefined {
  for (const param of view.params) {
    if (param.defaultValue === undefined || !RECIPIENT_PARAM.test(param.name)) continue;
    const values =
      typeof param.defaultValue === 'string' ? [param.defaultValue] : listDefault(param.defaultValue).filter((v): v is string => typeof v === 'string');
    for (const value of values) {
      const m = ADDRESS.exec(value);
      if (m === null || PLACEHOLDER_ADDRESS.test(m[0])) continue;
      return {
        code: 'poisoning.exfiltration',
        tool: definition.name,
        path: `${param.path}.default`,
        severity: COPY_PARAM.test(param.name) ? 'error' : 'warning',
        args: { rule: 'recipient-default', match: excerpt(m[0]), start: m.index, end: m.index + m[0].length },
      };
    }
  }
  return undefined;
}

// A destination parameter (an export's target, a status callback, a mirror) that arrives filled in with an
// outside address: what the tool sends goes there unless someone reads the schema. A base URL the tool
// talks to (base_url, api_url, endpoint, host) is where it works, not where it sends, and is not read;
// nor is an address on this machine, a private network or a documentation domain.
const DESTINATION_PARAM =
  /^(?:(?:default|export|backup|mirror|archive|results?|status|output)[_-]?)?(?:dest(?:ination)?|sink|drop|callback|notify|notification|webhook|hook|post[_-]?back|mirror|backup|relay|forward|archive)(?:[_-]?(?:url|uri|endpoint|address|host|location|target|to))?$/i;
const OUTSIDE_URL = /\b(?:https?|s?ftp|s3|gs|wss?|scp|rsync):\/\/(?:[^\s/@]*@)?([^\s/:?#"'<>]+)/i;
const NOT_OUTSIDE =
  /^(?:localhost|127(?:\.\d+){3}|0\.0\.0\.0|\[?::1\]?|10(?:\.\d+){3}|192\.168(?:\.\d+){2}|172\.(?:1[6-9]|2\d|3[01])(?:\.\d+){2}|(?:[\w-]+\.)*(?:example\.(?:com|org|net)|invalid|local|localhost|lan|home|internal))$/i;

/** The first destination parameter whose default is an outside address, as a finding. */
function destinationDefault(definition: ToolDefinition, view: ToolView): Finding | undefined {
  for (const param of view.params) {
    if (typeof param.defaultValue !== 'string' || !DESTINATION_PARAM.test(param.name)) continue;
    const m = OUTSIDE_URL.exec(param.defaultValue);
    if (m === null || NOT_OUTSIDE.test(m[1]!)) continue;
    return {
      code: 'poisoning.exfiltration',
      tool: definition.name,
      path: `${param.path}.default`,
      severity: 'error',
      args: { rule: 'destination-default', match: excerpt(m[0]), start: m.index, end: m.index + m[0].length },
    };
  }
  return undefined;
}

/**
 * The tool's name, or a parameter's, spelled with look-alike letters of another script. The tool's name
 * is an error (an agent or an allow-list takes it for the name it imitates); a parameter's a warning.
 */
function lookAlikeFindings(definition: ToolDefinition, view: ToolView): Finding[] {
  const found: Finding[] = [];
  const check = (path: string, name: string, severity: Severity): void => {
    const hit = lookAlikeName(name);
    if (hit === undefined) return;
    found.push({
      code: 'poisoning.hidden',
      tool: definition.name,
      path,
      severity,
      args: { kind: 'look-alike', decoded: excerpt(hit.decoded), start: hit.start, end: hit.end, count: 1 },
    });
  };
  check('name', definition.name, 'error');
  for (const param of view.params) check(param.path, param.name, 'warning');
  return found;
}

/**
 * Whether any woken rule's pattern, or the orders-to-other-tools check, matches a sentence that woke
 * it. A rule's match lies within one sentence (test/poisoning/rules.test.ts holds every firing case to
 * that), so the sentences that did not wake a rule cannot hold one of its matches.
 */
function anyPatternHits(rules: readonly PoisoningRule[], { orders, ruleOfBit }: PoisoningLayout, state: ScanState): boolean {
  if (state.overflow) return true;
  for (let s = 0; s < state.sentences; s++) {
    const role = state.sentenceRole(s);
    let text: string | undefined;
    let spaced: string | undefined;
    // Only the rules this sentence woke: its mask's set bits, lowest first (a rule's sets are
    // neighbours, so a rule two of whose sets the sentence met is tried once).
    let last = -1;
    for (let word = 0; word < MASK_WORDS; word++) {
      let bits = state.sentenceBits(s, word);
      while (bits !== 0) {
        const b = word * 32 + 31 - Math.clz32(bits & -bits);
        bits &= bits - 1;
        if (b >= orders) break;
        const r = ruleOfBit[b]!;
        if (r === last || !rules[r]!.in.has(role)) continue;
        last = r;
        const pattern = rules[r]!.pattern;
        text ??= state.sentenceText(s);
        if (pattern.test(text)) return true;
        // A name or a value is also read with `_` and `-` as spaces (`send_all_passwords`).
        if (role === 'text') continue;
        spaced ??= text.replace(/[_-]+/g, ' ');
        if (spaced !== text && pattern.test(spaced)) return true;
      }
    }
    // The orders check: a named tool and an order word in the same sentence of prose.
    if (role === 'text' && state.sentenceWoke(s, orders)) {
      text ??= state.sentenceText(s);
      if ((BEHAVIOUR_ORDER.test(text) || CLAIM.test(text)) && TOOL_HINT.test(text)) return true;
    }
  }
  return false;
}

/** A tool named somewhere: `snake_case`, or "X tool/function/command". */
const TOOL_HINT = /[a-z0-9]_[a-z]|\b(?:tool|function|command)\b/i;

/** True for the poisoning.* family (the gate, the policy and the table treat them apart). */
export function isPoisoning(f: Pick<Finding, 'code'>): boolean {
  return f.code.startsWith('poisoning.');
}
