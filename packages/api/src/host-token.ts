import { SignJWT } from 'jose';
import { HOST_TOKEN_MAX_TTL_SECONDS, type HostTokenClaimsInput } from './host-token-claims.ts';

export { HOST_TOKEN_MAX_TTL_SECONDS, hostTokenClaimsSchema, type HostTokenClaims, type HostTokenClaimsInput } from './host-token-claims.ts';

export interface SignHostTokenOptions {
  secret: string;
  issuer: string;
  audience: string;
  ttlSeconds?: number;
  /** Seconds since the epoch; defaults to now. */
  now?: number;
}

/** How a host (the host demo, tests) mints the short-lived JWT the BFF accepts. Server side only. */
export async function signHostToken(claims: HostTokenClaimsInput, options: SignHostTokenOptions): Promise<string> {
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const ttl = Math.min(options.ttlSeconds ?? HOST_TOKEN_MAX_TTL_SECONDS, HOST_TOKEN_MAX_TTL_SECONDS);
  const { sub, ...rest } = claims;
  return new SignJWT({ ...rest })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + ttl)
    .sign(new TextEncoder().encode(options.secret));
}
