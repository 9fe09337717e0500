// Gives an imported listing a catalogue name no other entry has, within the name length bound.
import { MAX_NAME_LENGTH } from './clean-text.js';

/** `base`, or `base-2`, `base-3`, ... (shortening `base` so the suffix fits) when it is taken. */
export function uniqueName(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n += 1) {
    const suffix = `-${n}`;
    const candidate = `${[...base].slice(0, MAX_NAME_LENGTH - suffix.length).join('')}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}
