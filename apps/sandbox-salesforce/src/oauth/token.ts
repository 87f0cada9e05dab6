import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import type { SandboxUser } from '../org/org.ts';
import { CONNECTED_APP, type SandboxState } from '../state.ts';

/**
 * `POST /services/oauth2/token`: authorization_code, refresh_token and
 * password grants. Errors are `{error, error_description}` with 400, as
 * Salesforce sends them (jsforce turns them into an Error named `error`).
 */
function oauthError(res: Response, error: string, description: string, status = 400): void {
  res.status(status).set('Cache-Control', 'no-store').json({ error, error_description: description });
}

function safeEqual(a: string, b: string): boolean {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return ba.length === bb.length && timingSafeEqual(ba, bb);
}

function base64Url(buffer: Buffer): string {
  return buffer.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Salesforce signs `id + issued_at` with the consumer secret (HMAC-SHA256, base64). */
export function tokenSignature(id: string, issuedAt: string): string {
  return createHmac('sha256', CONNECTED_APP.clientSecret).update(id + issuedAt).digest('base64');
}

function tokenResponse(state: SandboxState, user: SandboxUser, refreshToken: string | undefined, includeRefresh: boolean) {
  const access = state.tokens.issueAccess(user.orgId, user.id, refreshToken);
  const id = state.identityUrl(user);
  const issuedAt = String(Date.now());
  return {
    access_token: access.token,
    ...(includeRefresh && refreshToken ? { refresh_token: refreshToken } : {}),
    signature: tokenSignature(id, issuedAt),
    scope: CONNECTED_APP.scope,
    instance_url: state.publicUrl,
    id,
    token_type: 'Bearer',
    issued_at: issuedAt,
  };
}

export function tokenRouter(state: SandboxState): Router {
  const router = express.Router();
  router.post('/services/oauth2/token', express.urlencoded({ extended: false, limit: '32kb' }), (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    res.set('Cache-Control', 'no-store');
    const grant = body.grant_type;
    if (!grant || !['authorization_code', 'refresh_token', 'password'].includes(grant)) {
      oauthError(res, 'unsupported_grant_type', 'grant type not supported');
      return;
    }
    if (body.client_id !== CONNECTED_APP.clientId) {
      oauthError(res, 'invalid_client_id', 'client identifier invalid');
      return;
    }
    const secret = body.client_secret;
    if (secret !== undefined && !safeEqual(secret, CONNECTED_APP.clientSecret)) {
      oauthError(res, 'invalid_client', 'invalid client credentials');
      return;
    }

    if (grant === 'authorization_code') {
      const code = body.code ? state.tokens.takeCode(body.code) : undefined;
      if (!code || code.clientId !== body.client_id) {
        oauthError(res, 'invalid_grant', 'invalid authorization code');
        return;
      }
      if (body.redirect_uri !== code.redirectUri) {
        oauthError(res, 'redirect_uri_mismatch', 'redirect_uri must match configuration');
        return;
      }
      if (code.codeChallenge !== undefined || body.code_verifier !== undefined) {
        const verifier = body.code_verifier ?? '';
        const expected = code.codeChallenge ?? '';
        if (!safeEqual(base64Url(createHash('sha256').update(verifier).digest()), expected)) {
          oauthError(res, 'invalid_grant', 'invalid code verifier');
          return;
        }
      } else if (secret === undefined) {
        // Neither the secret nor PKCE proves who the client is.
        oauthError(res, 'invalid_client', 'invalid client credentials');
        return;
      }
      const user = state.userById(code.userId)!;
      const refresh = state.tokens.issueRefresh(user.id);
      res.json(tokenResponse(state, user, refresh.token, true));
      return;
    }

    if (grant === 'refresh_token') {
      const refresh = body.refresh_token ? state.tokens.findRefresh(body.refresh_token) : undefined;
      if (!refresh) {
        oauthError(res, 'invalid_grant', 'expired access/refresh token');
        return;
      }
      const user = state.userById(refresh.userId)!;
      res.json(tokenResponse(state, user, refresh.token, false));
      return;
    }

    // Username-password flow (jsforce `conn.login` with client credentials): no refresh token.
    if (secret === undefined) {
      oauthError(res, 'invalid_client', 'invalid client credentials');
      return;
    }
    const user = state.userByUsername(body.username ?? '');
    if (!user || user.password !== body.password) {
      oauthError(res, 'invalid_grant', 'authentication failure');
      return;
    }
    res.json(tokenResponse(state, user, undefined, false));
  });
  return router;
}
