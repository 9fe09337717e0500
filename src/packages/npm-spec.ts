// Parses `npm:<package>[@version]` specs and compares exact versions; nothing here touches the network.
import semver from 'semver';
import { McpRiskError } from '../model/index.js';
import { truncate } from '../output/safe-text.js';

export interface NpmSpec {
  /** `name` or `@scope/name`. */
  name: string;
  /** An exact version, a semver range or a dist-tag; '' when none was given (npm's `latest`). */
  range: string;
}

export const NPM_PREFIX = 'npm:';

const MAX_NAME = 214;
const MAX_RANGE = 256;
const NAME_PART = /^[A-Za-z0-9~][A-Za-z0-9._~-]*$/;
/**
 * Ranges and tags only. `:` and `/` are refused on purpose: they would let a spec become a git URL,
 * a tarball URL, a local path or an alias, none of which is a registry package we can cache by version.
 */
const RANGE = /^[A-Za-z0-9.+\-^~<>=|* ]+$/;
const EXACT = /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

const HINT = 'Write npm:<package>[@version], e.g. npm:@scope/server@1.2.3 or npm:server@^1.';

/** True when the text asks for an npm package (the CLI's way to tell it from a command or URL). */
export function isNpmSpec(text: string): boolean {
  return text.trim().startsWith(NPM_PREFIX);
}

export function isValidPackageName(name: string): boolean {
  if (name.length === 0 || name.length > MAX_NAME) return false;
  if (!name.startsWith('@')) return NAME_PART.test(name);
  const slash = name.indexOf('/');
  if (slash === -1) return false;
  return NAME_PART.test(name.slice(1, slash)) && NAME_PART.test(name.slice(slash + 1));
}

/** `npm:@scope/name@^1` → `{ name: '@scope/name', range: '^1' }`. The `npm:` prefix is optional. */
export function parseNpmSpec(text: string): NpmSpec {
  const trimmed = text.trim();
  const body = trimmed.startsWith(NPM_PREFIX) ? trimmed.slice(NPM_PREFIX.length) : trimmed;
  const shown = truncate(body, 80);
  if (body === '') throw new McpRiskError('USAGE', 'no package name after npm:', { hint: HINT });
  // A leading `@` is the scope, so the version separator is the next `@`.
  const at = body.indexOf('@', body.startsWith('@') ? 1 : 0);
  const name = at === -1 ? body : body.slice(0, at);
  const range = at === -1 ? '' : body.slice(at + 1).trim();
  if (!isValidPackageName(name)) throw new McpRiskError('USAGE', `not a valid npm package name: ${JSON.stringify(shown)}`, { hint: HINT });
  if (at !== -1 && range === '') throw new McpRiskError('USAGE', `no version after @ in npm:${shown}`, { hint: HINT });
  if (range.length > MAX_RANGE || (range !== '' && !RANGE.test(range))) {
    throw new McpRiskError('USAGE', `not a version, range or tag: ${JSON.stringify(range.slice(0, 80))} in npm:${name}`, {
      hint: 'Only registry versions are supported (no git, file, URL or alias specs).',
    });
  }
  return { name, range };
}

/** The spec as npm reads it, e.g. `@scope/name@^1`; no range means `latest`. */
export function formatNpmSpec(spec: NpmSpec): string {
  return `${spec.name}@${spec.range === '' ? 'latest' : spec.range}`;
}

/** The exact version a range pins (`1.2.3`, `=1.2.3`, `v1.2.3`), or undefined for a real range or tag. */
export function exactVersion(range: string): string | undefined {
  const bare = range.trim().replace(/^[=v]+/, '');
  return EXACT.test(bare) ? bare : undefined;
}

/** True for a full semver version, the only form allowed to become a cache folder name. */
export function isExactVersion(version: string): boolean {
  return EXACT.test(version);
}

/**
 * A version as registries write it: `1.2.3`, `v1.2.3`, or a short `v2` / `1.4` (read as `2.0.0`, `1.4.0`),
 * with an optional pre-release and build. Anything else (`nightly`, `latest`) is not a version.
 */
const LENIENT = /^v?\d+(?:\.\d+){0,2}(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

function parseLenient(version: string | undefined): semver.SemVer | null {
  if (version === undefined || !LENIENT.test(version)) return null;
  return semver.coerce(version, { includePrerelease: true });
}

/**
 * Semver precedence (build metadata ignored, a release above its pre-releases), for exact npm versions
 * and the looser ones registries list. A value that is not a version ranks below every version.
 */
export function compareVersions(a: string | undefined, b: string | undefined): number {
  const [left, right] = [parseLenient(a), parseLenient(b)];
  if (left === null || right === null) return left === right ? 0 : left === null ? -1 : 1;
  return semver.compare(left, right);
}

/** The highest exact version in the list, ignoring anything that is not one. */
export function highestVersion(versions: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const version of versions) {
    if (!isExactVersion(version)) continue;
    if (best === undefined || compareVersions(version, best) > 0) best = version;
  }
  return best;
}
