import type { z } from 'zod';
import { DEV_ENCRYPTION_KEYS, PUBLISHED_SECRETS } from './published-defaults.ts';
import { parseEncryptionKeys } from './secret-box.ts';

/**
 * A production secret must not be guessable from its shape. The estimate is the value's length times the
 * Shannon entropy of its own characters (or bytes): 32 random base64 characters score about 150, 32 random
 * hex characters 95–120, 32 random bytes about 155, `aaaa…` zero and `abab…` 32. A value that repeats a
 * shorter one (`password1234password1234…`, 108) is refused whatever its score.
 */
export const MIN_SECRET_ENTROPY_BITS = 80;
const MIN_SECRET_LENGTH = 32;

/** Length × Shannon entropy per symbol of the value's own symbol frequencies. */
export function estimatedEntropyBits(symbols: ArrayLike<string | number>): number {
  const counts = new Map<string | number, number>();
  for (let i = 0; i < symbols.length; i += 1) counts.set(symbols[i]!, (counts.get(symbols[i]!) ?? 0) + 1);
  let perSymbol = 0;
  for (const count of counts.values()) {
    const p = count / symbols.length;
    perSymbol -= p * Math.log2(p);
  }
  return perSymbol * symbols.length;
}

/** Whether the value is a shorter unit repeated (its smallest period is at most half its length); KMP prefix function. */
export function isRepetitive(symbols: ArrayLike<string | number>): boolean {
  const n = symbols.length;
  if (n < 2) return true;
  const prefix = new Array<number>(n).fill(0);
  for (let i = 1; i < n; i += 1) {
    let k = prefix[i - 1]!;
    while (k > 0 && symbols[i] !== symbols[k]) k = prefix[k - 1]!;
    if (symbols[i] === symbols[k]) k += 1;
    prefix[i] = k;
  }
  return n - prefix[n - 1]! <= n / 2;
}

const isGuessable = (symbols: ArrayLike<string | number>) => estimatedEntropyBits(symbols) < MIN_SECRET_ENTROPY_BITS || isRepetitive(symbols);

const PUBLISHED_KEYS: readonly Buffer[] = [...parseEncryptionKeys(DEV_ENCRYPTION_KEYS).values()];

/** Why a shared secret may not be used in production, or null. Never quotes the value. */
function sharedSecretProblem(value: string): string | null {
  const trimmed = value.trim();
  if (PUBLISHED_SECRETS.some((published) => trimmed.includes(published))) return 'is (or contains) a published development default; set a secret value in production';
  if (trimmed.length < MIN_SECRET_LENGTH) return `must be at least ${MIN_SECRET_LENGTH} characters in production`;
  if (isGuessable([...trimmed])) return 'is too easy to guess (too few distinct characters, or a repeated pattern); use a random value, e.g. `openssl rand -base64 48`';
  return null;
}

/** Why a key list may not be used in production, or null. A malformed list is reported by its own schema. */
function encryptionKeysProblem(spec: string): string | null {
  let keys: Map<string, Buffer>;
  try {
    keys = parseEncryptionKeys(spec);
  } catch {
    return null;
  }
  for (const [kid, key] of keys) {
    if (PUBLISHED_KEYS.some((published) => published.equals(key))) return `key "${kid}" is the published development key (under another name or not); generate one with \`openssl rand -base64 32\``;
    if (isGuessable(key)) return `key "${kid}" is too easy to guess (too few distinct bytes, or a repeated pattern); generate one with \`openssl rand -base64 32\``;
  }
  return null;
}

export interface ProductionSecrets<C> {
  /** Secrets we share with the host or operators (JWT, admin): no published value, long and random enough. */
  shared?: readonly (keyof C & string)[];
  /** Credentials others issue (a connected app's secret): only no published value. */
  issued?: readonly (keyof C & string)[];
  /** The `ENCRYPTION_KEYS` variable: no published key bytes under any key id, each key random enough. */
  encryptionKeys?: keyof C & string;
}

/**
 * For a `superRefine` of an app's configuration when NODE_ENV=production:
 * every process that holds secrets (BFF, worker) refuses public or guessable
 * ones at start, each refusal naming its variable and never its value.
 */
export function refineProductionSecrets<C extends Record<string, unknown>>(config: C, ctx: z.RefinementCtx, secrets: ProductionSecrets<C>): void {
  const refuse = (variable: string, message: string | null) => {
    if (message) ctx.addIssue({ code: 'custom', path: [variable], message });
  };
  for (const name of secrets.shared ?? []) {
    if (typeof config[name] === 'string') refuse(name, sharedSecretProblem(config[name]));
  }
  for (const name of secrets.issued ?? []) {
    const value = config[name];
    if (typeof value === 'string' && PUBLISHED_SECRETS.includes(value.trim())) refuse(name, 'is a published development default; set your own in production');
  }
  const keys = secrets.encryptionKeys;
  if (keys && typeof config[keys] === 'string') refuse(keys, encryptionKeysProblem(config[keys]));
}
