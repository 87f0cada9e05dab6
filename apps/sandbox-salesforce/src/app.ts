import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { ApiLatency, CallCounter, createControlRouter, FaultInjector, type LatencyRange } from '@contact-sync/sandbox-kit';
import { salesforceControlRouter } from './control.ts';
import { renderFault } from './faults.ts';
import { authorizeRouter } from './oauth/authorize.ts';
import { identityRouter } from './oauth/identity.ts';
import { revokeRouter } from './oauth/revoke.ts';
import { tokenRouter } from './oauth/token.ts';
import type { Org } from './org/org.ts';
import { restErrorHandler, restRouter } from './rest/router.ts';
import { soapRouter } from './soap/router.ts';
import { seedDemoOrg } from './seed/demo.ts';
import { createOrgs, DEMO_ORG_ID, DEMO_USER_ID } from './seed/users.ts';
import { LATEST_VERSION, SandboxState, type SandboxOptions } from './state.ts';
import { CometdEndpoint } from './streaming/cometd.ts';
import { streamingControlRouter } from './streaming/control.ts';
import { recordsUiRouter } from './ui/records.ts';

export interface SalesforceSandbox {
  app: Express;
  state: SandboxState;
  /** The demo org (demo@acme.test). */
  org: Org;
  faults: FaultInjector;
  calls: CallCounter;
  /** Answer times of the API (off unless set: `latency` option, `/__sandbox/latency`). */
  latency: ApiLatency;
  /** The Streaming API's CometD endpoint (Change Data Capture). */
  cometd: CometdEndpoint;
  /** Back to the seeded state: records, tokens, cursors, API usage, streaming clients. */
  reset: () => void;
}

const DEFAULTS: SandboxOptions = {
  publicUrl: 'http://localhost:4010',
  redirectUris: ['http://localhost:4000/api/v1/oauth/salesforce/callback'],
  accessTokenTtlSeconds: 7200,
  dailyApiLimit: 100_000,
  seed: 'demo',
  randomSeed: 20_240_601,
};

const isApiPath = (path: string) => path.startsWith('/services/') || path.startsWith('/id/');

/**
 * Builds the sandbox (an Express app plus its in-memory state) without
 * listening, so tests and other packages run it in-process on any port.
 * `publicUrl` must be where clients reach it: tokens' `instance_url`,
 * identity URLs and `nextRecordsUrl`s are built from it.
 */
export function createSalesforceSandbox(options: Partial<SandboxOptions> & { latency?: LatencyRange | null } = {}): SalesforceSandbox {
  const { latency: latencyRange = null, ...sandboxOptions } = options;
  const state = new SandboxState({ ...DEFAULTS, ...sandboxOptions });
  const faults = new FaultInjector();
  const latency = new ApiLatency(latencyRange);
  const calls = new CallCounter();
  const cometd = new CometdEndpoint(state);

  const reset = () => {
    cometd.dropConnections();
    const { orgs, users } = createOrgs(state.options.dailyApiLimit);
    state.replaceOrgs(orgs, users);
    state.tokens.clear();
    state.cursors.clear();
    state.bulkQueryJobs.clear();
    if (state.options.seed === 'demo') seedDemoOrg(state.orgs.get(DEMO_ORG_ID)!, DEMO_USER_ID, state.options.randomSeed);
  };
  reset();

  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');

  app.use('/__sandbox', createControlRouter({ faults, calls, reset, latency }));
  app.use('/__sandbox', salesforceControlRouter(state, cometd));
  app.use('/__sandbox/streaming', streamingControlRouter(state, cometd));

  const countCalls = calls.middleware(normaliseRoute);
  app.use((req: Request, res: Response, next: NextFunction) => (req.path.startsWith('/services/data/') ? countCalls(req, res, next) : next()));
  const cometdHandler = cometd.handler();
  const injectFaults = faults.middleware(renderFault);
  const delay = latency.middleware();
  app.use((req: Request, res: Response, next: NextFunction) => (isApiPath(req.path) ? delay(req, res, next) : next()));
  app.use((req: Request, res: Response, next: NextFunction) => (isApiPath(req.path) ? injectFaults(req, res, next) : next()));

  app.post('/cometd/:version', (req: Request, res: Response, next: NextFunction) => (isStreamingVersion(String(req.params.version)) ? cometdHandler(req, res, next) : next()));
  app.use(authorizeRouter(state));
  app.use(tokenRouter(state));
  app.use(revokeRouter(state));
  app.use(identityRouter(state));
  app.use(restRouter(state));
  app.use(soapRouter(state));
  app.use(recordsUiRouter(state));

  app.use((req: Request, res: Response) => {
    if (isApiPath(req.path)) res.status(404).json([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
    else res.status(404).type('text/plain').send('Not found');
  });
  app.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (isApiPath(req.path)) return restErrorHandler(error, req, res, next);
    const status = (error as { status?: number }).status;
    res.status(status && status >= 400 && status < 500 ? status : 500).type('text/plain').send('Request failed');
  });

  return { app, state, get org() { return state.orgs.get(DEMO_ORG_ID)!; }, faults, calls, latency, cometd, reset };
}

/** CometD endpoints of the versions with durable streaming (37.0) up to the org's. */
function isStreamingVersion(version: string): boolean {
  const major = /^(\d{2})\.0$/.exec(version)?.[1];
  return major !== undefined && Number(major) >= 37 && Number(major) <= Number(LATEST_VERSION);
}

/** Counts `GET /services/data/v62.0/sobjects/Contact/003...` as `.../sobjects/Contact/:id`. */
function normaliseRoute(path: string): string {
  return path
    .split('/')
    .map((segment) => (/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?(?:-\d+)?$/.test(segment) && /\d/.test(segment) ? ':id' : segment))
    .join('/');
}
