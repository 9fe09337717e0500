// The catalogue's rule for text taken from a registry or a web page: one line, invisible characters
// dropped (not spaced, so a name keeps its letters together), cut plainly because the result is a name.
import { oneLine } from '../output/safe-text.js';

export { hasHiddenCharacters } from '../output/safe-text.js';

export const MAX_NAME_LENGTH = 200;

/** One line of hostile text made plain, at most `max` code points; '' for anything but a string. */
export function cleanText(value: unknown, max: number): string {
  return typeof value === 'string' ? oneLine(value, max, { hidden: 'drop', ellipsis: false }) : '';
}

/** For messages: a name as it may be shown in one line, however hostile. */
export function displayName(name: unknown, max = 60): string {
  const clean = cleanText(name, max);
  return clean === '' ? '?' : clean;
}
