import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { estimatedEntropyBits, isRepetitive, MIN_SECRET_ENTROPY_BITS, refineProductionSecrets } from './production-secrets.ts';
import { DEV_ADMIN_SECRET, DEV_ENCRYPTION_KEYS, DEV_HOST_JWT_SECRET } from './published-defaults.ts';

const DEV_KEY_BYTES = DEV_ENCRYPTION_KEYS.split(':')[1]!;
const randomKey = () => randomBytes(32).toString('base64');

/** The variables a refinement refuses, for a config of a shared secret, an issued one and keys. */
function refused(config: { SECRET: string; ISSUED: string; KEYS: string }): string[] {
  const schema = z
    .object({ SECRET: z.string(), ISSUED: z.string(), KEYS: z.string() })
    .superRefine((value, ctx) => refineProductionSecrets(value, ctx, { shared: ['SECRET'], issued: ['ISSUED'], encryptionKeys: 'KEYS' }));
  const result = schema.safeParse(config);
  return result.success ? [] : result.error.issues.map((issue) => String(issue.path[0])).sort();
}

const good = () => ({ SECRET: randomBytes(36).toString('base64'), ISSUED: randomBytes(32).toString('hex'), KEYS: `k1:${randomKey()}` });

describe('production secrets', () => {
  it('accepts random values of the usual generators, every time', () => {
    for (let i = 0; i < 200; i += 1) {
      expect(refused(good())).toEqual([]);
      // `openssl rand -hex 16`: 32 hex characters score lowest of the usual forms.
      expect(refused({ ...good(), SECRET: randomBytes(16).toString('hex') })).toEqual([]);
    }
  });

  it.each([
    ['a published default', { SECRET: DEV_HOST_JWT_SECRET }, ['SECRET']],
    ['a published default of another variable', { SECRET: DEV_ADMIN_SECRET }, ['SECRET']],
    ['a published default with a suffix', { SECRET: `${DEV_HOST_JWT_SECRET},` }, ['SECRET']],
    ['32 × a', { SECRET: 'a'.repeat(32) }, ['SECRET']],
    ['a repeated word', { SECRET: 'password1234'.repeat(3) }, ['SECRET']],
    ['too short', { SECRET: randomBytes(12).toString('base64') }, ['SECRET']],
    ['the sandbox client secret as a credential', { ISSUED: 'sandbox-client-secret' }, ['ISSUED']],
    ['the development key bytes under another key id', { KEYS: `prod:${DEV_KEY_BYTES}` }, ['KEYS']],
    ['the development key bytes beside a good key', { KEYS: `k2:${randomKey()},old:${DEV_KEY_BYTES}` }, ['KEYS']],
    ['a key of one repeated byte', { KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}` }, ['KEYS']],
    ['a key of a repeated pattern', { KEYS: `k1:${Buffer.from('0123456789abcdef'.repeat(2)).toString('base64')}` }, ['KEYS']],
  ])('refuses %s', (_case, change, variables) => {
    expect(refused({ ...good(), ...change })).toEqual(variables);
  });

  it('never quotes the value it refuses', () => {
    const schema = z.object({ SECRET: z.string() }).superRefine((value, ctx) => refineProductionSecrets(value, ctx, { shared: ['SECRET'] }));
    const secret = 'x'.repeat(40);
    const result = schema.safeParse({ SECRET: secret });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error)).not.toContain(secret);
  });

  it('estimates entropy from the value’s own symbols, and finds repetitions', () => {
    expect(estimatedEntropyBits('a'.repeat(32))).toBe(0);
    expect(estimatedEntropyBits('ab'.repeat(16))).toBe(32);
    expect(estimatedEntropyBits(randomBytes(32))).toBeGreaterThan(MIN_SECRET_ENTROPY_BITS);
    expect(isRepetitive('abcabcabc')).toBe(true);
    expect(isRepetitive('abcabcab')).toBe(true);
    expect(isRepetitive('abcabxabc')).toBe(false);
    expect(isRepetitive(randomBytes(32))).toBe(false);
  });
});
