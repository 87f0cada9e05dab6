import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox, parseEncryptionKeys, secretBoxFromEnv, SecretError, type SealedSecret } from './secret-box.ts';

const keyA = randomBytes(32).toString('base64');
const keyB = randomBytes(32).toString('base64');

function flipFirstByte(base64: string): string {
  const bytes = Buffer.from(base64, 'base64');
  bytes[0] = bytes[0]! ^ 0x01;
  return bytes.toString('base64');
}

describe('secret box', () => {
  const box = secretBoxFromEnv(`a:${keyA}`, 'a');

  it('round-trips and never stores the plaintext', () => {
    const sealed = box.seal('00D000000000001!AQ.secret-token');
    expect(sealed.kid).toBe('a');
    expect(JSON.stringify(sealed)).not.toContain('secret-token');
    expect(box.open(sealed)).toBe('00D000000000001!AQ.secret-token');
  });

  it('uses a fresh IV each time', () => {
    expect(box.seal('same').data).not.toBe(box.seal('same').data);
  });

  it.each(['data', 'iv', 'tag'] as const)('detects tampering with %s', (part) => {
    const sealed = box.seal('xkeysib-abc');
    const tampered: SealedSecret = { ...sealed, [part]: flipFirstByte(sealed[part]) };
    expect(() => box.open(tampered)).toThrow(SecretError);
  });

  it('binds the context: a value moved to another record does not open', () => {
    const sealed = box.seal('token', 'integration:1:salesforce');
    expect(box.open(sealed, 'integration:1:salesforce')).toBe('token');
    expect(() => box.open(sealed, 'integration:2:salesforce')).toThrow(/failed authentication/);
    expect(() => box.open(sealed)).toThrow(SecretError);
  });

  it('rotates: old values open with the old key listed, reseal moves them to the current key', () => {
    const old = box.seal('refresh-token', 'ctx');
    const rotated = secretBoxFromEnv(`b:${keyB},a:${keyA}`, 'b');
    expect(rotated.open(old, 'ctx')).toBe('refresh-token');
    expect(rotated.needsReseal(old)).toBe(true);
    const resealed = rotated.reseal(old, 'ctx');
    expect(resealed.kid).toBe('b');
    expect(rotated.needsReseal(resealed)).toBe(false);
    expect(secretBoxFromEnv(`b:${keyB}`, 'b').open(resealed, 'ctx')).toBe('refresh-token');
    expect(() => secretBoxFromEnv(`b:${keyB}`, 'b').open(old, 'ctx')).toThrow(expect.objectContaining({ code: 'secret_key_unknown' }));
  });

  it('refuses malformed key lists', () => {
    expect(() => parseEncryptionKeys('')).toThrow(/no key/);
    expect(() => parseEncryptionKeys('a:c2hvcnQ=')).toThrow(/32 bytes/);
    expect(() => parseEncryptionKeys(`a:${keyA},a:${keyB}`)).toThrow(/twice/);
    expect(() => parseEncryptionKeys(keyA)).toThrow(SecretError);
    expect(() => parseEncryptionKeys(`a:${keyA},`)).toThrow(/stray comma/);
    expect(() => parseEncryptionKeys(`a:${keyA},,b:${keyB}`)).toThrow(/stray comma/);
    expect(() => parseEncryptionKeys(`a:${keyA}!!`)).toThrow(/plain base64/);
    expect(() => createSecretBox(parseEncryptionKeys(`a:${keyA}`), 'b')).toThrow(/not listed/);
  });
});
