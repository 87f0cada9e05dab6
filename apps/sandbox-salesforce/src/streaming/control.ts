import express, { type Response, type Router } from 'express';
import { z } from 'zod';
import { RecordFailure, SalesforceError } from '../errors.ts';
import { OBJECTS, SOBJECT_NAMES, type SObjectName } from '../org/metadata.ts';
import { prepareUpdate } from '../org/writes.ts';
import type { SandboxState } from '../state.ts';
import type { CometdEndpoint } from './cometd.ts';

/**
 * Test controls of Change Data Capture (`/__sandbox/streaming`): what the
 * org's admin and the platform would do to a subscriber.
 */
const settingsSchema = z
  .object({
    retentionSeconds: z.number().int().min(1).max(30 * 86_400).optional(),
    overflowThreshold: z.number().int().min(1).max(1_000_000).optional(),
    username: z.string().optional(),
  })
  .strict();

const entitySchema = z.object({ enabled: z.boolean(), username: z.string().optional() }).strict();

const gapSchema = z
  .object({
    object: z.enum(SOBJECT_NAMES as [SObjectName, ...SObjectName[]]),
    /** Each record's new field values, written as a job in the database would: gap events, no change events. */
    records: z.array(z.looseObject({ Id: z.string() })).min(1).max(200),
    username: z.string().optional(),
  })
  .strict();

const usernameOnly = z.object({ username: z.string().optional() }).strict();

export function streamingControlRouter(state: SandboxState, cometd: CometdEndpoint): Router {
  const router = express.Router();
  router.use(express.json({ limit: '256kb' }));

  const found = (username = 'demo@acme.test') => {
    const user = state.userByUsername(username);
    return user ? { user, org: state.orgOf(user) } : undefined;
  };
  const refuse = (res: Response, issues?: unknown) => res.status(400).json({ error: 'invalid_request', ...(issues ? { issues } : {}) });
  const status = (org: NonNullable<ReturnType<typeof found>>['org']) => ({ ...org.changes.status(), clients: cometd.clientCount(org.id) });

  router.get('/', (req, res) => {
    const target = found(typeof req.query.username === 'string' ? req.query.username : undefined);
    if (!target) return void res.status(404).json({ error: 'unknown_user' });
    res.json(status(target.org));
  });

  // Retention window (72 h in Salesforce) and overflow threshold (100,000 changes in one transaction).
  router.put('/', (req, res) => {
    const parsed = settingsSchema.safeParse(req.body);
    const target = parsed.success ? found(parsed.data.username) : undefined;
    if (!parsed.success || !target) return void refuse(res, parsed.error?.issues);
    if (parsed.data.retentionSeconds !== undefined) target.org.changes.retentionMs = parsed.data.retentionSeconds * 1000;
    if (parsed.data.overflowThreshold !== undefined) target.org.changes.overflowThreshold = parsed.data.overflowThreshold;
    res.json(status(target.org));
  });

  // An entity selected or not for Change Data Capture (Setup → Change Data Capture).
  router.put('/entities/:object', (req, res) => {
    const parsed = entitySchema.safeParse(req.body);
    const object = SOBJECT_NAMES.find((name) => name.toLowerCase() === String(req.params.object).toLowerCase());
    const target = parsed.success ? found(parsed.data.username) : undefined;
    if (!parsed.success || !object || !target) return void refuse(res, parsed.error?.issues);
    if (parsed.data.enabled) target.org.changes.selected.add(object);
    else target.org.changes.selected.delete(object);
    res.json(status(target.org));
  });

  // Every streaming connection drops at once; clients must handshake again.
  router.post('/drop', (_req, res) => {
    res.json(cometd.dropConnections());
  });

  // Every retained event passes out of the retention window.
  router.post('/expire', (req, res) => {
    const parsed = usernameOnly.safeParse(req.body ?? {});
    const target = parsed.success ? found(parsed.data.username) : undefined;
    if (!target) return void refuse(res, parsed.error?.issues);
    res.json({ expired: target.org.changes.expireRetention(), ...status(target.org) });
  });

  // Records changed directly in the database: only gap events tell subscribers.
  router.post('/gap', (req, res) => {
    const parsed = gapSchema.safeParse(req.body);
    const target = parsed.success ? found(parsed.data.username) : undefined;
    if (!parsed.success || !target) return void refuse(res, parsed.error?.issues);
    const def = OBJECTS[parsed.data.object];
    try {
      const writes = parsed.data.records.map(({ Id, ...fields }) => prepareUpdate(target.org, def, Id, fields, target.user.id));
      target.org.changes.transaction({ changeOrigin: '', userId: target.user.id, gap: true }, () => writes.forEach((write) => write.apply()));
    } catch (error) {
      if (error instanceof RecordFailure || error instanceof SalesforceError) return void res.status(400).json({ error: 'invalid_record', message: error.message });
      throw error;
    }
    res.json(status(target.org));
  });

  return router;
}
