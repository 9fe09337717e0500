// oneLine, truncate and plural: the shared helpers every stage uses for hostile text and counted nouns.
import { describe, expect, it } from 'vitest';
import { escapeHiddenInJson, hasHiddenCharacters, oneLine, plural, truncate } from '../../src/output/index.js';

describe('oneLine', () => {
  it('makes one line: breaks and runs of whitespace become one space, ends trimmed', () => {
    expect(oneLine('  line one\r\n\r\n\tline two  ', 100)).toBe('line one line two');
  });

  it('turns escape sequences, bidi overrides and zero-width characters into spaces by default', () => {
    expect(oneLine('a\u001b[31mred\u0007\r\nb', 100)).toBe('a [31mred b');
    expect(oneLine('safe\u202etxt\u200bz', 100)).toBe('safe txt z');
  });

  it('drops them on request, so a name keeps its letters together', () => {
    expect(oneLine('a\u202eb\u200bc\u001b[31m', 100, { hidden: 'drop' })).toBe('abc[31m');
    expect(oneLine('ok' + String.fromCodePoint(0xe0049, 0xe0067), 100, { hidden: 'drop' })).toBe('ok');
  });

  it('bounds the result in code points, with an ellipsis unless asked for a plain cut', () => {
    expect(oneLine('abcdefghij', 5)).toBe('abcd…');
    expect(oneLine('abc defghij', 4, { ellipsis: false })).toBe('abc');
    expect([...oneLine('🚀'.repeat(10), 5)]).toHaveLength(5);
    expect(oneLine('x'.repeat(1_000_000), 300)).toHaveLength(300);
  });

  it('accepts non-strings defensively', () => {
    expect(oneLine(undefined, 10)).toBe('');
    expect(oneLine(42, 10)).toBe('42');
  });
});

describe('truncate', () => {
  it('never splits a surrogate pair', () => {
    expect(truncate('🚀🚀🚀', 2)).toBe('🚀…');
    expect(truncate('abc', 3)).toBe('abc');
  });
});

describe('hasHiddenCharacters', () => {
  it('sees controls, bidi, zero-width and tag characters, and not ordinary Unicode', () => {
    for (const s of ['a\u001b', 'a\u202eb', 'a\u200b', 'a\ufeff', 'a\u2028', 'a' + String.fromCodePoint(0xe0041)]) expect(hasHiddenCharacters(s)).toBe(true);
    expect(hasHiddenCharacters('Café 日本 🚀 a-b_c')).toBe(false);
  });
});

describe('plural', () => {
  it('counts a noun', () => {
    expect(plural(1, 'tool')).toBe('1 tool');
    expect(plural(0, 'tool')).toBe('0 tools');
    expect(plural(2, 'match', 'matches')).toBe('2 matches');
  });
});

describe('escapeHiddenInJson', () => {
  const hostile = `Reads a file.\u{E0049}\u{E0047}\u{E004E} \u202Eevil\u202C zero\u200Bwidth \u0085c1 \u007Fdel`;
  it('writes every hidden character as an escape, and parses back to the same value', () => {
    const json = escapeHiddenInJson(JSON.stringify({ description: hostile }, null, 2));
    expect(hasHiddenCharacters(json.replace(/[ \n]/g, ''))).toBe(false);
    expect(json).toContain('\\udb40\\udc49');
    expect(json).toContain('\\u202e');
    expect((JSON.parse(json) as { description: string }).description).toBe(hostile);
  });
  it('leaves layout and ordinary text alone', () => {
    const plain = JSON.stringify({ a: 'tab\there', b: ['x', 'ü ✓'] }, null, 2);
    expect(escapeHiddenInJson(plain)).toBe(plain);
  });
  it('escapes a hidden character in text that is otherwise plain ASCII (the quick check must not skip it)', () => {
    for (const c of ['\u000b', '\u001b', '\u007f', '\u0085', '\u200b', '\ufeff', '\u{E0041}']) {
      const json = escapeHiddenInJson(`{"a":"x${c}y"}`);
      expect(hasHiddenCharacters(json), JSON.stringify(c)).toBe(false);
      expect((JSON.parse(json) as { a: string }).a).toBe(`x${c}y`);
    }
  });
});
