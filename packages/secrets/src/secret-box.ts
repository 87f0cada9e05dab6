import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM sealing of short secrets (OAuth tokens, API keys) for storage.
 * Each sealed value names the key that sealed it (`kid`), so keys rotate:
 * list the new key first in ENCRYPTION_KEYS, make it ENCRYPTION_KEY_ID, keep
 * the old ones listed until `reseal` has rewritten every value.
 *
 * An optional context (e.g. `integration:<id>:salesforce`) is bound as
 * additional authenticated data: a value copied to another record does not open.
 */
export interface SealedSecret {
  v: 1;
  kid: string;
  iv: string;
  tag: string;
  data: string;
}

export class SecretError extends Error {
  constructor(
    readonly code: 'secret_key_unknown' | 'secret_invalid' | 'secret_keys_invalid',
    message: string,
  ) {
    super(message);
    this.name = 'SecretError';
  }
}

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_BYTES = 32;

export interface SecretBox {
  readonly currentKeyId: string;
  seal(plaintext: string, context?: string): SealedSecret;
  /** Throws SecretError when the key is unknown or the value was tampered with. */
  open(sealed: SealedSecret, context?: string): string;
  /** Whether the value was sealed with another key than the current one. */
  needsReseal(sealed: SealedSecret): boolean;
  /** The same plaintext sealed with the current key (a fresh IV either way). */
  reseal(sealed: SealedSecret, context?: string): SealedSecret;
}

/** `kid:base64,kid:base64` → key map; every key must decode to 32 bytes. */
export function parseEncryptionKeys(spec: string): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  if (!spec.trim()) throw new SecretError('secret_keys_invalid', 'no key listed');
  for (const entry of spec.split(',').map((part) => part.trim())) {
    // A stray comma is a mistake in the list, not an empty key to skip: say so.
    if (!entry) throw new SecretError('secret_keys_invalid', 'has an empty entry (a stray comma)');
    const separator = entry.indexOf(':');
    const kid = separator > 0 ? entry.slice(0, separator).trim() : '';
    const text = entry.slice(separator + 1).trim();
    const key = Buffer.from(text, 'base64');
    if (!/^[A-Za-z0-9_.-]{1,32}$/.test(kid)) {
      throw new SecretError('secret_keys_invalid', 'each key must be "kid:base64" with a kid of letters, digits, _ . -');
    }
    if (key.length !== KEY_BYTES) throw new SecretError('secret_keys_invalid', `key "${kid}" must be ${KEY_BYTES} bytes (base64)`);
    // Node's decoder skips what is not base64: a key with stray characters would decode all the same.
    if (text !== key.toString('base64') && text !== key.toString('base64url')) throw new SecretError('secret_keys_invalid', `key "${kid}" is not plain base64`);
    if (keys.has(kid)) throw new SecretError('secret_keys_invalid', `key "${kid}" is listed twice`);
    keys.set(kid, key);
  }
  if (keys.size === 0) throw new SecretError('secret_keys_invalid', 'no key listed');
  return keys;
}

export function createSecretBox(keys: ReadonlyMap<string, Buffer>, currentKeyId: string): SecretBox {
  const current = keys.get(currentKeyId);
  if (!current) throw new SecretError('secret_keys_invalid', `the current key "${currentKeyId}" is not listed`);

  const seal = (plaintext: string, context?: string): SealedSecret => {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, current, iv, { authTagLength: TAG_BYTES });
    if (context !== undefined) cipher.setAAD(Buffer.from(context, 'utf8'));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { v: 1, kid: currentKeyId, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
  };

  const open = (sealed: SealedSecret, context?: string): string => {
    if (sealed?.v !== 1) throw new SecretError('secret_invalid', 'unknown sealed secret version');
    const key = keys.get(sealed.kid);
    if (!key) throw new SecretError('secret_key_unknown', `no key "${sealed.kid}" is configured`);
    const iv = Buffer.from(sealed.iv, 'base64');
    const tag = Buffer.from(sealed.tag, 'base64');
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new SecretError('secret_invalid', 'malformed sealed secret');
    try {
      const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
      if (context !== undefined) decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      // GCM refuses any change to data, iv, tag, key or context with the same error.
      throw new SecretError('secret_invalid', 'sealed secret failed authentication');
    }
  };

  return {
    currentKeyId,
    seal,
    open,
    needsReseal: (sealed) => sealed.kid !== currentKeyId,
    reseal: (sealed, context) => seal(open(sealed, context), context),
  };
}

/** Builds the box from the ENCRYPTION_KEYS / ENCRYPTION_KEY_ID variables' values. */
export function secretBoxFromEnv(encryptionKeys: string, encryptionKeyId: string): SecretBox {
  return createSecretBox(parseEncryptionKeys(encryptionKeys), encryptionKeyId);
}
