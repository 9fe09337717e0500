// safeText against real escape sequences and invisible characters from a hostile server.
import { describe, expect, it } from 'vitest';
import { safeText } from '../../src/output/index.js';

/** Nothing a terminal would act on or hide may survive. */
const DANGEROUS = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]|[\u{e0000}-\u{e007f}]/u;

describe('safeText', () => {
  it('neutralises a screen-clearing CSI sequence', () => {
    const out = safeText('hello\x1b[2Jworld');
    expect(out).toBe('hello\\x1b[2Jworld');
    expect(out).not.toMatch(DANGEROUS);
  });

  it('neutralises an OSC 8 hyperlink terminated by BEL and by ST', () => {
    expect(safeText('\x1b]8;;http://evil\x07click\x1b]8;;\x07')).toBe('\\x1b]8;;http://evil\\x07click\\x1b]8;;\\x07');
    expect(safeText('\x1b]0;title\x1b\\')).toBe('\\x1b]0;title\\x1b\\');
  });

  it('neutralises 8-bit C1 controls such as CSI (0x9b) and DEL', () => {
    expect(safeText('a\x9b2Jb\x7fc\x85')).toBe('a\\x9b2Jb\\x7fc\\x85');
  });

  it('makes bidi overrides, isolates and zero-width characters visible', () => {
    const out = safeText('safe\u202etxt.exe\u2066x\u2069\u200bz\ufeff');
    expect(out).toBe('safe\\u202etxt.exe\\u2066x\\u2069\\u200bz\\ufeff');
    expect(out).not.toMatch(DANGEROUS);
  });

  it('makes hidden Unicode tag characters visible', () => {
    const smuggled = 'ok' + String.fromCodePoint(0xe0049, 0xe0067);
    expect(safeText(smuggled)).toBe('ok\\u{e0049}\\u{e0067}');
  });

  it('turns line breaks into one space by default and into \\n escapes on request', () => {
    expect(safeText('line one\r\n\r\nline two\ttab')).toBe('line one line two tab');
    expect(safeText('a\nb\rc\td', 100, { newlines: 'escape' })).toBe('a\\nb\\rc\\td');
    expect(safeText('a\u2028b')).toBe('a b');
  });

  it('replaces a lone surrogate with U+FFFD and keeps ordinary Unicode', () => {
    expect(safeText('x\ud800y')).toBe('x\ufffdy');
    expect(safeText('Café 日本 🚀')).toBe('Café 日本 🚀');
  });

  it('bounds the length with an ellipsis, counting escapes and never splitting one', () => {
    expect(safeText('abcdefghij', 5)).toBe('abcd…');
    expect(safeText('abcde', 5)).toBe('abcde');
    const cut = safeText('abc\x1b[2J', 6);
    expect(cut).toBe('abc…');
    expect([...safeText('x'.repeat(1_000_000))].length).toBe(1000);
  });

  it('accepts non-strings defensively', () => {
    expect(safeText(undefined)).toBe('');
    expect(safeText(42)).toBe('42');
  });
});
