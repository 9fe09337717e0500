// What we send a server that it must never get back into our records: header values and URL credentials.
import { toToolRecord } from '../model/index.js';
import type { Finding, ToolDefinition } from '../model/index.js';
import type { SessionOutcome } from './session.js';

/** Shorter values are not searched for: redacting every `1` or `on` would garble text and hide nothing. */
const MIN_SECRET_CHARS = 4;
const MIN_ENV_SECRET_CHARS = 8;
const MASK = '***';

export type Redact = (text: string) => string;

/** A URL with its credentials moved out: the URL to fetch, and the user name and password as given. */
export interface SplitUrl {
  url: URL;
  username: string;
  password: string;
}

const decode = (text: string): string => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

/** Strips `user:password@` from `url` (fetch refuses such URLs), returning them decoded. */
export function splitUrlCredentials(url: URL): SplitUrl {
  const bare = new URL(url.href);
  const username = decode(url.username);
  const password = decode(url.password);
  bare.username = '';
  bare.password = '';
  return { url: bare, username, password };
}

/** `Authorization: Basic ...` for URL credentials, unless the user gave an Authorization header of their own. */
export function withBasicAuth(headers: Record<string, string>, username: string, password: string): Record<string, string> {
  if (username === '' && password === '') return headers;
  if (Object.keys(headers).some((name) => name.toLowerCase() === 'authorization')) return headers;
  return { ...headers, Authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` };
}

/** Every form in which what we send may come back: whole header values, their token after a scheme, URL credentials raw and decoded. */
export function secretsOf(headers: Record<string, string>, rawUrl: URL | undefined): string[] {
  const found = new Set<string>();
  const add = (value: string): void => {
    const trimmed = value.trim();
    if (trimmed.length >= MIN_SECRET_CHARS) found.add(trimmed);
  };
  for (const value of Object.values(headers)) {
    add(value);
    // `Bearer abc...`, `Basic abc...`: a server may echo the token alone.
    const token = /^\S+\s+(\S.*)$/.exec(value.trim())?.[1];
    if (token !== undefined) add(token);
  }
  if (rawUrl !== undefined) {
    for (const part of [rawUrl.password, rawUrl.username]) {
      add(part);
      add(decode(part));
    }
  }
  // Longest first, so a value that contains another is masked whole.
  return [...found].sort((a, b) => b.length - a.length);
}

const SECRET_NAME = /key|token|secret|passw|pwd|auth|credential|private|session|cookie|bearer|cert|signature|dsn|conn(?:ection)?_?str/i;
/** A value that looks generated: long, no spaces or path separators, letters and digits mixed. */
const RANDOM_LOOKING = /^(?=.*\d)(?=.*[A-Za-z])[^\s/\\]{20,}$/;

/**
 * The values of the variables the user gave a stdio server (`--env`, a config's `env`) that are
 * secrets: named like one (`*_KEY`, `*TOKEN*`, `*PASSWORD*`...) or random-looking; 8 characters or more
 * either way, so `production`, `info` or a folder never garble a description (and its hash).
 */
export function envSecretsOf(env: Record<string, string> | undefined): string[] {
  const found = new Set<string>();
  for (const [name, raw] of Object.entries(env ?? {})) {
    const value = raw.trim();
    if (value.length >= MIN_ENV_SECRET_CHARS && (SECRET_NAME.test(name) || RANDOM_LOOKING.test(value))) found.add(value);
  }
  return [...found].sort((a, b) => b.length - a.length);
}

/** Masks every occurrence of each secret; the identity when there are none. */
export function makeRedactor(secrets: readonly string[]): Redact {
  if (secrets.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(MASK);
    return out;
  };
}

/** A JSON value with every string redacted, walked without recursion; `changed` says whether anything was masked. */
function redactJson<T>(value: T, redact: Redact): { value: T; changed: boolean } {
  let changed = false;
  const fix = (text: string): string => {
    const out = redact(text);
    if (out !== text) changed = true;
    return out;
  };
  const root = { value: structuredClone(value) as unknown };
  const stack: Array<Record<string, unknown> | unknown[]> = [root];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    const keys = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
    for (const key of keys) {
      const holder = node as Record<string | number, unknown>;
      const child = holder[key];
      if (typeof child === 'string') holder[key] = fix(child);
      else if (child !== null && typeof child === 'object') stack.push(child as Record<string, unknown>);
      if (!Array.isArray(node) && typeof key === 'string') {
        const fixedKey = fix(key);
        if (fixedKey !== key) {
          holder[fixedKey] = holder[key];
          delete holder[key];
        }
      }
    }
  }
  return { value: root.value as T, changed };
}

/** Masks what we sent wherever the server could have put it back: error, stderr, instructions, serverInfo, findings, tools. */
export function redactOutcome(outcome: SessionOutcome, redact: Redact): void {
  if (outcome.error !== undefined) outcome.error = redact(outcome.error);
  if (outcome.stderrTail !== undefined) outcome.stderrTail = redact(outcome.stderrTail);
  if (outcome.instructions !== undefined) outcome.instructions = redact(outcome.instructions);
  if (outcome.protocolVersion !== undefined) outcome.protocolVersion = redact(outcome.protocolVersion);
  if (outcome.serverInfo !== undefined) outcome.serverInfo = redactJson(outcome.serverInfo, redact).value;
  if (outcome.prompts !== undefined) outcome.prompts = redactJson(outcome.prompts, redact).value;
  if (outcome.resources !== undefined) outcome.resources = redactJson(outcome.resources, redact).value;
  outcome.findings = outcome.findings.map((f) => redactJson<Finding>(f, redact).value);
  outcome.tools = outcome.tools.map((record) => {
    const { value, changed } = redactJson<ToolDefinition>(record.definition, redact);
    // A definition that carried our secret is pinned as we keep it, masked.
    return changed ? toToolRecord(value) : record;
  });
}
