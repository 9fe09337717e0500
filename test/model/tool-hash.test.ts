import { describe, expect, it } from 'vitest';
import { canonicalJson, hashToolDefinition } from '../../src/model/index.js';

// canonicalJson writes most values through a key-sorted copy and native JSON.stringify, and falls back
// to its own walk where a copy could not keep the order. Both ways must give the same bytes: stored
// hashes depend on them.
describe('canonicalJson', () => {
  it('sorts keys at every depth by code unit and drops undefined members', () => {
    expect(canonicalJson({ b: [1, { d: null, c: 'x' }], a: undefined, e: true, Z: 0, é: 1 })).toBe('{"Z":0,"b":[1,{"c":"x","d":null}],"e":true,"é":1}');
    expect(canonicalJson([undefined, 'a'])).toBe('[null,"a"]');
  });

  it('keeps index-like keys in code-unit order, as the walk does (an object would list them first, numerically)', () => {
    expect(canonicalJson({ b: 1, '10': 2, '2': 3, a: { '1': 0, x: 1 } })).toBe('{"10":2,"2":3,"a":{"1":0,"x":1},"b":1}');
  });

  it('keeps a key named __proto__ as a key', () => {
    const parsed = JSON.parse('{"z":1,"__proto__":{"polluted":true}}') as unknown;
    expect(canonicalJson(parsed)).toBe('{"__proto__":{"polluted":true},"z":1}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('gives the same text past the copy depth, where the walk takes over', () => {
    let deep: unknown = { y: 1, x: 'leaf' };
    for (let i = 0; i < 400; i++) deep = { b: deep, a: [i] };
    let expected = '{"x":"leaf","y":1}';
    for (let i = 0; i < 400; i++) expected = `{"a":[${i}],"b":${expected}}`;
    expect(canonicalJson(deep)).toBe(expected);
  });

  it('hashes equal definitions equal whatever their key order', () => {
    const a = { name: 't', description: 'd', inputSchema: { type: 'object', properties: { q: { type: 'string', description: 'x' } } } };
    const b = { inputSchema: { properties: { q: { description: 'x', type: 'string' } }, type: 'object' }, description: 'd', name: 't' };
    expect(hashToolDefinition(a)).toBe(hashToolDefinition(b));
    expect(hashToolDefinition(a)).not.toBe(hashToolDefinition({ ...a, description: 'e' }));
  });
});
