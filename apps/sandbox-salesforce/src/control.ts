import express, { type Router } from 'express';
import { z } from 'zod';
import { makeId, orgSequenceStart } from './org/ids.ts';
import { OBJECTS, SOBJECT_NAMES } from './org/metadata.ts';
import { Org } from './org/org.ts';
import { renderRecord } from './rest/render.ts';
import { LATEST_VERSION, type SandboxState } from './state.ts';
import { generateRecords } from './seed/generator.ts';
import type { CometdEndpoint } from './streaming/cometd.ts';

/**
 * Salesforce-specific test controls under `/__sandbox` (beside sandbox-kit's
 * reset/faults/calls). Never reachable through the emulated API's paths.
 */
const generateSchema = z
  .object({
    object: z.enum(['Contact', 'Lead']),
    count: z.number().int().min(1).max(2_000_000),
    seed: z.number().int().optional(),
    stamps: z.enum(['past', 'now']).optional(),
    username: z.string().optional(),
  })
  .strict();

const apiUsageSchema = z
  .object({ used: z.number().int().min(0).optional(), limit: z.number().int().min(1).optional(), username: z.string().optional() })
  .strict();

/**
 * A small org of its own with one API user and generated Contacts (e-mails at the user's domain),
 * for benchmarks of many integrations: each connects to its own org, as customers do.
 */
const orgSchema = z
  .object({
    name: z.string().trim().min(1).max(80),
    username: z.email().max(80),
    password: z.string().min(8).max(64),
    contacts: z.number().int().min(0).max(100_000).default(0),
    seed: z.number().int().optional(),
  })
  .strict();
/** Sequence numbers of the orgs and users made through `/orgs`, far from the seeded ones'. */
const CREATED_ID_BASE = 5_000_000_000;

const revokeSchema = z.object({ username: z.string() }).strict();

export function salesforceControlRouter(state: SandboxState, cometd: CometdEndpoint): Router {
  const router = express.Router();
  router.use(express.json({ limit: '64kb' }));

  const orgFor = (username = 'demo@acme.test') => {
    const user = state.userByUsername(username);
    return user ? { user, org: state.orgOf(user) } : undefined;
  };

  router.post('/generate', (req, res) => {
    const parsed = generateSchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: 'invalid_request', issues: parsed.error.issues });
      return;
    }
    const found = orgFor(parsed.data.username);
    if (!found) {
      res.status(404).json({ error: 'unknown_user' });
      return;
    }
    const started = Date.now();
    const result = generateRecords(found.org, found.user.id, parsed.data);
    res.status(201).json({ ...result, object: parsed.data.object, total: found.org.tables[parsed.data.object].size, ms: Date.now() - started });
  });

  router.post('/orgs', (req, res) => {
    const parsed = orgSchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: 'invalid_request', issues: parsed.error.issues });
      return;
    }
    const { name, password, contacts, seed } = parsed.data;
    const username = parsed.data.username.toLowerCase();
    if (state.userByUsername(username)) {
      res.status(409).json({ error: 'duplicate_username' });
      return;
    }
    const sequence = CREATED_ID_BASE + state.orgs.size;
    const org = new Org(makeId('00D', sequence), name, true, state.options.dailyApiLimit, orgSequenceStart(state.orgs.size));
    const user = {
      id: makeId('005', sequence),
      orgId: org.id,
      username,
      password,
      firstName: 'Fleet',
      lastName: name,
      email: username,
      timezone: 'Europe/Rome',
      locale: 'en_US',
      language: 'en_US',
    };
    state.addOrg(org, user);
    const emailDomain = username.slice(username.indexOf('@') + 1);
    if (contacts > 0) generateRecords(org, user.id, { object: 'Contact', count: contacts, stamps: 'past', emailDomain, ...(seed === undefined ? {} : { seed }) });
    res.status(201).json({ orgId: org.id, userId: user.id, username, contacts: org.tables.Contact.size });
  });

  router.post('/tokens/expire', (_req, res) => {
    const expired = state.tokens.expireAllAccess();
    cometd.recheckSessions();
    res.json({ expired });
  });

  router.post('/tokens/revoke', (req, res) => {
    const parsed = revokeSchema.safeParse(req.body);
    const user = parsed.success ? state.userByUsername(parsed.data.username) : undefined;
    if (!user) {
      res.status(400).json({ error: 'unknown_user' });
      return;
    }
    const revoked = state.tokens.revokeUser(user.id);
    cometd.recheckSessions();
    res.json({ revoked });
  });

  router.get('/api-usage', (req, res) => {
    const found = orgFor(typeof req.query.username === 'string' ? req.query.username : undefined);
    if (!found) {
      res.status(404).json({ error: 'unknown_user' });
      return;
    }
    res.json({ used: found.org.apiUsage, limit: found.org.apiLimit });
  });

  router.put('/api-usage', (req, res) => {
    const parsed = apiUsageSchema.safeParse(req.body);
    const found = parsed.success ? orgFor(parsed.data.username) : undefined;
    if (!parsed.success || !found) {
      res.status(400).json({ error: 'invalid_request', ...(parsed.success ? {} : { issues: parsed.error.issues }) });
      return;
    }
    if (parsed.data.used !== undefined) found.org.apiUsage = parsed.data.used;
    if (parsed.data.limit !== undefined) found.org.apiLimit = parsed.data.limit;
    res.json({ used: found.org.apiUsage, limit: found.org.apiLimit });
  });

  // Records as the API would render them, deleted ones included, for assertions in tests.
  router.get('/records/:object', (req, res) => {
    const name = SOBJECT_NAMES.find((n) => n.toLowerCase() === String(req.params.object).toLowerCase());
    const found = orgFor(typeof req.query.username === 'string' ? req.query.username : undefined);
    if (!name || !found) {
      res.status(404).json({ error: 'unknown_object_or_user' });
      return;
    }
    const def = OBJECTS[name];
    const limit = Math.min(Number(req.query.limit ?? 1000) || 1000, 10_000);
    const offset = Number(req.query.offset ?? 0) || 0;
    const table = found.org.tables[name];
    const rows = [];
    let index = 0;
    for (const row of table.scanFrom()) {
      if (index++ < offset) continue;
      if (rows.length >= limit) break;
      rows.push(row);
    }
    res.json({ total: table.size, records: rows.map((row) => renderRecord(def, row, def.fields, LATEST_VERSION)) });
  });

  return router;
}
