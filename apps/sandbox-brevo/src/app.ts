import { ApiLatency, CallCounter, createControlRouter, FaultInjector, type LatencyRange } from '@contact-sync/sandbox-kit';
import express, { type Express } from 'express';
import { accountRouter, DEFAULT_PROFILES, type AccountProfile } from './account.ts';
import { attributesRouter } from './attributes/routes.ts';
import { apiKeyAuth, type ApiKeyGrant } from './auth.ts';
import { contactsRouter } from './contacts/routes.ts';
import { brevoControlRouter } from './control.ts';
import { errorHandler, faultBody, notFoundRoute } from './errors.ts';
import { importsRouter } from './imports/routes.ts';
import { DEFAULT_IMPORT_OPTIONS, ImportRunner, type ImportRunnerOptions } from './imports/runner.ts';
import { processJson } from './imports/routes.ts';
import { listsRouter } from './lists/routes.ts';
import { RateLimiter, setRateLimitHeaders, type RateLimitOptions } from './rate-limit.ts';
import type { SeedOptions } from './seed.ts';
import { Inbox } from './smtp/inbox.ts';
import { smtpRouter } from './smtp/routes.ts';
import { SandboxState } from './state.ts';
import { uiRouter } from './ui/routes.ts';
import { DEFAULT_DELIVERY_OPTIONS, WebhookDelivery, type DeliveryOptions } from './webhooks/delivery.ts';
import { webhooksRouter } from './webhooks/routes.ts';

export const DEFAULT_API_KEY = 'xkeysib-sandbox-demo';
/** The demo key's name, sent as `api_key_name` in webhooks of the changes made with it. */
export const DEFAULT_API_KEY_NAME = 'sandbox-demo';

export interface BrevoSandboxOptions {
  /** API key → account (and the key's name, sent as `api_key_name` in webhooks). Default: `xkeysib-sandbox-demo` → `acc_demo`. */
  apiKeys?: Record<string, string | { accountId: string; name?: string }>;
  profiles?: Record<string, AccountProfile>;
  /** On by default, as Brevo enforces them; a test that needs them off turns them off and says why. */
  rateLimits?: Partial<RateLimitOptions>;
  /** Delays between webhook delivery attempts (Brevo: 10 min, 1 h, 2 h, 8 h). */
  webhookRetryDelaysMs?: number[];
  webhooks?: Partial<DeliveryOptions>;
  imports?: Partial<ImportRunnerOptions>;
  seed?: SeedOptions & { seededAccounts?: string[] };
  /** Base URL the sandbox is reachable at (import report links). Default: the request's own host. */
  publicUrl?: string;
  now?: () => number;
  /** Each API call waits a random time in this range before it is handled (Brevo: 40–80 ms). Default: none. */
  latency?: LatencyRange | null;
}

export interface BrevoSandbox {
  app: Express;
  state: SandboxState;
  faults: FaultInjector;
  calls: CallCounter;
  /** Answer times of the API (`latency` option, `/__sandbox/latency`). */
  latency: ApiLatency;
  rateLimiter: RateLimiter;
  deliveries: WebhookDelivery;
  imports: ImportRunner;
  inbox: Inbox;
  /** Stops background work (imports, webhook retries). */
  close: () => void;
}

/** JSON bodies up to Brevo's 10 MB import limit, plus room for the envelope. */
const JSON_LIMIT = '11mb';

export function createBrevoSandbox(options: BrevoSandboxOptions = {}): BrevoSandbox {
  const now = options.now ?? Date.now;
  const keys = new Map<string, ApiKeyGrant>(
    Object.entries(options.apiKeys ?? { [DEFAULT_API_KEY]: { accountId: 'acc_demo', name: DEFAULT_API_KEY_NAME } }).map(([key, grant]) => [
      key,
      typeof grant === 'string' ? { accountId: grant, name: key.slice(0, 16) } : { accountId: grant.accountId, name: grant.name ?? key.slice(0, 16) },
    ]),
  );
  const profiles = { ...DEFAULT_PROFILES, ...options.profiles };
  const state = new SandboxState(now, options.seed ?? {});
  const faults = new FaultInjector();
  const calls = new CallCounter();
  const latency = new ApiLatency(options.latency ?? null);
  const inbox = new Inbox();
  const rateLimiter = new RateLimiter({ enabled: true, tier: 'general', ...options.rateLimits }, now);
  const deliveries = new WebhookDelivery(
    { ...DEFAULT_DELIVERY_OPTIONS, ...options.webhooks, ...(options.webhookRetryDelaysMs ? { retryDelaysMs: options.webhookRetryDelaysMs } : {}) },
    now,
  );
  let publicUrl = options.publicUrl ?? 'http://localhost:4020';
  const imports = new ImportRunner({ ...DEFAULT_IMPORT_OPTIONS, ...options.imports }, (account, process, settings) => {
    if (!settings.notifyUrl) return;
    // Brevo "calls the notify URL" when the process ends; the body is not documented, so the sandbox posts the process as GET /processes/{id} shows it.
    void fetch(settings.notifyUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ processId: process.id, ...processJson(process, account.accountId, publicUrl) }),
      signal: AbortSignal.timeout(10_000),
    }).catch(() => undefined);
  });
  state.onAccountCreated((account) => deliveries.watch(account));
  for (const grant of keys.values()) state.account(grant.accountId);

  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'extended');
  if (!options.publicUrl) {
    // Learn the public URL from the first request so report links work on any port.
    app.use((req, _res, next) => {
      publicUrl = `${req.protocol}://${req.get('host') ?? 'localhost:4020'}`;
      next();
    });
  }

  app.use(
    '/__sandbox',
    createControlRouter({
      faults,
      calls,
      latency,
      reset: () => {
        deliveries.clear();
        inbox.clear();
        rateLimiter.reset();
        imports.failure = undefined;
        imports.setPaused(false);
        state.reset();
      },
    }),
  );
  app.use('/__sandbox', brevoControlRouter({ state, keys, inbox, deliveries, rateLimiter, imports }));

  const v3 = express.Router();
  v3.use(calls.middleware());
  v3.use(latency.middleware());
  v3.use(express.json({ limit: JSON_LIMIT, type: () => true }));
  v3.use(apiKeyAuth(keys, (accountId) => state.account(accountId)));
  v3.use(rateLimiter.middleware());
  v3.use(
    faults.middleware((res, status) => {
      if (status === 429 && !res.hasHeader('x-sib-ratelimit-limit')) setRateLimitHeaders(res, { limit: 10, remaining: 0, reset: 1 });
      res.status(status).json(faultBody(status));
    }),
  );
  v3.use(accountRouter(profiles, now));
  v3.use(attributesRouter());
  v3.use(importsRouter(imports, () => publicUrl, now));
  v3.use(listsRouter());
  v3.use(contactsRouter());
  v3.use(webhooksRouter());
  v3.use(smtpRouter(inbox, now));
  v3.use(notFoundRoute);
  v3.use(errorHandler);
  app.use('/v3', v3);
  app.use(uiRouter(state, inbox, [...keys.values()][0]?.accountId ?? 'acc_demo'));
  app.use(errorHandler);

  return {
    app,
    state,
    faults,
    calls,
    latency,
    rateLimiter,
    deliveries,
    imports,
    inbox,
    close: () => {
      deliveries.close();
      imports.close();
    },
  };
}
