import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../electron/main/registry';

describe('canonicalJson', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  it('is independent of insertion order', () => {
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
  });

  it('sorts by UTF-16 code units as RFC 8785 does', () => {
    // "é" (U+00E9) sorts after "z", and uppercase before lowercase.
    expect(canonicalJson({ é: 1, z: 2, Z: 3, a: 4 })).toBe('{"Z":3,"a":4,"z":2,"é":1}');
  });

  it('escapes strings as JSON and keeps numbers in their shortest form', () => {
    expect(canonicalJson({ s: 'line\n"quote"\u0001', n: 1e21, f: 0.1, neg: -0 })).toBe(
      '{"f":0.1,"n":1e+21,"neg":0,"s":"line\\n\\"quote\\"\\u0001"}',
    );
  });

  it('skips undefined properties, as JSON does', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
  });

  it.each([
    ['NaN', { n: Number.NaN }],
    ['Infinity', { n: Number.POSITIVE_INFINITY }],
    ['bigint', { n: 10n }],
    ['a function', { f: () => 1 }],
    ['a Date', { d: new Date(0) }],
    ['a Buffer', { b: Buffer.from('x') }],
    ['undefined in an array', [1, undefined]],
  ])('refuses %s instead of writing something lossy', (_label, value) => {
    expect(() => canonicalJson(value)).toThrow(TypeError);
  });

  it('accepts objects without a prototype', () => {
    const bare = Object.create(null) as Record<string, number>;
    bare.k = 1;
    expect(canonicalJson(bare)).toBe('{"k":1}');
  });
});
