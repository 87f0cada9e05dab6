import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * CORS for the microfrontend: its own origin (iframe mode) and the host
 * pages' origins (module mode runs in the host page). Bearer tokens, no
 * cookies: credentials are never allowed. Other origins get no CORS headers.
 *
 * Every OPTIONS request ends here with 204: a preflight from another origin
 * gets no CORS headers (the browser then refuses the request), and it never
 * reaches the router, whose automatic OPTIONS answer would list each path's
 * methods to anyone who asks.
 */
export function createCors(allowedOrigins: readonly string[]): RequestHandler {
  const allowed = new Set(allowedOrigins.map((origin) => origin.replace(/\/+$/, '')));
  return (req: Request, res: Response, next: NextFunction) => {
    const origin = req.get('origin');
    res.vary('Origin');
    const allowedOrigin = origin !== undefined && allowed.has(origin);
    if (allowedOrigin) {
      res.set('Access-Control-Allow-Origin', origin);
      res.set('Access-Control-Expose-Headers', 'RateLimit, RateLimit-Policy, Retry-After');
    }
    if (req.method !== 'OPTIONS') {
      next();
      return;
    }
    if (allowedOrigin) {
      res.set('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE');
      res.set('Access-Control-Allow-Headers', 'Authorization, Content-Type');
      res.set('Access-Control-Max-Age', '600');
    }
    res.status(204).end();
  };
}
