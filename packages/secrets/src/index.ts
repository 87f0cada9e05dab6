export {
  createSecretBox,
  DEV_ENCRYPTION_KEY_ID,
  DEV_ENCRYPTION_KEYS,
  KEY_BYTES,
  parseEncryptionKeys,
  secretBoxFromEnv,
  SecretError,
  type SealedSecret,
  type SecretBox,
} from './secret-box.ts';
export { encryptionEnv, refineEncryptionKeyId } from './encryption-env.ts';
