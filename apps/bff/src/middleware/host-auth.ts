import { HOST_TOKEN_MAX_TTL_SECONDS, hostTokenClaimsSchema } from '@contact-sync/api';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { jwtVerify } from 'jose';
import type {} from './request-log.ts'; // req.log
import type { BffConfig } from '../config.ts';
import { ApiError } from '../errors.ts';

/** Who is calling, from the host's verified JWT (SPEC §5). */
export interface HostAuth {
  accountId: string;
  userId: string;
  plan: string;
  email: string;
  locale: string;
}

/** Clock skew accepted between the host and the BFF. */
export const CLOCK_TOLERANCE_SECONDS = 30;

function bearer(req: Request): string | null {
  const header = req.get('authorization');
  const match = header ? /^Bearer ([A-Za-z0-9_\-.]+)$/.exec(header) : null;
  return match?.[1] ?? null;
}

/** Verified tokens remembered per process (a few hundred bytes each). */
const VERIFIED_TOKENS_KEPT = 10_000;

/**
 * Tokens this process has verified, each until the moment it would stop
 * verifying (`exp`, or 5 minutes after `iat`, plus the tolerance). A page sends
 * the same token with each of its requests, and checking its HMAC again
 * (WebCrypto) costs more than answering the integration list from its cache.
 * Only the exact token string is remembered; a refused one never is.
 */
function verifiedTokens() {
  const kept = new Map<string, { auth: HostAuth; validUntilMs: number }>();
  return {
    find(token: string): HostAuth | null {
      const found = kept.get(token);
      if (!found) return null;
      if (Date.now() < found.validUntilMs) return found.auth;
      kept.delete(token);
      return null;
    },
    remember(token: string, auth: HostAuth, claims: { exp: number; iat: number }) {
      const validUntilMs = (Math.min(claims.exp, claims.iat + HOST_TOKEN_MAX_TTL_SECONDS) + CLOCK_TOLERANCE_SECONDS) * 1000;
      kept.set(token, { auth, validUntilMs });
      for (const oldest of kept.keys()) {
        if (kept.size <= VERIFIED_TOKENS_KEPT) break;
        kept.delete(oldest);
      }
    },
  };
}

/**
 * Verifies the host token: HS256 only (refuses `none` and any RS/ES key
 * confusion), signature with the shared secret, `iss`, `aud`, `exp` and `nbf`
 * with a small tolerance, and at most 5 minutes old (`iat`). Any failure is
 * the same 401: the reason is logged, never answered.
 */
export function createHostAuth(config: Pick<BffConfig, 'HOST_JWT_SECRET' | 'HOST_JWT_ISSUER' | 'HOST_JWT_AUDIENCE'>): RequestHandler {
  const key = new TextEncoder().encode(config.HOST_JWT_SECRET);
  const verified = verifiedTokens();
  return async (req: Request, res: Response, next: NextFunction) => {
    const token = bearer(req);
    if (!token) return next(new ApiError('unauthorized'));
    const known = verified.find(token);
    if (known) {
      res.locals.auth = known;
      return next();
    }
    try {
      const { payload } = await jwtVerify(token, key, {
        algorithms: ['HS256'],
        issuer: config.HOST_JWT_ISSUER,
        audience: config.HOST_JWT_AUDIENCE,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        maxTokenAge: HOST_TOKEN_MAX_TTL_SECONDS,
        requiredClaims: ['exp', 'iat', 'sub'],
      });
      const claims = hostTokenClaimsSchema.parse(payload);
      const auth: HostAuth = {
        accountId: claims.accountId,
        userId: claims.sub,
        plan: claims.plan,
        email: claims.email,
        locale: claims.locale,
      };
      // exp and iat are required claims: jwtVerify refused the token without them.
      verified.remember(token, auth, { exp: payload.exp!, iat: payload.iat! });
      res.locals.auth = auth;
      next();
    } catch (error) {
      req.log?.info({ reason: (error as { code?: string }).code ?? (error as Error).name }, 'host token refused');
      next(new ApiError('unauthorized'));
    }
  };
}

export function authOf(res: Response): HostAuth {
  const auth = res.locals.auth as HostAuth | undefined;
  if (!auth) throw new Error('authOf: route mounted without host authentication');
  return auth;
}
