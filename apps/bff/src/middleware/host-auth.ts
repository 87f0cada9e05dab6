import { HOST_TOKEN_MAX_TTL_SECONDS, hostTokenClaimsSchema } from '@contact-sync/api';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { jwtVerify } from 'jose';
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

/**
 * Verifies the host token: HS256 only (refuses `none` and any RS/ES key
 * confusion), signature with the shared secret, `iss`, `aud`, `exp` and `nbf`
 * with a small tolerance, and at most 5 minutes old (`iat`). Any failure is
 * the same 401: the reason is logged, never answered.
 */
export function createHostAuth(config: Pick<BffConfig, 'HOST_JWT_SECRET' | 'HOST_JWT_ISSUER' | 'HOST_JWT_AUDIENCE'>): RequestHandler {
  const key = new TextEncoder().encode(config.HOST_JWT_SECRET);
  return async (req: Request, res: Response, next: NextFunction) => {
    const token = bearer(req);
    if (!token) return next(new ApiError('unauthorized'));
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
      res.locals.auth = {
        accountId: claims.accountId,
        userId: claims.sub,
        plan: claims.plan,
        email: claims.email,
        locale: claims.locale,
      } satisfies HostAuth;
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
