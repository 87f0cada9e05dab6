import { signHostToken } from '@contact-sync/api/host-token';
import { DEV_HOST_JWT_SECRET } from '@contact-sync/secrets';

/** The BFF's development defaults; the benchmark stack does not override them. */
const HOST_JWT = {
  secret: process.env.HOST_JWT_SECRET ?? DEV_HOST_JWT_SECRET,
  issuer: process.env.HOST_JWT_ISSUER ?? 'brevo-host-demo',
  audience: process.env.HOST_JWT_AUDIENCE ?? 'contact-sync-bff',
};

/** A host token as the host demo mints it (valid 5 minutes: mint one per measurement). */
export function hostToken(accountId: string, plan = 'BrevoPlus'): Promise<string> {
  return signHostToken({ sub: `user_${accountId}`, accountId, plan, email: `marketing@${accountId}.test`, locale: 'en' }, HOST_JWT);
}
