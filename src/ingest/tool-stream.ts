// Finds the tools of a JSON tool list too big to parse whole, by byte offset, and reads them back one
// at a time. Only the document's skeleton is walked here (the top object, `result`, the tools array);
// every tool and every other value is handed to JSON.parse on its own, which validates it.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { constants as bufferConstants } from 'node:buffer';
import { McpRiskError } from '../model/index.js';
import { jsonErrorOffset } from './json-position.js';
import { TOOL_LIST_HINT, unreadable } from './manifest.js';

type Json = { [key: string]: unknown };

const CHUNK = 1 << 22;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

function isWhitespace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

/** One object of the skeleton: its values (parsed; the last of a repeated key wins, as in JSON.parse) and its tools. */
interface Level {
  values: Json;
  /** The last `tools` key: its elements' byte ranges, or 'other' when it is not an array. */
  tools?: { starts: number[]; ends: number[] } | 'other';
  /** The last `result` key, when this is the top object: the object it holds, or 'other'. */
  result?: Level | 'other';
}

/** Where a file's tool list lies: the elements' byte ranges, in order, and the document values around them. */
export interface ToolListLayout {
  starts: number[];
  ends: number[];
  /** The keys that name and describe the server (`{...document, ...result}` for a JSON-RPC response), as loadManifest reads them. */
  meta: Json;
  /** The top-level values without the tools array, to tell a client config from a tool list; empty for a bare array. */
  document: Json;
  /** `array`: the file is a bare array; `object`: a tools array was found in the object; `none`: no tools array. */
  form: 'array' | 'object' | 'none';
}

/** A JSON syntax error at a byte offset of the file; turned into line and column by the caller. */
class SyntaxAt extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

/** Reads the file forwards in chunks; offsets are absolute byte positions. */
class Bytes {
  private readonly buf = Buffer.allocUnsafe(CHUNK);
  private len = 0;
  private pos = 0;
  private base = 0;

  constructor(private readonly fd: number) {}

  private fill(): boolean {
    this.base += this.len;
    this.pos = 0;
    this.len = readSync(this.fd, this.buf, 0, CHUNK, this.base);
    return this.len > 0;
  }

  offset(): number {
    return this.base + this.pos;
  }

  /** The next byte without taking it; -1 at the end of the file. */
  peek(): number {
    if (this.pos >= this.len && !this.fill()) return -1;
    return this.buf[this.pos]!;
  }

  take(): void {
    this.pos++;
  }

  /** The next byte that is not whitespace, not taken. */
  skipWhitespace(): number {
    for (;;) {
      const b = this.peek();
      if (!isWhitespace(b)) return b;
      this.pos++;
    }
  }

  /**
   * Past one value: a string, an object or array (nesting counted, strings minded), or a scalar up to the
   * next delimiter. Its inside is not checked; JSON.parse of its bytes does that.
   */
  skipValue(): void {
    const first = this.peek();
    if (first === -1) throw new SyntaxAt(this.offset(), 'Unexpected end of JSON input');
    if (first === CLOSE_BRACE || first === CLOSE_BRACKET || first === COMMA || first === COLON) {
      throw new SyntaxAt(this.offset(), `Unexpected token '${String.fromCharCode(first)}'`);
    }
    if (first !== QUOTE && first !== OPEN_BRACE && first !== OPEN_BRACKET) {
      while (this.peek() !== -1 && !isDelimiter(this.buf[this.pos]!)) this.pos++;
      return;
    }
    let depth = 0;
    let inString = false;
    let escaped = false;
    for (;;) {
      if (this.pos >= this.len && !this.fill()) throw new SyntaxAt(this.offset(), 'Unexpected end of JSON input');
      const buf = this.buf;
      const len = this.len;
      let i = this.pos;
      // The hot loop: local variables only, one chunk at a time.
      for (; i < len; i++) {
        const c = buf[i]!;
        if (inString) {
          if (escaped) escaped = false;
          else if (c === BACKSLASH) escaped = true;
          else if (c === QUOTE) {
            inString = false;
            if (depth === 0) {
              this.pos = i + 1;
              return;
            }
          }
        } else if (c === QUOTE) inString = true;
        else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
        else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
          depth--;
          if (depth === 0) {
            this.pos = i + 1;
            return;
          }
        }
      }
      this.pos = i;
    }
  }
}

function isDelimiter(b: number): boolean {
  return isWhitespace(b) || b === COMMA || b === CLOSE_BRACE || b === CLOSE_BRACKET || b === COLON;
}

/** The bytes from `start` to `end` (fewer if the file ends first). */
function readBytes(fd: number, start: number, end: number): Buffer {
  const buf = Buffer.allocUnsafe(end - start);
  let read = 0;
  while (read < buf.length) {
    const n = readSync(fd, buf, read, buf.length - read, start + read);
    if (n === 0) break;
    read += n;
  }
  return buf.subarray(0, read);
}

/** A value's bytes as text (values start and end at ASCII bytes, so no character is split). */
function readText(fd: number, start: number, end: number): string {
  if (end - start > bufferConstants.MAX_STRING_LENGTH) throw new SyntaxAt(start, 'a value is too large to read');
  return readBytes(fd, start, end).toString('utf8');
}

/** A value's bytes parsed; a syntax error is placed at its byte offset in the file. */
function parseAt(fd: number, start: number, end: number): unknown {
  const text = readText(fd, start, end);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw syntaxInside(text, start, error);
  }
}

function syntaxInside(text: string, start: number, error: unknown): SyntaxAt {
  const message = (error instanceof Error ? error.message : String(error)).split(/\n|, "|, \.\.\.| in JSON at position/)[0] ?? 'parse error';
  const at = jsonErrorOffset(text) ?? 0;
  return new SyntaxAt(start + Buffer.byteLength(text.slice(0, at)), message);
}

/** 1-based line and column (in UTF-16 units, as lineColumn counts) of a byte offset, read from the file. */
function positionOf(fd: number, offset: number): { line: number; column: number } {
  const buf = Buffer.allocUnsafe(CHUNK);
  let line = 1;
  let lineStart = 0;
  for (let base = 0; base < offset;) {
    const n = readSync(fd, buf, 0, Math.min(CHUNK, offset - base), base);
    if (n === 0) break;
    for (let i = 0; i < n; i++) {
      if (buf[i] === 0x0a) {
        line++;
        lineStart = base + i + 1;
      }
    }
    base += n;
  }
  // The column counts characters, so the line's bytes up to the offset are decoded (a bounded tail of a long line).
  const from = Math.max(lineStart, offset - CHUNK);
  const column = readText(fd, from, offset).length + (from - lineStart) + 1;
  return { line, column };
}

class Skeleton {
  private readonly bytes: Bytes;

  constructor(private readonly fd: number) {
    this.bytes = new Bytes(fd);
  }

  /** The top-level value: an array of tools, or an object (maybe with `result`). */
  document(): { top: Level | { starts: number[]; ends: number[] } } {
    const b = this.bytes;
    if (b.peek() === 0xef) {
      // A UTF-8 byte-order mark, as the whole-file reader strips.
      const start = b.offset();
      b.take();
      b.take();
      b.take();
      if (start !== 0) throw new SyntaxAt(start, "Unexpected token '\uFEFF'");
    }
    const first = b.skipWhitespace();
    let top: Level | { starts: number[]; ends: number[] };
    if (first === OPEN_BRACKET) top = this.elements();
    else if (first === OPEN_BRACE) top = this.object(0);
    else {
      const start = b.offset();
      b.skipValue();
      // A scalar at the top is valid JSON but no tool list; parsing it says which (and checks it).
      const value = parseAt(this.fd, start, b.offset());
      throw new McpRiskError('NOT_A_TOOL_LIST', `holds a ${value === null ? 'null' : typeof value}, not a tool list`);
    }
    if (b.skipWhitespace() !== -1) throw new SyntaxAt(b.offset(), 'Unexpected non-whitespace character after JSON');
    return { top };
  }

  private elements(): { starts: number[]; ends: number[] } {
    const b = this.bytes;
    const starts: number[] = [];
    const ends: number[] = [];
    b.take();
    if (b.skipWhitespace() === CLOSE_BRACKET) {
      b.take();
      return { starts, ends };
    }
    for (;;) {
      b.skipWhitespace();
      starts.push(b.offset());
      b.skipValue();
      ends.push(b.offset());
      const next = b.skipWhitespace();
      b.take();
      if (next === CLOSE_BRACKET) return { starts, ends };
      if (next !== COMMA) throw new SyntaxAt(b.offset() - 1, next === -1 ? 'Unexpected end of JSON input' : "Expected ',' or ']' after array element");
    }
  }

  private object(depth: number): Level {
    const b = this.bytes;
    const level: Level = { values: {} };
    b.take();
    if (b.skipWhitespace() === CLOSE_BRACE) {
      b.take();
      return level;
    }
    do {
      if (b.skipWhitespace() !== QUOTE) throw new SyntaxAt(b.offset(), "Expected property name or '}'");
      const keyStart = b.offset();
      b.skipValue();
      const key = parseAt(this.fd, keyStart, b.offset()) as string;
      if (b.skipWhitespace() !== COLON) throw new SyntaxAt(b.offset(), "Expected ':' after property name");
      b.take();
      const first = b.skipWhitespace();
      if (key === 'tools' && first === OPEN_BRACKET) level.tools = this.elements();
      else if (key === 'result' && depth === 0 && first === OPEN_BRACE) level.result = this.object(1);
      else {
        const start = b.offset();
        b.skipValue();
        const value = parseAt(this.fd, start, b.offset());
        if (key === 'tools') level.tools = 'other';
        else if (key === 'result' && depth === 0) level.result = 'other';
        // A key named __proto__ stays an ordinary key, as JSON.parse makes it.
        else Object.defineProperty(level.values, key, { value, enumerable: true, writable: true, configurable: true });
      }
    } while (!this.closes());
    return level;
  }

  /** After a value: true at the object's closing brace, false after a comma. */
  private closes(): boolean {
    const b = this.bytes;
    const next = b.skipWhitespace();
    b.take();
    if (next === CLOSE_BRACE) return true;
    if (next !== COMMA) throw new SyntaxAt(b.offset() - 1, next === -1 ? 'Unexpected end of JSON input' : "Expected ',' or '}' after property value");
    return false;
  }
}

const HINT = TOOL_LIST_HINT;

/** The elements of a level's tools array, or NOT_A_TOOL_LIST when it is not an array. */
function arrayOf(tools: NonNullable<Level['tools']>, path: string): { starts: number[]; ends: number[] } {
  if (tools === 'other') throw new McpRiskError('NOT_A_TOOL_LIST', `${path}: "tools" is not an array`, { hint: HINT });
  return tools;
}

/**
 * A JSON tool list read tool by tool: `{"tools": [...]}`, a JSON-RPC response carrying one, or a bare
 * array, chosen as loadManifest chooses. Never holds more than one tool's text (and one read window) at
 * once. Throws McpRiskError: INPUT_NOT_FOUND, INPUT_INVALID (with line and column), NOT_A_TOOL_LIST.
 */
export class StreamedToolList {
  readonly layout: ToolListLayout;
  private readonly fd: number;

  constructor(readonly path: string) {
    try {
      // Non-blocking, so a pipe with no writer is refused below instead of hanging the open.
      this.fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (error) {
      throw unreadable(path, error);
    }
    const stats = fstatSync(this.fd);
    if (stats.isDirectory()) {
      this.close();
      throw unreadable(path, Object.assign(new Error('is a directory'), { code: 'EISDIR' }));
    }
    if (!stats.isFile()) {
      this.close();
      // Two passes and reads at offsets: a pipe or a device can be read only once, front to back.
      throw new McpRiskError('INPUT_INVALID', `${path}: not a regular file (a pipe or a device); a tool list read tool by tool is read twice`, {
        hint: 'save it to a file first, or drop --stream',
      });
    }
    try {
      this.layout = this.located();
    } catch (error) {
      this.close();
      throw error;
    }
  }

  get count(): number {
    return this.layout.starts.length;
  }

  private located(): ToolListLayout {
    const { top } = this.guard(() => new Skeleton(this.fd).document());
    if ('starts' in top) return { ...top, meta: {}, document: {}, form: 'array' };
    const document = top.values;
    if (top.tools !== undefined) return { ...arrayOf(top.tools, this.path), meta: document, document, form: 'object' };
    // A saved JSON-RPC response: {"jsonrpc": "2.0", "id": 1, "result": {"tools": [...]}}.
    if (top.result !== undefined && top.result !== 'other' && top.result.tools !== undefined) {
      return { ...arrayOf(top.result.tools, this.path), meta: { ...document, ...top.result.values }, document, form: 'object' };
    }
    return { starts: [], ends: [], meta: document, document, form: 'none' };
  }

  /** The tools, parsed, in file order. A tool that is not valid JSON stops the read with INPUT_INVALID. */
  *entries(): Generator<unknown> {
    const { starts, ends } = this.layout;
    let window: Buffer = Buffer.alloc(0);
    let windowStart = 0;
    for (let i = 0; i < starts.length; i++) {
      const start = starts[i]!;
      const end = ends[i]!;
      if (start < windowStart || end > windowStart + window.length) {
        // Read ahead: the tools sit one after another, so one read serves many of them.
        if (end - start > bufferConstants.MAX_STRING_LENGTH) this.guard(() => readText(this.fd, start, end));
        windowStart = start;
        window = readBytes(this.fd, start, Math.max(end, Math.min(start + CHUNK, ends[ends.length - 1]!)));
      }
      const text = window.toString('utf8', start - windowStart, end - windowStart);
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        this.guard(() => {
          throw syntaxInside(text, start, error);
        });
      }
      yield value;
    }
  }

  close(): void {
    closeSync(this.fd);
  }

  /** Runs `work`, turning a syntax error at a byte offset into INPUT_INVALID at a line and column. */
  private guard<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      if (!(error instanceof SyntaxAt)) {
        if (error instanceof McpRiskError && error.code === 'NOT_A_TOOL_LIST')
          throw new McpRiskError(error.code, `${this.path}: ${error.message}`, { hint: HINT });
        throw error;
      }
      const { line, column } = positionOf(this.fd, error.offset);
      throw new McpRiskError('INPUT_INVALID', `${this.path}: invalid JSON at line ${line}, column ${column}: ${error.message.slice(0, 120)}`, { cause: error });
    }
  }
}
