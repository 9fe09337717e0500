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

/** `line 3, column 7` (both 1-based) for a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}
