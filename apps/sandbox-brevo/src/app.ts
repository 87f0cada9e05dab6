import { CallCounter, createControlRouter, FaultInjector } from '@contact-sync/sandbox-kit';
import express, { type Express } from 'express';
import { accountRouter, DEFAULT_PROFILES, type AccountProfile } from './account.ts';
import { attributesRouter } from './attributes/routes.ts';
import { apiKeyAuth, type ApiKeyGrant } from './auth.ts';
import { contactsRouter } from './contacts/routes.ts';
import { errorHandler, faultBody, notFoundRoute } from './errors.ts';
import { listsRouter } from './lists/routes.ts';
import { RateLimiter, setRateLimitHeaders, type RateLimitOptions } from './rate-limit.ts';
import type { SandboxRequest } from './request-context.ts';
import type { SeedOptions } from './seed.ts';
import { SandboxState } from './state.ts';

export const DEFAULT_API_KEY = 'xkeysib-sandbox-demo';

export interface BrevoSandboxOptions {
  /** API key → account (and the key's name, sent as `api_key_name` in webhooks). Default: `xkeysib-sandbox-demo` → `acc_demo`. */
  apiKeys?: Record<string, string | { accountId: string; name?: string }>;
  profiles?: Record<string, AccountProfile>;
  rateLimits?: Partial<RateLimitOptions>;
  seed?: SeedOptions & { seededAccounts?: string[] };
  /** Delays between webhook delivery attempts (Brevo: 10 min, 1 h, 2 h, 8 h). */
  webhookRetryDelaysMs?: number[];
  /** Base URL the sandbox is reachable at (for links it hands out, e.g. import reports). */
  publicUrl?: string;
  now?: () => number;
}

export interface BrevoSandbox {
  app: Express;
  state: SandboxState;
  faults: FaultInjector;
  calls: CallCounter;
  rateLimiter: RateLimiter;
  /** Stops background work (imports, webhook retries). */
  close: () => void;
}

/** JSON bodies up to Brevo's 10 MB import limit, plus room for the envelope. */
const JSON_LIMIT = '11mb';

export function createBrevoSandbox(options: BrevoSandboxOptions = {}): BrevoSandbox {
  const now = options.now ?? Date.now;
  const keys = new Map<string, ApiKeyGrant>(
    Object.entries(options.apiKeys ?? { [DEFAULT_API_KEY]: { accountId: 'acc_demo', name: 'sandbox-demo' } }).map(([key, grant]) => [
      key,
      typeof grant === 'string' ? { accountId: grant, name: key.slice(0, 16) } : { accountId: grant.accountId, name: grant.name ?? key.slice(0, 16) },
    ]),
  );
  const profiles = { ...DEFAULT_PROFILES, ...options.profiles };
  const state = new SandboxState(now, options.seed ?? {});
  const faults = new FaultInjector();
  const calls = new CallCounter();
  const rateLimiter = new RateLimiter({ enabled: false, tier: 'general', ...options.rateLimits }, now);
  for (const grant of keys.values()) state.account(grant.accountId);

  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'extended');

  app.use(
    '/__sandbox',
    createControlRouter({
      faults,
      calls,
      reset: () => {
        state.reset();
        rateLimiter.reset();
      },
    }),
  );

  const v3 = express.Router();
  v3.use(calls.middleware());
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
  v3.use(listsRouter());
  v3.use(contactsRouter());
  v3.use(notFoundRoute);
  v3.use(errorHandler);
  app.use('/v3', v3);
  app.use(errorHandler);

  return { app, state, faults, calls, rateLimiter, close: () => undefined };
}

export type { SandboxRequest };
