import { signHostToken } from '@contact-sync/api/host-token';

/** The BFF's development defaults (apps/bff/src/config.ts); the benchmark stack does not override them. */
const HOST_JWT = {
  secret: process.env.HOST_JWT_SECRET ?? 'dev-only-host-jwt-secret-change-me-32chars',
  issuer: process.env.HOST_JWT_ISSUER ?? 'brevo-host-demo',
  audience: process.env.HOST_JWT_AUDIENCE ?? 'contact-sync-bff',
};

/** A host token as the host demo mints it (valid 5 minutes: mint one per measurement). */
export function hostToken(accountId: string, plan = 'BrevoPlus'): Promise<string> {
  return signHostToken({ sub: `user_${accountId}`, accountId, plan, email: `marketing@${accountId}.test`, locale: 'en' }, HOST_JWT);
}
