import { z } from 'zod';
import { DEV_ENCRYPTION_KEY_ID, DEV_ENCRYPTION_KEYS } from './published-defaults.ts';
import { parseEncryptionKeys } from './secret-box.ts';

/**
 * `ENCRYPTION_KEYS` and `ENCRYPTION_KEY_ID` as every app that seals or opens
 * secrets reads them: spread into the app's configuration schema and add
 * `refineEncryptionKeyId` to its `superRefine`, so a malformed key list or an
 * unknown current key stops the app at start with the variable's name.
 */
export const encryptionEnv = {
  ENCRYPTION_KEYS: z
    .string()
    .default(DEV_ENCRYPTION_KEYS)
    .superRefine((value, ctx) => {
      try {
        parseEncryptionKeys(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    }),
  ENCRYPTION_KEY_ID: z.string().min(1).default(DEV_ENCRYPTION_KEY_ID),
};

export function refineEncryptionKeyId(config: { ENCRYPTION_KEYS: string; ENCRYPTION_KEY_ID: string }, ctx: z.RefinementCtx): void {
  let keys: Map<string, Buffer>;
  try {
    keys = parseEncryptionKeys(config.ENCRYPTION_KEYS);
  } catch {
    return; // reported on ENCRYPTION_KEYS itself
  }
  if (!keys.has(config.ENCRYPTION_KEY_ID)) {
    ctx.addIssue({ code: 'custom', path: ['ENCRYPTION_KEY_ID'], message: 'must name one of the keys in ENCRYPTION_KEYS' });
  }
}
