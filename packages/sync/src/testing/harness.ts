import type { BrevoClient } from '@getbrevo/brevo';
import { brevoCall } from '@contact-sync/brevo';
import { randomBytes } from 'node:crypto';
import type { Connection } from 'jsforce';
import { createSyncStore, ensureSyncIndexes, type SyncStore } from '@contact-sync/store';
import type { IntegrationStatus } from '@contact-sync/rules';
import type { Db } from '@contact-sync/store';
import { startSandbox as startBrevo, type StartedSandbox as BrevoSandbox } from '@contact-sync/sandbox-brevo';
import { login, startSandbox as startSalesforce, type StartedSandbox as SalesforceSandbox } from '@contact-sync/sandbox-salesforce';
import type { IntegrationSnapshot, IntegrationStatusPort, StatusChange } from '../integration.ts';
import type { EngineDeps } from '../salesforce-to-brevo.ts';

/**
 * Both sandboxes in-process on free ports, the real clients (jsforce logged in
 * through the sandbox's OAuth form, the Brevo SDK with maxRetries 0) and the
 * sync store on the test file's database.
 */
export interface Harness {
  salesforce: SalesforceSandbox;
  brevo: BrevoSandbox;
  conn: Connection;
  client: BrevoClient;
  store: SyncStore;
  statuses: MemoryStatuses;
  stop(): Promise<void>;
}

export class MemoryStatuses implements IntegrationStatusPort {
  readonly changes: { integrationId: string; change: StatusChange }[] = [];
  readonly current = new Map<string, IntegrationStatus>();

  readonly repairedMappings = new Map<string, { mapping: Record<string, string>; removed: readonly string[] }>();

  async setStatus(integrationId: string, change: StatusChange): Promise<void> {
    this.changes.push({ integrationId, change });
    this.current.set(integrationId, change.status);
  }

  async saveRepairedMapping(integrationId: string, mapping: Record<string, string>, removed: readonly string[]): Promise<void> {
    this.repairedMappings.set(integrationId, { mapping, removed });
  }
}

/**
 * For tests that set up and check Brevo through its API (lists created, members read back,
 * contacts edited in place of a marketer) between runs: those calls are the test's, not the
 * product's, yet on one API key they would take the sync's rate budget and earn 429s the test
 * is not about. Such a test passes this to `startHarness` (the sandbox enforces Brevo's limits by
 * default); tests of the limits themselves turn them on (faults.test.ts) or keep them.
 */
export const BREVO_LIMITS_OFF_FOR_API_CHECKS = { rateLimits: { enabled: false } } as const;

export async function startHarness(db: Db, brevoOptions: Parameters<typeof startBrevo>[0] = {}): Promise<Harness> {
  for (const name of ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY']) delete process.env[name];
  const salesforce = await startSalesforce();
  const brevo = await startBrevo({ imports: { startDelayMs: 5 }, ...brevoOptions });
  const conn = await login(salesforce.url);
  const store = createSyncStore(db);
  await ensureSyncIndexes(store);
  return {
    salesforce,
    brevo,
    conn,
    client: brevo.client,
    store,
    statuses: new MemoryStatuses(),
    async stop() {
      await brevo.stop();
      await salesforce.server.close();
    },
  };
}

let counter = 0;

/** A Contacts integration with a fresh Brevo list of its own. */
export async function createIntegration(harness: Harness, overrides: Partial<IntegrationSnapshot> = {}): Promise<IntegrationSnapshot> {
  counter += 1;
  // Each integration starts from the seeded Brevo account (ext_id is unique per account).
  harness.brevo.state.reset();
  const list = await harness.client.contacts.createList({ name: `Salesforce sync ${counter} ${Date.now()}`, folderId: 1 });
  return {
    // Shaped like the store's ObjectId ids: the webhook receiver refuses any other id before reading.
    id: randomBytes(12).toString('hex'),
    accountId: 'acc_demo',
    kind: 'salesforce-contacts',
    status: 'active',
    mapping: CONTACT_MAPPING,
    listId: list.id,
    notificationEmail: 'marketing@acme.test',
    ...overrides,
  };
}

export const CONTACT_MAPPING = {
  EMAIL: 'Email',
  FIRSTNAME: 'FirstName',
  LASTNAME: 'LastName',
  SMS: 'MobilePhone',
  JOB_TITLE: 'Title',
  CITY: 'MailingCity',
  BIRTHDAY: 'Birthdate',
} as const;

/** The same attributes from a Lead (which has City, and no birthdate). */
export const LEAD_MAPPING = {
  EMAIL: 'Email',
  FIRSTNAME: 'FirstName',
  LASTNAME: 'LastName',
  SMS: 'MobilePhone',
  JOB_TITLE: 'Title',
  CITY: 'City',
} as const;

export function engineDeps(harness: Harness, extra: Partial<EngineDeps> = {}): EngineDeps {
  return {
    salesforce: harness.conn,
    brevo: harness.client,
    store: harness.store,
    statuses: harness.statuses,
    ...extra,
    options: { importPollMs: 10, clockSkewMs: 5_000, ...(process.env.SYNC_DEBUG ? { onCall: (api: string, label: string) => console.log(new Date().toISOString(), api, label) } : {}), ...extra.options },
  };
}

/** Every contact of a Brevo list, as the API shows it (a 429 waited out: the account's calls a second are shared with the sync's). */
export async function listMembers(client: BrevoClient, listId: number): Promise<{ id: number; email?: string; attributes: Record<string, unknown> }[]> {
  const members: { id: number; email?: string; attributes: Record<string, unknown> }[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = await brevoCall(() => client.contacts.getContactsFromList({ listId, limit: 500, offset, sort: 'asc' }), { idempotent: true });
    const contacts = (page.contacts ?? []) as unknown as { id: number; email?: string; attributes: Record<string, unknown> }[];
    members.push(...contacts);
    if (contacts.length < 500) return members;
  }
}

/**
 * Stands in for the BFF's webhook route: parses JSON and hands it to `receiveBrevoWebhook`.
 * `ownApiKeyName`: the name of the key the integration writes with, as an operator sets it.
 */
export async function startWebhookReceiver(
  store: SyncStore,
  options: { ownApiKeyName?: string } = {},
): Promise<{ url: string; close: () => Promise<void>; answers: number[]; ownWrites: () => number }> {
  const { createServer } = await import('node:http');
  const { receiveBrevoWebhook } = await import('../webhooks.ts');
  const answers: number[] = [];
  let ownWrites = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const integrationId = decodeURIComponent((req.url ?? '').split('/').at(-1) ?? '');
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        res.statusCode = 400;
        res.end();
        return;
      }
      receiveBrevoWebhook({ integrationId, authorization: req.headers.authorization, body }, { store, ownApiKeyName: async () => options.ownApiKeyName ?? null }).then(
        (answer) => {
          answers.push(answer.status);
          ownWrites += answer.ownWrites;
          res.statusCode = answer.status;
          res.end();
        },
        () => {
          res.statusCode = 503;
          res.end();
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    answers,
    ownWrites: () => ownWrites,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export const FAKE_SEALER = { seal: (plaintext: string) => ({ v: 1, kid: 'test', sealedLength: plaintext.length }) };

/** The text values CONTACT_MAPPING copies as they are (Brevo attribute → Salesforce field). */
const TEXT_ATTRIBUTES = { FIRSTNAME: 'FirstName', LASTNAME: 'LastName', JOB_TITLE: 'Title', CITY: 'MailingCity' } as const;

type ContactRow = { Id: string; Email: string | null } & Record<(typeof TEXT_ATTRIBUTES)[keyof typeof TEXT_ATTRIBUTES], string | null>;

/** Salesforce Ids a record error explains the absence of: rejected records, and records not sent for want of an email or SMS (R5, a warning). */
export async function explainedRecords(store: SyncStore, integrationId: string): Promise<Set<string | null>> {
  const errors = await store.errors.listForIntegration(integrationId, 100_000);
  return new Set(errors.filter((e) => e.severity === 'error' || e.code === 'no_email_or_sms').map((e) => e.salesforceId));
}

/**
 * How an integration's Brevo list differs from the Salesforce org after a
 * completed run (empty when it is exact): every member is a live Contact,
 * once (no duplicate EXT_ID), with the Contact's email and text values; every
 * live Contact not in the list is explained by a record error; every member
 * is linked. Read without faults.
 */
export async function listDifferences(harness: Harness, integration: IntegrationSnapshot): Promise<string[]> {
  const fields = ['Id', 'Email', ...Object.values(TEXT_ATTRIBUTES)].join(', ');
  const contacts = (await harness.conn.query<ContactRow>(`SELECT ${fields} FROM Contact`, { autoFetch: true, maxFetch: 100_000 })).records;
  const live = new Map(contacts.map((contact) => [contact.Id, contact]));
  const members = await listMembers(harness.client, integration.listId);
  const linked = new Set((await harness.store.links.list(integration.id)).map((link) => link.salesforceId));
  const explained = await explainedRecords(harness.store, integration.id);
  const differences: string[] = [];
  const seen = new Set<string>();
  for (const member of members) {
    const id = String(member.attributes.EXT_ID);
    if (seen.has(id)) differences.push(`${id}: twice in the list`);
    seen.add(id);
    const contact = live.get(id);
    if (!contact) {
      differences.push(`${id}: in the list, not a live Contact`);
      continue;
    }
    if (!linked.has(id)) differences.push(`${id}: in the list without a link`);
    if ((member.email ?? null) !== (contact.Email?.toLowerCase() ?? null)) differences.push(`${id}: email ${member.email} ≠ ${contact.Email}`);
    for (const [attribute, field] of Object.entries(TEXT_ATTRIBUTES)) {
      const expected = contact[field] ?? null;
      const actual = (member.attributes[attribute] as string | undefined) ?? null;
      if (expected !== actual) differences.push(`${id}: ${attribute} ${JSON.stringify(actual)} ≠ ${field} ${JSON.stringify(expected)}`);
    }
  }
  for (const id of live.keys()) if (!seen.has(id) && !explained.has(id)) differences.push(`${id}: live Contact neither in the list nor explained by a record error`);
  return differences;
}

/**
 * An integration as activation leaves it: its webhook registered with a receiver
 * standing in for the BFF, then its initial load run, and the echoes of that load
 * delivered. `stop` closes the receiver and the sandboxes.
 */
export async function startSyncedIntegration(
  db: Db,
  receiverOptions: Parameters<typeof startWebhookReceiver>[1] = {},
  setup: { overrides?: Partial<IntegrationSnapshot>; brevo?: Parameters<typeof startBrevo>[0] } = {},
) {
  const harness = await startHarness(db, { webhooks: { batchWindowMs: 20 }, ...setup.brevo });
  const receiver = await startWebhookReceiver(harness.store, receiverOptions);
  const integration = await createIntegration(harness, setup.overrides);
  const { registerIntegrationWebhook } = await import('../webhooks.ts');
  const { runIntegration } = await import('../run-integration.ts');
  await registerIntegrationWebhook(integration.id, { brevo: harness.client, store: harness.store, secrets: FAKE_SEALER, bffPublicUrl: receiver.url });
  await runIntegration(integration, engineDeps(harness));
  const members = await listMembers(harness.client, integration.listId);
  await harness.brevo.deliveries.idle();
  return {
    harness,
    receiver,
    integration,
    members,
    async stop() {
      await receiver.close();
      await harness.stop();
    },
  };
}

/** Runs the integration, then once more after Brevo delivered the first run's webhooks (its echoes): what each run did. */
export async function runAndSettle(harness: Harness, integration: IntegrationSnapshot) {
  const { runIntegration } = await import('../run-integration.ts');
  await harness.brevo.deliveries.idle();
  const first = await runIntegration(integration, engineDeps(harness));
  await harness.brevo.deliveries.idle();
  const echo = await runIntegration(integration, engineDeps(harness));
  return { first, echo };
}
