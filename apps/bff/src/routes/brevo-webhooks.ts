import { createSyncStore, type SyncStore } from '@contact-sync/store';
import { receiveBrevoWebhook } from '@contact-sync/sync';
import express, { type Router } from 'express';
import type { BffContext } from '../context.ts';
import type { RouteGuards } from '../route.ts';

/** Brevo batches up to a few hundred events per call; far below this. */
const WEBHOOK_BODY_LIMIT = '1mb';

/**
 * POST /api/v1/webhooks/brevo/:integrationId — Brevo's marketing webhooks
 * (`contact_updated`, `contact_deleted`) for one integration. Authenticated by
 * the integration's own bearer secret (registered with the webhook); the
 * events are stored once each (a redelivery is recognised) and the answer is
 * immediate: the worker applies them. 401 for a missing or wrong secret (an
 * unknown integration looks the same), 400 for a malformed body, 413 for a
 * huge one, nothing stored in either case; a database failure is a 5xx so
 * Brevo delivers again.
 */
export function brevoWebhookRoutes(ctx: BffContext, _guards: RouteGuards): Router {
  const router = express.Router();
  let store: SyncStore | undefined;
  const syncStore = () => (store ??= createSyncStore(ctx.connection.db!));

  router.post(
    '/api/v1/webhooks/brevo/:integrationId',
    express.json({ limit: WEBHOOK_BODY_LIMIT, strict: true, type: () => true }),
    async (req, res, next) => {
      try {
        const answer = await receiveBrevoWebhook(
          { integrationId: String(req.params.integrationId), authorization: req.headers.authorization, body: req.body as unknown },
          { store: syncStore(), now: ctx.now },
        );
        if (answer.status === 200) {
          ctx.logger.debug({ integrationId: req.params.integrationId, stored: answer.stored, duplicates: answer.duplicates }, 'brevo webhook stored');
          res.status(200).json({ stored: answer.stored, duplicates: answer.duplicates });
        } else {
          res.status(answer.status).json({ code: answer.status === 401 ? 'unauthorized' : 'validation_failed' });
        }
      } catch (error) {
        next(error);
      }
    },
  );
  return router;
}
