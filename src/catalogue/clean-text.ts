// Bounds and cleans text taken from a registry or a web page before it becomes part of a catalogue.

/** C0/C1 controls, DEL, and invisible format characters (bidi overrides, zero-width, tag characters). */
const HIDDEN = /[\p{Cc}\p{Cf}\u2028\u2029]/u;
const HIDDEN_ALL = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;

export const MAX_NAME_LENGTH = 200;

export function hasHiddenCharacters(text: string): boolean {
  return HIDDEN.test(text);
}

/**
 * One line of hostile text made plain: whitespace runs (newlines and tabs included) become one space,
 * other control and invisible characters are dropped, and the result has at most `max` code points.
 */
export function cleanText(value: unknown, max: number): string {
  if (typeof value !== 'string') return '';
  // Bound before the regexes so a hostile megabyte costs nothing.
  const bounded = value.length > max * 4 ? value.slice(0, max * 4) : value;
  const plain = bounded.replace(/\s+/g, ' ').replace(HIDDEN_ALL, '').trim();
  const points = [...plain];
  return points.length > max ? points.slice(0, max).join('').trimEnd() : plain;
}

/** For messages: a name as it may be shown in one line, however hostile. */
export function displayName(name: unknown, max = 60): string {
  const clean = cleanText(name, max);
  return clean === '' ? '?' : clean;
}
