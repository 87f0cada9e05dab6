import express, { type Router } from 'express';
import { formatBrevoDateTime } from '../dates.ts';
import { invalid } from '../errors.ts';
import { bodyObject, pathId } from '../http.ts';
import { sandboxRequest } from '../request-context.ts';
import type { Webhook } from './registry.ts';

/** GET /webhooks items in the SDK's GetWebhook shape. */
function webhookJson(webhook: Webhook): Record<string, unknown> {
  const json: Record<string, unknown> = {
    id: webhook.id,
    url: webhook.url,
    description: webhook.description,
    events: webhook.events,
    type: webhook.type,
    createdAt: formatBrevoDateTime(webhook.createdAt),
    modifiedAt: formatBrevoDateTime(webhook.modifiedAt),
    batched: webhook.batched,
  };
  if (webhook.auth) json.auth = { type: webhook.auth.type, token: webhook.auth.token };
  if (webhook.headers.length > 0) json.headers = webhook.headers;
  return json;
}

export function webhooksRouter(): Router {
  const router = express.Router();

  router.get('/webhooks', (req, res) => {
    const { account } = sandboxRequest(req);
    const type = req.query.type ?? 'transactional';
    if (type !== 'marketing' && type !== 'transactional' && type !== 'inbound') throw invalid('type is not valid');
    const sort = req.query.sort ?? 'desc';
    if (sort !== 'asc' && sort !== 'desc') throw invalid('sort should be one of asc, desc');
    const webhooks = account.webhooks.all().filter((webhook) => webhook.type === type);
    if (sort === 'desc') webhooks.reverse();
    res.json({ webhooks: webhooks.map(webhookJson) });
  });

  router.post('/webhooks', (req, res) => {
    const { account } = sandboxRequest(req);
    const webhook = account.webhooks.create(bodyObject(req));
    res.status(201).json({ id: webhook.id });
  });

  router.get('/webhooks/:webhookId', (req, res) => {
    const { account } = sandboxRequest(req);
    res.json(webhookJson(account.webhooks.get(pathId(req.params.webhookId, 'webhookId'))));
  });

  router.put('/webhooks/:webhookId', (req, res) => {
    const { account } = sandboxRequest(req);
    account.webhooks.update(pathId(req.params.webhookId, 'webhookId'), bodyObject(req));
    res.status(204).end();
  });

  router.delete('/webhooks/:webhookId', (req, res) => {
    const { account } = sandboxRequest(req);
    account.webhooks.delete(pathId(req.params.webhookId, 'webhookId'));
    res.status(204).end();
  });

  return router;
}
