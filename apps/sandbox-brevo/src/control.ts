import express, { type Router } from 'express';
import { z } from 'zod';
import type { ApiKeyGrant } from './auth.ts';
import { contactJson } from './contacts/serialize.ts';
import { toCsv } from './imports/csv.ts';
import { IMPORT_REPORT_KINDS, type ImportReportKind } from './imports/processes.ts';
import type { ImportRunner } from './imports/runner.ts';
import { rateLimitTierSchema, type RateLimiter } from './rate-limit.ts';
import type { Inbox } from './smtp/inbox.ts';
import type { SandboxState } from './state.ts';
import type { WebhookDelivery } from './webhooks/delivery.ts';

const rateLimitsSchema = z
  .object({
    enabled: z.boolean().optional(),
    tier: rateLimitTierSchema.optional(),
    overrides: z.record(z.string(), z.array(z.object({ limit: z.number().int().min(0), seconds: z.number().int().min(1).max(86_400) }).strict())).optional(),
  })
  .strict();

/** Enough for a benchmark's batch of changed contacts, within the router's 100 kB body limit. */
const MAX_FOUND_EMAILS = 2_000;
const findContactsSchema = z.object({ emails: z.array(z.string()).max(MAX_FOUND_EMAILS) }).strict();

const importFailureSchema = z.object({ afterRows: z.number().int().min(0), times: z.number().int().min(1).default(1) }).strict();

const webhookSettingsSchema = z
  .object({
    retryDelaysMs: z.array(z.number().int().min(0).max(86_400_000)).max(10).optional(),
    timeoutMs: z.number().int().min(10).max(120_000).optional(),
    batchWindowMs: z.number().int().min(0).max(600_000).optional(),
  })
  .strict();

/** A key for another account (a benchmark's fleet of Brevo accounts); kept across resets, as the keys given at start are. */
const apiKeySchema = z
  .object({
    key: z.string().regex(/^xkeysib-[A-Za-z0-9-]{8,120}$/, 'a Brevo key: xkeysib- then 8 to 120 letters, digits or dashes'),
    accountId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    name: z.string().trim().min(1).max(64),
  })
  .strict();

export interface SandboxControlDeps {
  state: SandboxState;
  /** The API keys the sandbox accepts (the app's map: a key added here works at once). */
  keys: Map<string, ApiKeyGrant>;
  inbox: Inbox;
  deliveries: WebhookDelivery;
  rateLimiter: RateLimiter;
  imports: ImportRunner;
}

/**
 * Brevo-specific control routes, beside sandbox-kit's reset/faults/calls:
 * inbox, webhook deliveries and their retry settings, rate limits on/off,
 * the "import fails half-way" fault, import reports, per-account counts, API keys of more accounts.
 */
export function brevoControlRouter({ state, keys, inbox, deliveries, rateLimiter, imports }: SandboxControlDeps): Router {
  const router = express.Router();
  router.use(express.json({ limit: '100kb' }));

  router.post('/api-keys', (req, res) => {
    const parsed = apiKeySchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: 'invalid_request', issues: parsed.error.issues });
      return;
    }
    const { key, accountId, name } = parsed.data;
    if (keys.has(key)) {
      res.status(409).json({ error: 'duplicate_key' });
      return;
    }
    keys.set(key, { accountId, name });
    state.account(accountId);
    res.status(201).json({ accountId, name });
  });

  router.get('/inbox', (_req, res) => {
    res.json({ emails: inbox.all() });
  });
  router.delete('/inbox', (_req, res) => {
    inbox.clear();
    res.status(204).end();
  });

  router.get('/webhooks/deliveries', (_req, res) => {
    res.json({ deliveries: deliveries.deliveries() });
  });
  router.delete('/webhooks/deliveries', (_req, res) => {
    deliveries.clear();
    res.status(204).end();
  });
  router.get('/webhooks/settings', (_req, res) => {
    res.json(deliveries.options);
  });
  router.put('/webhooks/settings', (req, res) => {
    const parsed = webhookSettingsSchema.safeParse(req.body);
    if (!parsed.success) return void res.status(400).json({ error: 'invalid_settings', issues: parsed.error.issues });
    Object.assign(deliveries.options, parsed.data);
    res.json(deliveries.options);
  });

  router.get('/rate-limits', (_req, res) => {
    res.json(rateLimiter.options);
  });
  router.put('/rate-limits', (req, res) => {
    const parsed = rateLimitsSchema.safeParse(req.body);
    if (!parsed.success) return void res.status(400).json({ error: 'invalid_rate_limits', issues: parsed.error.issues });
    rateLimiter.options = { ...rateLimiter.options, ...parsed.data };
    rateLimiter.reset();
    res.json(rateLimiter.options);
  });

  router.post('/imports/fail', (req, res) => {
    const parsed = importFailureSchema.safeParse(req.body);
    if (!parsed.success) return void res.status(400).json({ error: 'invalid_import_failure', issues: parsed.error.issues });
    imports.failure = { afterRows: parsed.data.afterRows, remaining: parsed.data.times };
    res.status(201).json(imports.failure);
  });
  router.delete('/imports/fail', (_req, res) => {
    imports.failure = undefined;
    res.status(204).end();
  });

  router.put('/imports/paused', (req, res) => {
    const parsed = z.object({ paused: z.boolean() }).strict().safeParse(req.body);
    if (!parsed.success) return void res.status(400).json({ error: 'invalid_pause', issues: parsed.error.issues });
    imports.setPaused(parsed.data.paused);
    res.json({ paused: imports.paused });
  });

  router.get('/imports/:accountId/:processId/:kind.csv', (req, res) => {
    const account = state.allAccounts().find((a) => a.accountId === req.params.accountId);
    const process = account?.processes.find(Number(req.params.processId));
    const kind = req.params.kind as ImportReportKind;
    if (!process || !IMPORT_REPORT_KINDS.includes(kind)) return void res.status(404).json({ error: 'not_found' });
    res.type('text/csv').send(toCsv(process.rejected.get(kind) ?? []));
  });

  router.get('/imports/:accountId/:processId', (req, res) => {
    const account = state.allAccounts().find((a) => a.accountId === req.params.accountId);
    const process = account?.processes.find(Number(req.params.processId));
    if (!process) return void res.status(404).json({ error: 'not_found' });
    res.json({ ...process, rejected: Object.fromEntries(process.rejected) });
  });

  // What an account holds, read without API calls: benchmarks watch their writes
  // land here, and API reads would be counted and would spend the rate limit they measure.
  const accountOf = (accountId: string) => state.allAccounts().find((account) => account.accountId === accountId);
  router.get('/accounts/:accountId/lists/:listId', (req, res) => {
    const account = accountOf(req.params.accountId);
    const listId = Number(req.params.listId);
    if (!account || !account.lists.hasList(listId)) return void res.status(404).json({ error: 'not_found' });
    const list = account.lists.getList(listId);
    res.json({ id: list.id, name: list.name, members: account.contacts.memberCount(listId) });
  });
  router.post('/accounts/:accountId/contacts/find', (req, res) => {
    const account = accountOf(req.params.accountId);
    if (!account) return void res.status(404).json({ error: 'not_found' });
    const parsed = findContactsSchema.safeParse(req.body);
    if (!parsed.success) return void res.status(400).json({ error: 'invalid_request', issues: parsed.error.issues });
    res.json({
      contacts: parsed.data.emails.map((email) => {
        const contact = account.contacts.findBy('email', email);
        return contact ? contactJson(contact) : null;
      }),
    });
  });

  // A recipient unsubscribing from a campaign (the sandbox sends none): blocklisted, `unsubscribed` webhook sent.
  router.post('/accounts/:accountId/contacts/:contactId/unsubscribe', (req, res) => {
    const account = accountOf(req.params.accountId);
    const contact = account?.contacts.get(Number(req.params.contactId));
    if (!account || !contact) return void res.status(404).json({ error: 'not_found' });
    res.json({ unsubscribed: account.contacts.unsubscribe(contact) });
  });

  router.get('/state', (_req, res) => {
    res.json({
      accounts: state.allAccounts().map((account) => ({
        accountId: account.accountId,
        contacts: account.contacts.size,
        lists: account.lists.allLists().length,
        webhooks: account.webhooks.all().length,
        processes: account.processes.all().length,
      })),
      inbox: inbox.all().length,
    });
  });

  return router;
}
