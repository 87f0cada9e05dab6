export { createSecretBox, KEY_BYTES, parseEncryptionKeys, secretBoxFromEnv, SecretError, type SealedSecret, type SecretBox } from './secret-box.ts';
export { encryptionEnv, refineEncryptionKeyId } from './encryption-env.ts';
export {
  DEV_ADMIN_SECRET,
  DEV_ENCRYPTION_KEY_ID,
  DEV_ENCRYPTION_KEYS,
  DEV_HOST_JWT_SECRET,
  PUBLISHED_SECRETS,
  SANDBOX_SALESFORCE_CLIENT_SECRET,
} from './published-defaults.ts';
export { estimatedEntropyBits, isRepetitive, MIN_SECRET_ENTROPY_BITS, refineProductionSecrets, type ProductionSecrets } from './production-secrets.ts';
export { bearerMatcher, metricsAccess, metricsClosedWarning, metricsTokenEnv, type MetricsAccess } from './metrics-token.ts';
export { isSecretField, LOG_REDACTION, redactLogLine } from './log-redaction.ts';
