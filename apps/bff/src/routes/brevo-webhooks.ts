import { ROUTES } from '@contact-sync/api';
import { createIssue, RuleCode } from '@contact-sync/rules';
import { createSyncStore, type SyncStore } from '@contact-sync/store';
import { authenticateBrevoWebhook, storeBrevoWebhook, type AuthenticatedWebhook } from '@contact-sync/sync';
import { type NextFunction, type Request, type Response, type Router } from 'express';
import type { BffContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { jsonBody } from '../middleware/json-body.ts';
import { createWebhookRateLimits } from '../middleware/rate-limit.ts';
import type { RouteGuards } from '../route.ts';

/** Brevo batches up to a few hundred events per call; far below this. */
const WEBHOOK_BODY_LIMIT = '1mb';
/** Brevo posts JSON. */
const JSON_TYPES = ['application/json', 'application/*+json'];

/** How many integrations' accounts a BFF keeps (the oldest kept goes first): every integration of a large fleet. */
const ACCOUNTS_KEPT = 100_000;

/** What the route's first steps learnt, for the later ones. */
const authenticatedOf = (res: Response): AuthenticatedWebhook => res.locals.webhook as AuthenticatedWebhook;

/**
 * POST /api/v1/webhooks/brevo/:integrationId (ROUTES.receiveBrevoWebhook) — Brevo's marketing webhooks
 * (`contact_updated`, `contact_deleted`, `unsubscribed`) for one integration. The order is the point: nothing of the body
 * is read before the integration's bearer secret is checked (one read by `_id`), so an unauthenticated
 * caller costs no parsing.
 * 1. Per client address, failed authentications are limited (429): a flood of forged calls is cut off
 *    before it costs reads, and it cannot use up an integration's own budget.
 * 2. The secret: 401 for a missing or wrong one (an unknown integration looks the same); the body is
 *    never parsed.
 * 3. Content type: 415 unless JSON, before parsing.
 * 4. Per integration, authenticated calls are limited (429; Brevo redelivers after a 429): only a holder
 *    of the secret can spend it, so a forger cannot starve real deliveries.
 * 5. The body (1 MB at most: 413; malformed: 400; wrong shape: 422), then the events are stored once
 *    each (a redelivery is recognised) and the worker is asked for a run. Events of changes made with
 *    the account's own Brevo key (its name, against the payload's `api_key_name`) are the integration's
 *    own writes and are not stored. When storing fails (database unreachable) the answer is 429
 *    `webhook_not_stored`: Brevo redelivers after a 429 or a timeout, but drops the event for good on
 *    any 5xx.
 * Not a `mountRoute` route: no host JWT, and its own body limit (Brevo batches events).
 */
export function brevoWebhookRoutes(router: Router, ctx: BffContext, _guards: RouteGuards): void {
  let store: SyncStore | undefined;
  const syncStore = () => (store ??= createSyncStore(ctx.connection.db!));
  const limits = createWebhookRateLimits(ctx.config);
  // An integration's account never changes: kept after its first authenticated delivery, so each of the deliveries
  // that echo the integration's own imports reads the sync state and the account, not the integration too. Only a
  // holder of an integration's secret adds an entry.
  const accountIds = new Map<string, string>();
  const accountIdOf = async (integrationId: string): Promise<string | null> => {
    const kept = accountIds.get(integrationId);
    if (kept) return kept;
    const accountId = await ctx.integrations.accountIdOf(integrationId);
    if (accountId) {
      accountIds.set(integrationId, accountId);
      if (accountIds.size > ACCOUNTS_KEPT) accountIds.delete(accountIds.keys().next().value!);
    }
    return accountId;
  };

  /** Any failure of the steps below: an ApiError as is; anything else means the event was not stored. */
  const fail = (req: Request, next: NextFunction, error: unknown) => {
    if (error instanceof ApiError) return next(error);
    ctx.logger.warn({ integrationId: req.params.integrationId, cause: (error as Error)?.message }, 'brevo webhook not stored; asking Brevo to redeliver');
    next(new ApiError('webhook_not_stored'));
  };

  const authenticate = async (req: Request, res: Response, next: NextFunction) => {
    try {
      const webhook = await authenticateBrevoWebhook(String(req.params.integrationId), req.headers.authorization, syncStore());
      if (!webhook) throw new ApiError('unauthorized');
      res.locals.webhook = webhook;
      next();
    } catch (error) {
      fail(req, next, error);
    }
  };

  const requireJson = (req: Request, _res: Response, next: NextFunction) => {
    next(req.is(JSON_TYPES) ? undefined : new ApiError('unsupported_media_type'));
  };

  const receive = async (req: Request, res: Response, next: NextFunction) => {
    try {
      const webhook = authenticatedOf(res);
      const answer = await storeBrevoWebhook(webhook, req.body as unknown, {
        store: syncStore(),
        ownApiKeyName: async () => {
          const accountId = await accountIdOf(webhook.integrationId);
          return accountId ? ((await ctx.accounts.find(accountId))?.brevoApiKeyName ?? null) : null;
        },
        now: ctx.now,
        onRequestFailed: (error) =>
          ctx.logger.warn({ integrationId: webhook.integrationId, cause: (error as Error)?.message }, 'brevo webhook stored; run not requested (the scheduled run applies it)'),
      });
      if (answer.status !== 200) throw new ApiError('validation_failed', { issues: [createIssue(RuleCode.InvalidInput)] });
      const { stored, duplicates, ownWrites } = answer;
      ctx.logger.debug({ integrationId: webhook.integrationId, stored, duplicates, ownWrites }, 'brevo webhook stored');
      res.status(200).json({ stored, duplicates, ownWrites });
    } catch (error) {
      fail(req, next, error);
    }
  };

  router.post(
    ROUTES.receiveBrevoWebhook.path,
    limits.authenticationFailures,
    authenticate,
    requireJson,
    limits.perIntegration,
    jsonBody({ limit: WEBHOOK_BODY_LIMIT, type: JSON_TYPES }),
    receive,
  );
}
