// Durations on the command line: `90s`, `30m`, `12h`, `7d`, `2w` (one number and one unit).
import { McpRiskError } from '../model/errors.js';

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Milliseconds of a duration such as `7d`; a USAGE error naming the flag for anything else. */
export function parseDuration(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([smhdw])$/i.exec(text.trim());
  const ms = m ? Number(m[1]) * UNIT_MS[m[2]!.toLowerCase()]! : NaN;
  if (!Number.isFinite(ms) || ms <= 0) {
    throw new McpRiskError('USAGE', `${flag} takes a duration such as 90s, 30m, 12h, 7d or 2w, got '${text}'`);
  }
  return ms;
}
