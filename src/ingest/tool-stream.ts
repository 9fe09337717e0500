// Finds the tools of a JSON tool list too big to parse whole, by byte offset, and reads them back one
// at a time. Only the document's skeleton is walked here (the top object, `result`, the tools array);
// every tool and every other value is handed to JSON.parse on its own, which validates it.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { constants as bufferConstants } from 'node:buffer';
import { StringDecoder } from 'node:string_decoder';
import { McpRiskError } from '../model/index.js';
import { advance, firstClause, jsonErrorOffset, TEXT_START } from './json-position.js';
import type { Place } from './json-position.js';
import { invalidJson, notAToolList, unreadable } from './manifest.js';

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

/** The byte ranges of an array's elements, in order. */
type Ranges = { starts: number[]; ends: number[] };

/** One object of the skeleton: its values (parsed; the last of a repeated key wins, as in JSON.parse) and its tools. */
interface Level {
  values: Json;
  /** The last `tools` key: its elements' byte ranges, or 'other' when it is not an array. */
  tools?: Ranges | 'other';
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
  /**
   * `array`: the file is a bare array; `object`: a tools array was found in the object; `not-array`: the
   * "tools" that would be read is not an array; `none`: no "tools" key. Only `array` and `object` have tools.
   */
  form: 'array' | 'object' | 'not-array' | 'none';
}

/**
 * A JSON syntax error where the walk or a value's parse failed, at byte `from`. What JSON.parse of the
 * whole file would say there is found by parsing a probe (StreamedToolList.described): `prefix`, a few
 * ASCII bytes that put the parser in the state the walk was in, then the file's bytes from `from` to `to`.
 */
class SyntaxAt extends Error {
  constructor(
    readonly from: number,
    readonly prefix: string,
    readonly to: number,
    readonly fixed?: string,
  ) {
    super(fixed ?? 'invalid JSON');
  }
}

/** How many bytes past an error's place a probe reads: enough to hold the token that is wrong. */
const PROBE_TAIL = 64;

// Probe prefixes, one per state of the walk (V8's words differ between an object's first key and a later
// one, so the state says which). A complete value is `[]`, which no following byte can extend.
const AT_TOP = '';
const AFTER_TOP = '[]';
const FIRST_ELEMENT = '[';
const NEXT_ELEMENT = '[[],';
const AFTER = '[]';
const FIRST_KEY = '{';
const NEXT_KEY = '{"":[],';
const AFTER_KEY = '""';
const VALUE = '"":';

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
   * next delimiter. Its inside is not checked; JSON.parse of its bytes does that. `prefix` is the probe
   * prefix for an error here.
   */
  skipValue(prefix: string): void {
    const start = this.offset();
    const first = this.peek();
    if (first === -1) throw new SyntaxAt(start, prefix, start);
    if (first === CLOSE_BRACE || first === CLOSE_BRACKET || first === COMMA || first === COLON) throw new SyntaxAt(start, prefix, start + PROBE_TAIL);
    if (first !== QUOTE && first !== OPEN_BRACE && first !== OPEN_BRACKET) {
      while (this.peek() !== -1 && !isDelimiter(this.buf[this.pos]!)) this.pos++;
      return;
    }
    let depth = 0;
    let inString = false;
    let escaped = false;
    for (;;) {
      // The file ends inside the value: the probe holds all of it, so it says what is missing.
      if (this.pos >= this.len && !this.fill()) throw new SyntaxAt(start, prefix, this.offset());
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
  if (end - start > bufferConstants.MAX_STRING_LENGTH) throw new SyntaxAt(start, AT_TOP, start, 'a value is too large to read');
  return readBytes(fd, start, end).toString('utf8');
}

/** A value's bytes parsed; a syntax error is probed from the value's start, with `prefix` and the bytes just after it. */
function parseAt(fd: number, start: number, end: number, prefix: string): unknown {
  return parseText(readText(fd, start, end), start, end, prefix);
}

function parseText(text: string, start: number, end: number, prefix: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // The value may be cut short at its end ("tr" of "tr,"), where the whole parse sees the next byte.
    throw new SyntaxAt(start, prefix, end + PROBE_TAIL);
  }
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

function startsWithBom(fd: number): boolean {
  return readBytes(fd, 0, BOM.length).equals(BOM);
}

/**
 * The place of a byte offset (one at an ASCII byte), read from the file and decoded a chunk at a time as
 * the whole read decodes it (a bad UTF-8 sequence is one U+FFFD), so a line of any length costs no more
 * than a chunk. A leading BOM is not counted, because the whole-file reader strips it.
 */
function placeOf(fd: number, offset: number): Place {
  const buf = Buffer.allocUnsafe(CHUNK);
  const decoder = new StringDecoder('utf8');
  let place = TEXT_START;
  for (let base = 0; base < offset;) {
    const n = readSync(fd, buf, 0, Math.min(CHUNK, offset - base), base);
    if (n === 0) break;
    const text = decoder.write(buf.subarray(0, n));
    place = advance(place, base === 0 && text.startsWith('\uFEFF') ? text.slice(1) : text);
    base += n;
  }
  return advance(place, decoder.end());
}

class Skeleton {
  private readonly bytes: Bytes;
  /** Every tools array met, in order: the one read is picked afterwards, and the others still get checked. */
  readonly arrays: Ranges[] = [];

  constructor(
    private readonly fd: number,
    private readonly path: string,
  ) {
    this.bytes = new Bytes(fd);
  }

  /** The top-level value: an array of tools, or an object (maybe with `result`). */
  document(): { top: Level | Ranges } {
    const b = this.bytes;
    // A UTF-8 byte-order mark, as the whole-file reader strips; any other first byte is left to the parse.
    if (b.peek() === BOM[0] && startsWithBom(this.fd)) for (let i = 0; i < BOM.length; i++) b.take();
    const first = b.skipWhitespace();
    let top: Level | Ranges;
    if (first === OPEN_BRACKET) top = this.elements();
    else if (first === OPEN_BRACE) top = this.object(0);
    else {
      const start = b.offset();
      b.skipValue(AT_TOP);
      // A scalar at the top is valid JSON but no tool list; parsing it says which (and checks it).
      const value = parseAt(this.fd, start, b.offset(), AT_TOP);
      if (b.skipWhitespace() !== -1) throw new SyntaxAt(b.offset(), AFTER_TOP, b.offset() + PROBE_TAIL);
      throw notAToolList(this.path, `holds a ${value === null ? 'null' : typeof value}, not a tool list`);
    }
    if (b.skipWhitespace() !== -1) throw new SyntaxAt(b.offset(), AFTER_TOP, b.offset() + PROBE_TAIL);
    return { top };
  }

  private elements(): Ranges {
    const b = this.bytes;
    const starts: number[] = [];
    const ends: number[] = [];
    this.arrays.push({ starts, ends });
    b.take();
    if (b.skipWhitespace() === CLOSE_BRACKET) {
      b.take();
      return { starts, ends };
    }
    for (;;) {
      b.skipWhitespace();
      starts.push(b.offset());
      const state = starts.length === 1 ? FIRST_ELEMENT : NEXT_ELEMENT;
      b.skipValue(state);
      ends.push(b.offset());
      const next = b.skipWhitespace();
      if (next !== COMMA && next !== CLOSE_BRACKET) throw new SyntaxAt(b.offset(), state + AFTER, b.offset() + PROBE_TAIL);
      b.take();
      if (next === CLOSE_BRACKET) return { starts, ends };
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
    // The probe prefix for this key: the object's first, or a later one.
    let state = FIRST_KEY;
    for (; ; state = NEXT_KEY) {
      if (b.skipWhitespace() !== QUOTE) throw new SyntaxAt(b.offset(), state, b.offset() + PROBE_TAIL);
      const keyStart = b.offset();
      b.skipValue(state);
      const key = parseAt(this.fd, keyStart, b.offset(), state) as string;
      if (b.skipWhitespace() !== COLON) throw new SyntaxAt(b.offset(), state + AFTER_KEY, b.offset() + PROBE_TAIL);
      b.take();
      const first = b.skipWhitespace();
      if (key === 'tools' && first === OPEN_BRACKET) level.tools = this.elements();
      else if (key === 'result' && depth === 0 && first === OPEN_BRACE) level.result = this.object(1);
      else {
        const start = b.offset();
        b.skipValue(state + VALUE);
        const value = parseAt(this.fd, start, b.offset(), state + VALUE);
        if (key === 'tools') level.tools = 'other';
        else if (key === 'result' && depth === 0) level.result = 'other';
        // A key named __proto__ stays an ordinary key, as JSON.parse makes it.
        else Object.defineProperty(level.values, key, { value, enumerable: true, writable: true, configurable: true });
      }
      if (this.closes(state)) return level;
    }
  }

  /** After a value: true at the object's closing brace, false after a comma. */
  private closes(state: string): boolean {
    const b = this.bytes;
    const next = b.skipWhitespace();
    if (next !== COMMA && next !== CLOSE_BRACE) throw new SyntaxAt(b.offset(), state + VALUE + AFTER, b.offset() + PROBE_TAIL);
    b.take();
    return next === CLOSE_BRACE;
  }
}

/** A level's tools array, or the form of a "tools" that is not an array. */
function toolsOf(tools: NonNullable<Level['tools']>): Ranges & { form: 'object' | 'not-array' } {
  return tools === 'other' ? { starts: [], ends: [], form: 'not-array' } : { ...tools, form: 'object' };
}

/**
 * A JSON tool list read tool by tool: `{"tools": [...]}`, a JSON-RPC response carrying one, or a bare
 * array, chosen as loadManifest chooses. Never holds more than one tool's text (and one read window) at
 * once. Throws McpRiskError: INPUT_NOT_FOUND, INPUT_INVALID (with line and column), NOT_A_TOOL_LIST (a
 * scalar at the top); whether the rest is a tool list is the caller's to say, from `layout.form`.
 */
export class StreamedToolList {
  readonly layout: ToolListLayout;
  private readonly fd: number;
  /** Tools arrays not read that lie after the one read; their syntax is checked at the end of the first read. */
  private skippedAfter: Ranges[] = [];

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

  /**
   * The skeleton, checked so that the first syntax error in the file is the one reported, as reading it
   * whole reports it. The walk only skips over tools, so an error it meets may come after one inside a
   * tool: those are parsed first. A tools array that is not the one read (a repeated key, or `tools`
   * beside `result.tools`) is parsed too: before the chosen array, now; after it, once the first read of
   * the tools is done (skippedAfter).
   */
  private located(): ToolListLayout {
    const skeleton = new Skeleton(this.fd, this.path);
    let top: Level | Ranges;
    try {
      ({ top } = skeleton.document());
    } catch (error) {
      if (error instanceof SyntaxAt) this.checkElements(skeleton.arrays, error.from);
      throw this.inputError(error);
    }
    const layout = this.chosen(top);
    const chosenAt = layout.starts[0] ?? Infinity;
    const skipped = skeleton.arrays.filter((array) => array.starts !== layout.starts && array.starts.length > 0);
    this.checkElements(
      skipped.filter((array) => array.starts[0]! < chosenAt),
      Infinity,
    );
    this.skippedAfter = skipped.filter((array) => array.starts[0]! > chosenAt);
    return layout;
  }

  /** Parses, in file order, each element that starts before `before`; the first syntax error stops with INPUT_INVALID. */
  private checkElements(arrays: readonly Ranges[], before: number): void {
    for (const { starts, ends } of arrays) {
      for (let i = 0; i < ends.length && starts[i]! < before; i++) this.guard(() => parseAt(this.fd, starts[i]!, ends[i]!, FIRST_ELEMENT));
    }
  }

  private chosen(top: Level | Ranges): ToolListLayout {
    if ('starts' in top) return { ...top, meta: {}, document: {}, form: 'array' };
    const document = top.values;
    if (top.tools !== undefined) return { ...toolsOf(top.tools), meta: document, document };
    // A saved JSON-RPC response: {"jsonrpc": "2.0", "id": 1, "result": {"tools": [...]}}.
    if (top.result !== undefined && top.result !== 'other' && top.result.tools !== undefined) {
      return { ...toolsOf(top.result.tools), meta: { ...document, ...top.result.values }, document };
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
      yield this.guard(() => parseText(text, start, end, FIRST_ELEMENT));
    }
    const after = this.skippedAfter;
    this.skippedAfter = [];
    this.checkElements(after, Infinity);
  }

  close(): void {
    closeSync(this.fd);
  }

  /** Runs `work`, turning a syntax error at a byte offset into INPUT_INVALID at a line and column. */
  private guard<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw this.inputError(error);
    }
  }

  private inputError(error: unknown): unknown {
    return error instanceof SyntaxAt ? this.described(error) : error;
  }

  /**
   * INPUT_INVALID saying what reading the file whole says: V8's message for the probe (its first clause,
   * with the position moved from the probe to the file), at the line and column where our own scanner
   * finds the first bad character.
   */
  private described(error: SyntaxAt): McpRiskError {
    const { prefix, from } = error;
    const start = placeOf(this.fd, from);
    if (error.fixed !== undefined) return invalidJson(this.path, start, error.fixed, error);
    // Bounded by the longest string (a value that long is cut, and said to end there).
    const probe = prefix + readText(this.fd, from, Math.min(error.to, from + bufferConstants.MAX_STRING_LENGTH - prefix.length));
    let message = 'invalid JSON';
    try {
      JSON.parse(probe);
    } catch (parseError) {
      message = firstClause(parseError);
    }
    message = message.replace(/ at position (\d+)$/, (_, at: string) => ` at position ${start.units + Number(at) - prefix.length}`);
    const at = jsonErrorOffset(probe);
    // Where our scanner cannot say (nesting too deep for it), the whole read gives no place either.
    return invalidJson(this.path, at === undefined ? undefined : advance(start, probe.slice(prefix.length, Math.max(at, prefix.length))), message, error);
  }
}
