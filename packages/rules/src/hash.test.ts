import { describe, expect, it } from 'vitest';
import { canonicalJson, fnv1a64, hashMappedValues } from './hash.ts';

function referenceFnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}

describe('fnv1a64', () => {
  it.each([
    ['', 'cbf29ce484222325'],
    ['a', 'af63dc4c8601ec8c'],
    ['foobar', '85944171f73967e8'],
  ])('matches the published vector for %j', (text, expected) => {
    expect(fnv1a64(text)).toBe(expected);
  });

  it.each(['Ada Lovelace', 'Crème brûlée €', '😀 emoji', 'x'.repeat(1000)])('matches a BigInt reference for %j', (text) => {
    expect(fnv1a64(text)).toBe(referenceFnv1a64(text));
  });
});

describe('hashMappedValues', () => {
  it('is stable under key order, at every level', () => {
    const a = { email: 'a@b.co', attributes: { FIRSTNAME: 'Ada', LASTNAME: 'L' }, sms: '+33612345678' };
    const b = { sms: '+33612345678', attributes: { LASTNAME: 'L', FIRSTNAME: 'Ada' }, email: 'a@b.co' };
    expect(hashMappedValues(a)).toBe(hashMappedValues(b));
    expect(hashMappedValues(a)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('tells values apart, including empty vs missing vs null', () => {
    const hashes = [
      { FIRSTNAME: 'Ada' },
      { FIRSTNAME: 'Ada ' },
      { FIRSTNAME: '' },
      { FIRSTNAME: null },
      {},
      { FIRSTNAME: 1 },
      { FIRSTNAME: '1' },
    ].map(hashMappedValues);
    expect(new Set(hashes).size).toBe(hashes.length);
  });

  it('treats an undefined property as missing, as JSON does', () => {
    expect(hashMappedValues({ a: 1, b: undefined })).toBe(hashMappedValues({ a: 1 }));
    expect(canonicalJson({ b: [1, { d: 2, c: 3 }], a: new Date('2024-01-01T00:00:00Z') })).toBe(
      '{"a":"2024-01-01T00:00:00.000Z","b":[1,{"c":3,"d":2}]}',
    );
  });
});
