import express, { type Request, type Response, type Router } from 'express';
import type { SandboxState } from '../state.ts';

/**
 * `POST /services/oauth2/revoke` (form body `token=`), also `GET ?token=`.
 * 200 on success; 400 `invalid_token` otherwise. Revoking a refresh token
 * revokes the access tokens issued from it.
 *
 * jsforce 3.10.16 `revokeToken` parses an error body as a query string, while
 * Salesforce documents JSON-style `{"error": ...}` error details; we send JSON
 * (jsforce then reports ERROR_HTTP_400 with the body as its message).
 */
export function revokeRouter(state: SandboxState): Router {
  const router = express.Router();
  const handle = (token: unknown, res: Response) => {
    if (typeof token !== 'string' || token === '' || !state.tokens.revoke(token)) {
      res.status(400).json({ error: 'invalid_token', error_description: 'Token was invalid' });
      return;
    }
    res.status(200).end();
  };
  router.post('/services/oauth2/revoke', express.urlencoded({ extended: false, limit: '8kb' }), (req: Request, res: Response) =>
    handle((req.body as Record<string, unknown> | undefined)?.token ?? req.query.token, res),
  );
  router.get('/services/oauth2/revoke', (req: Request, res: Response) => handle(req.query.token, res));
  return router;
}
