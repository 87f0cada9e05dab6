import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { errors, RecordFailure, SalesforceError } from '../errors.ts';
import type { SandboxState } from '../state.ts';
import { bulkQueryRouter } from './bulk-query.ts';
import { collectionsRouter } from './collections.ts';
import { ctx, restAuth } from './context.ts';
import { limitsRouter } from './limits.ts';
import { queryRouter } from './query.ts';
import { replicationRouter } from './replication.ts';
import { sobjectsRouter } from './sobjects.ts';
import { resourcesList, versionsList } from './versions.ts';

const ALLOWED_METHODS: [string, string[]][] = [
  ['/sobjects/:type/describe', ['HEAD', 'GET']],
  ['/sobjects/:type/:id', ['HEAD', 'GET', 'PATCH', 'DELETE']],
  ['/sobjects/:type', ['HEAD', 'GET', 'POST']],
  ['/sobjects', ['HEAD', 'GET']],
  ['/query', ['HEAD', 'GET']],
  ['/queryAll', ['HEAD', 'GET']],
  ['/limits', ['HEAD', 'GET']],
  ['/composite/sobjects', ['POST', 'PATCH', 'DELETE']],
];

/** Everything under `/services/data`. */
export function restRouter(state: SandboxState): Router {
  const router = express.Router();

  router.get('/services/data', (_req, res) => {
    res.json(versionsList());
  });

  const versioned = express.Router({ mergeParams: true });
  versioned.use(restAuth(state));
  versioned.get('/', (_req, res) => {
    const { user, version } = ctx(res);
    res.json(resourcesList(version, state.identityUrl(user)));
  });
  versioned.use(queryRouter(state));
  versioned.use(limitsRouter());
  versioned.use(replicationRouter());
  versioned.use(sobjectsRouter());
  versioned.use(collectionsRouter());
  versioned.use(bulkQueryRouter(state));
  // Known resources with a method they do not serve get Salesforce's 405 and its Allow list.
  for (const [path, allowed] of ALLOWED_METHODS) {
    versioned.all(path, (req) => {
      throw errors.methodNotAllowed(req.method, allowed);
    });
  }
  versioned.use(() => {
    throw errors.notFound();
  });

  router.use('/services/data/:version', versioned);
  router.use('/services/data', restErrorHandler);
  return router;
}

/** One place turns errors into Salesforce bodies; anything unexpected is UNKNOWN_EXCEPTION, never a stack. */
export function restErrorHandler(error: unknown, _req: Request, res: Response, _next: NextFunction): void {
  if (error instanceof SalesforceError || error instanceof RecordFailure) {
    res.status(error.status).json(error.toBody());
    return;
  }
  const status = (error as { status?: number }).status;
  if (status === 413) {
    res.status(413).json([{ message: 'Request entity too large', errorCode: 'REQUEST_ENTITY_TOO_LARGE' }]);
    return;
  }
  // Express's own 4xx (e.g. a URL that does not decode): the client's fault, never an UNKNOWN_EXCEPTION.
  if (typeof status === 'number' && status >= 400 && status < 500) {
    res.status(status === 404 ? 404 : 400).json([{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }]);
    return;
  }
  console.error('salesforce sandbox: unexpected error', error);
  res.status(500).json(unknownException());
}

export function unknownException() {
  const n = Math.floor(Math.random() * 1e9);
  return [
    {
      message: `An unexpected error occurred. Please include this ErrorId if you contact support: ${n}-${n % 100000} (${-n})`,
      errorCode: 'UNKNOWN_EXCEPTION',
    },
  ];
}
