// HTML built by a tagged template that escapes every interpolated value unless it is already Html, so
// server text cannot become markup by forgetting to escape it: escaping is the default, not a step.
import { HIDDEN_CHARACTERS, truncate } from '../output/safe-text.js';

/** A fragment of markup this program made (never server text). */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type Part = Html | string | number | boolean | null | undefined | readonly Part[];

/** Marks our own markup (a constant, or a page fragment built with `html`) as safe to insert. */
export const trusted = (markup: string): Html => new Html(markup);

export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1]!;
  return new Html(out);
}

function render(value: Part): string {
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value as string | number | boolean));
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
// Line breaks and tabs are layout, not hidden text: kept as they are (a <pre> or CSS decides).
const SPECIAL = new RegExp(`[&<>"']|(?![\\n\\t])(?:${HIDDEN_CHARACTERS})`, 'gu');

/**
 * Text for an element or a quoted attribute: the five markup characters as entities, and every hidden
 * character (bidi override, zero-width, Unicode tag, control) shown as a visible `⟨U+XXXX⟩` mark, so a
 * page never reorders or hides what a server wrote.
 */
export function escapeHtml(text: string): string {
  // A plain-text mark, not markup: the same escape serves element text and attribute values.
  return text.replace(SPECIAL, (c) => ENTITIES[c] ?? `⟨U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟩`);
}

/** Server text for a page: bounded (a hostile megabyte stays off the page), then escaped when inserted. */
export const bounded = (text: string | undefined, max: number): string => truncate(text ?? '', max);
