import { ROUTES } from '@contact-sync/api';
import { createIssue, RuleCode } from '@contact-sync/rules';
import { createSyncStore, type SyncStore } from '@contact-sync/store';
import { receiveBrevoWebhook } from '@contact-sync/sync';
import express, { type Router } from 'express';
import type { BffContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import type { RouteGuards } from '../route.ts';

/** Brevo batches up to a few hundred events per call; far below this. */
const WEBHOOK_BODY_LIMIT = '1mb';

/**
 * POST /api/v1/webhooks/brevo/:integrationId (ROUTES.receiveBrevoWebhook) — Brevo's marketing webhooks
 * (`contact_updated`, `contact_deleted`) for one integration. Authenticated by
 * the integration's own bearer secret (registered with the webhook); the
 * events are stored once each (a redelivery is recognised) and the answer is
 * immediate: the worker applies them, asked for a run at once. Events of
 * changes made with the account's own Brevo key (its name, set with the key,
 * against the payload's `api_key_name`) are the integration's own writes and
 * are not stored. 401 for a missing or wrong secret (an
 * unknown integration looks the same), 400 for malformed JSON, 422 for a
 * payload of the wrong shape, 413 for a huge body, nothing stored in any of
 * these. When storing fails (database unreachable) the answer is 429
 * `webhook_not_stored`: Brevo redelivers after a 429 or a timeout, but drops
 * the event for good on any 5xx. Errors have the
 * API's one shape. Not a `mountRoute` route: no host JWT, and its own body
 * limit (Brevo batches events).
 */
export function brevoWebhookRoutes(ctx: BffContext, _guards: RouteGuards): Router {
  const router = express.Router();
  let store: SyncStore | undefined;
  const syncStore = () => (store ??= createSyncStore(ctx.connection.db!));

  router.post(
    ROUTES.receiveBrevoWebhook.path,
    express.json({ limit: WEBHOOK_BODY_LIMIT, strict: true, type: () => true }),
    async (req, res, next) => {
      try {
        const integrationId = String(req.params.integrationId);
        const answer = await receiveBrevoWebhook(
          { integrationId, authorization: req.headers.authorization, body: req.body as unknown },
          {
            store: syncStore(),
            ownApiKeyName: async () => {
              const accountId = await ctx.integrations.accountIdOf(integrationId);
              return accountId ? ((await ctx.accounts.find(accountId))?.brevoApiKeyName ?? null) : null;
            },
            now: ctx.now,
            onRequestFailed: (error) =>
              ctx.logger.warn({ integrationId: req.params.integrationId, cause: (error as Error)?.message }, 'brevo webhook stored; run not requested (the scheduled run applies it)'),
          },
        );
        if (answer.status === 200) {
          const { stored, duplicates, ownWrites } = answer;
          ctx.logger.debug({ integrationId, stored, duplicates, ownWrites }, 'brevo webhook stored');
          res.status(200).json({ stored, duplicates, ownWrites });
        } else if (answer.status === 401) {
          throw new ApiError('unauthorized');
        } else {
          throw new ApiError('validation_failed', { issues: [createIssue(RuleCode.InvalidInput)] });
        }
      } catch (error) {
        if (error instanceof ApiError) return next(error);
        ctx.logger.warn({ integrationId: req.params.integrationId, cause: (error as Error)?.message }, 'brevo webhook not stored; asking Brevo to redeliver');
        next(new ApiError('webhook_not_stored'));
      }
    },
  );
  return router;
}
