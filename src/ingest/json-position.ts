// Finds where a JSON text first goes wrong, because Node 20's JSON.parse often does not say.

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const LITERAL = /true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

class Stop extends Error {
  constructor(readonly offset: number) {
    super('stop');
  }
}

/** Offset of the first character that makes `text` invalid JSON, or undefined when it is valid. */
export function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const skip = (): void => {
    while (i < text.length && WHITESPACE.has(text[i] as string)) i += 1;
  };
  const fail = (): never => {
    throw new Stop(i);
  };
  const expect = (char: string): void => {
    if (text[i] !== char) fail();
    i += 1;
  };
  const string = (): void => {
    expect('"');
    for (;;) {
      if (i >= text.length) fail();
      const char = text[i] as string;
      if (char === '"') {
        i += 1;
        return;
      }
      if (char < ' ') fail();
      if (char === '\\') {
        i += 1;
        const escape = text[i];
        if (escape === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 5;
        } else if (escape !== undefined && '"\\/bfnrt'.includes(escape)) i += 1;
        else fail();
      } else i += 1;
    }
  };
  const value = (): void => {
    skip();
    const char = text[i];
    if (char === '{') {
      i += 1;
      skip();
      if (text[i] === '}') {
        i += 1;
        return;
      }
      for (;;) {
        skip();
        string();
        skip();
        expect(':');
        value();
        skip();
        if (text[i] === ',') i += 1;
        else return expect('}');
      }
    }
    if (char === '[') {
      i += 1;
      skip();
      if (text[i] === ']') {
        i += 1;
        return;
      }
      for (;;) {
        value();
        skip();
        if (text[i] === ',') i += 1;
        else return expect(']');
      }
    }
    if (char === '"') return string();
    // Sticky, on the text itself: a literal of any length is measured whole.
    LITERAL.lastIndex = i;
    const literal = LITERAL.exec(text);
    if (literal === null) fail();
    i += (literal as RegExpExecArray)[0].length;
  };
  try {
    value();
    skip();
    if (i < text.length) fail();
    return undefined;
  } catch (error) {
    // Anything else (a stack overflow on absurd nesting) just means we cannot say where.
    return error instanceof Stop ? error.offset : undefined;
  }
}

/** A place in a text: 1-based line and column (columns in UTF-16 units), and UTF-16 units from the start. */
export interface Place {
  line: number;
  column: number;
  units: number;
}

export const TEXT_START: Place = { line: 1, column: 1, units: 0 };

/** The place `text` ends at when it starts at `from`. */
export function advance(from: Place, text: string): Place {
  const last = text.lastIndexOf('\n');
  if (last === -1) return { line: from.line, column: from.column + text.length, units: from.units + text.length };
  let lines = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
  return { line: from.line + lines, column: text.length - last, units: from.units + text.length };
}

/** `line 3, column 7` (both 1-based) for a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const { line, column } = advance(TEXT_START, text.slice(0, offset));
  return { line, column };
}

/** The first clause of a JSON.parse error: V8's message may quote a multi-line excerpt of the text. */
export function firstClause(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split(/\n|, "|, \.\.\."/)[0] ?? message;
}
