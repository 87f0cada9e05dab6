import express, { type Express, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import helmet from 'helmet';
import { createContext, type BffContext, type BffDeps } from './context.ts';
import { createMetrics } from './metrics.ts';
import { createBearerAuth } from './middleware/bearer-auth.ts';
import { createCors } from './middleware/cors.ts';
import { errorHandler, notFoundHandler } from './middleware/error-handler.ts';
import { createHostAuth } from './middleware/host-auth.ts';
import { jsonBody } from './middleware/json-body.ts';
import { createAccountRateLimit, createAddressRateLimit } from './middleware/rate-limit.ts';
import { requestLog } from './middleware/request-log.ts';
import type { RouteGuards } from './route.ts';
import { ROUTE_MODULES } from './routes/index.ts';

/**
 * Helmet's headers, worked out once: every directive here is a constant, so every response gets the same
 * headers, set in one loop instead of through helmet's dozen middlewares on each request.
 */
function securityHeaders(ctx: BffContext): RequestHandler {
  const frameAncestors = ctx.config.ALLOWED_HOST_ORIGINS.length > 0 ? ctx.config.ALLOWED_HOST_ORIGINS : ["'none'"];
  const middleware = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"], frameAncestors },
    },
    // frame-ancestors decides framing; X-Frame-Options cannot express an allow-list.
    xFrameOptions: false,
  });
  const headers = new Map<string, string>();
  // X-Powered-By, the one header helmet removes, is never set (app.disable('x-powered-by')).
  const recorder = { setHeader: (name: string, value: unknown) => headers.set(name, String(value)), removeHeader: () => {} };
  let done = false;
  middleware({} as Request, recorder as unknown as Response, (error?: unknown) => {
    if (error) throw error;
    done = true;
  });
  if (!done || headers.size === 0) throw new Error('helmet did not set its headers at once: they can no longer be worked out in advance');
  const fixed = [...headers];
  return (_req: Request, res: Response, next: NextFunction) => {
    for (const [name, value] of fixed) res.setHeader(name, value);
    next();
  };
}

function observeDuration(ctx: BffContext) {
  return (req: Request, res: Response, next: NextFunction) => {
    const end = ctx.metrics.httpDuration.startTimer();
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
}

/** The BFF as an Express app, without listening (tests drive it with supertest). */
export function createApp(deps: BffDeps): Express {
  const ctx = createContext(deps, deps.metrics ?? createMetrics());
  const guards: RouteGuards = {
    hostAuth: createHostAuth(ctx.config),
    accountRateLimit: createAccountRateLimit(ctx.config.RATE_LIMIT_PER_MINUTE),
    adminAuth: createBearerAuth(ctx.config.ADMIN_SECRET),
    addressRateLimit: createAddressRateLimit(ctx.config.ADDRESS_RATE_LIMIT_PER_MINUTE),
    jsonBody: jsonBody({ limit: ctx.config.BODY_LIMIT }),
  };

  const app = express();
  app.disable('x-powered-by');
  // The per-address rate limits key on the client address: believe only the configured proxies about it.
  app.set('trust proxy', ctx.config.TRUST_PROXY);
  app.use(requestLog(app, ctx.logger));
  app.use(observeDuration(ctx));
  app.use(securityHeaders(ctx));
  app.use(createCors([...ctx.config.WEB_ORIGINS, ...ctx.config.ALLOWED_HOST_ORIGINS]));
  // Every route on the app's own router: a request is matched in one pass, without a router per module.
  for (const mount of ROUTE_MODULES) mount(app.router, ctx, guards);
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
