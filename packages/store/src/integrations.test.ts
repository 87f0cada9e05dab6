import { secretBoxFromEnv } from '@contact-sync/secrets';
import { useTestDatabase } from '@contact-sync/testing';
import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { accountRepository } from './accounts.ts';
import { ensureBffIndexes } from './indexes.ts';
import { IntegrationNameTakenError, integrationRepository, mappingOf } from './integrations.ts';
import { oauthStateRepository } from './oauth-states.ts';
import { salesforceSlotRepository } from './salesforce-slots.ts';

const db = useTestDatabase('store');
const secrets = secretBoxFromEnv(`k1:${randomBytes(32).toString('base64')}`, 'k1');
const now = new Date('2026-11-27T12:00:00Z');

beforeAll(async () => {
  await ensureBffIndexes(db.connection);
});

describe('integrations', () => {
  it('enforces R2 per account, case-insensitively, through the unique index', async () => {
    const repo = integrationRepository(db.connection, secrets);
    await repo.create({ accountId: 'acc_r2', kind: 'salesforce-leads', name: 'Leads EU' });
    await expect(repo.create({ accountId: 'acc_r2', kind: 'salesforce-contacts', name: 'leads eu' })).rejects.toBeInstanceOf(IntegrationNameTakenError);
    await expect(repo.create({ accountId: 'acc_other', kind: 'salesforce-contacts', name: 'LEADS EU' })).resolves.toMatchObject({ name: 'LEADS EU' });
    const second = await repo.create({ accountId: 'acc_r2', kind: 'salesforce-contacts', name: 'Contacts' });
    await expect(repo.rename('acc_r2', second._id.toHexString(), 'LEADS eu')).rejects.toBeInstanceOf(IntegrationNameTakenError);
  });

  it('scopes every read and write by account', async () => {
    const repo = integrationRepository(db.connection, secrets);
    const mine = await repo.create({ accountId: 'acc_a', kind: 'salesforce-leads', name: 'Mine' });
    const id = mine._id.toHexString();
    expect(await repo.findForAccount('acc_b', id)).toBeNull();
    expect(await repo.rename('acc_b', id, 'Stolen')).toBeNull();
    expect(await repo.setMapping('acc_b', id, { EMAIL: 'Email' })).toBeNull();
    expect(await repo.transition('acc_b', id, ['draft'], 'active')).toBeNull();
    expect(await repo.delete('acc_b', id)).toBe(false);
    expect(await repo.findForAccount('acc_a', 'not-an-id')).toBeNull();
    expect((await repo.findForAccount('acc_a', id))?.name).toBe('Mine');
  });

  it('stores the mapping as pairs and tokens sealed, and reads them back', async () => {
    const repo = integrationRepository(db.connection, secrets);
    const created = await repo.create({ accountId: 'acc_c', kind: 'salesforce-contacts', name: 'Sealed' });
    const id = created._id.toHexString();
    await repo.setMapping('acc_c', id, { EMAIL: 'Email', 'WEIRD.$KEY': 'FirstName' });
    const connected = await repo.setSalesforceConnection(
      'acc_c',
      id,
      { orgId: '00D1', userId: '0051', username: 'u@x.test', displayName: 'U', instanceUrl: 'http://sf', accessToken: 'ACCESS-PLAIN', refreshToken: 'REFRESH-PLAIN' },
      now,
    );
    expect(mappingOf(connected!)).toEqual({ EMAIL: 'Email', 'WEIRD.$KEY': 'FirstName' });
    expect(repo.salesforceCredentials(connected!)).toEqual({ instanceUrl: 'http://sf', accessToken: 'ACCESS-PLAIN', refreshToken: 'REFRESH-PLAIN' });
    const raw = JSON.stringify(await db.connection.db!.collection('integrations').find({}).toArray());
    expect(raw).not.toContain('ACCESS-PLAIN');
    expect(raw).not.toContain('REFRESH-PLAIN');

    await repo.saveRefreshedAccessToken('acc_c', id, 'ACCESS-2', now);
    expect(repo.salesforceCredentials((await repo.findForAccount('acc_c', id))!)?.accessToken).toBe('ACCESS-2');
  });

  it('lists the account\'s integrations newest first with what the list shows, and without the sealed tokens', async () => {
    const repo = integrationRepository(db.connection, secrets);
    const first = await repo.create({ accountId: 'acc_list', kind: 'salesforce-contacts', name: 'First' });
    const second = await repo.create({ accountId: 'acc_list', kind: 'salesforce-leads', name: 'Second' });
    await repo.create({ accountId: 'acc_list_other', kind: 'salesforce-leads', name: 'Not mine' });
    const connection = { orgId: '00D9', userId: '0059', username: 'l@x.test', displayName: 'L', instanceUrl: 'http://sf', accessToken: 'A', refreshToken: 'R' };
    await repo.setSalesforceConnection('acc_list', first._id.toHexString(), connection, now);
    await repo.setMapping('acc_list', first._id.toHexString(), { EMAIL: 'Email' }, { directions: { EMAIL: 'salesforce_to_brevo' } });

    const listed = await repo.listForAccount('acc_list');
    expect(listed.map((integration) => integration.name)).toEqual(['Second', 'First']);
    expect(listed[0]!._id.equals(second._id)).toBe(true);
    const [, connected] = listed;
    expect(connected).toMatchObject({ kind: 'salesforce-contacts', status: 'draft', mappingEntries: [{ attribute: 'EMAIL', field: 'Email', direction: 'salesforce_to_brevo' }] });
    expect(connected!.salesforce).toEqual({ orgId: '00D9', userId: '0059', username: 'l@x.test', displayName: 'L', instanceUrl: 'http://sf', connectedAt: now });
    expect(Object.keys(connected!)).not.toContain('nameKey');
  });

  it('tells the worker an integration\'s neighbours: on its Salesforce org, and on the account\'s other orgs', async () => {
    const repo = integrationRepository(db.connection, secrets);
    const connect = async (accountId: string, name: string, orgId: string | null) => {
      const created = await repo.create({ accountId, kind: 'salesforce-contacts', name });
      if (orgId === null) return created._id.toHexString();
      const connection = { orgId, userId: '0051', username: 'u@x.test', displayName: 'U', instanceUrl: 'http://sf', accessToken: 'a', refreshToken: 'r' };
      await repo.setSalesforceConnection(accountId, created._id.toHexString(), connection, now);
      return created._id.toHexString();
    };
    const production = await connect('acc_orgs', 'Production', '00DPROD');
    const sibling = await connect('acc_orgs', 'Production leads', '00DPROD');
    const fullCopy = await connect('acc_orgs', 'Full copy', '00DCOPY');
    await connect('acc_orgs', 'Not connected yet', null);
    await connect('acc_elsewhere', 'Another account', '00DCOPY');
    const ids = (docs: { _id: { toHexString(): string } }[]) => docs.map((doc) => doc._id.toHexString()).sort();
    expect(ids(await repo.listOnSalesforceOrgForWorker('acc_orgs', '00DPROD'))).toEqual([production, sibling].sort());
    expect(await repo.idsOnOtherSalesforceOrgs('acc_orgs', '00DPROD')).toEqual([fullCopy]);
    expect((await repo.idsOnOtherSalesforceOrgs('acc_orgs', '00DCOPY')).sort()).toEqual([production, sibling].sort());
  });

  it("lists the worker's syncing integrations by reference with when each was last written, moved by every write; reads syncing ones in full by id", async () => {
    const repo = integrationRepository(db.connection, secrets);
    const created = await repo.create({ accountId: 'acc_versions', kind: 'salesforce-contacts', name: 'Versions' });
    const id = created._id.toHexString();
    await repo.setSalesforceConnection('acc_versions', id, { orgId: '00DVER', userId: '0051', username: 'u', displayName: null, instanceUrl: 'http://sf', accessToken: 'a', refreshToken: 'r' }, now);
    await repo.transition('acc_versions', id, ['draft'], 'active');
    const versionOf = async () => (await repo.listSyncingVersionsForWorker()).find((ref) => ref._id.toHexString() === id);
    const listed = await versionOf();
    expect(Object.keys(listed!).sort()).toEqual(['_id', 'kind', 'salesforce', 'updatedAt']);
    expect(listed!.salesforce).toEqual({ orgId: '00DVER' });

    // The stream supervisor reads an integration in full again only once its `updatedAt` moved: every write moves it.
    const writes: [string, () => Promise<unknown>][] = [
      ['mapping', () => repo.setMapping('acc_versions', id, { EMAIL: 'Email' })],
      ['list', () => repo.setList('acc_versions', id, { id: 7, name: 'Seven' })],
      ['refreshed token', () => repo.saveRefreshedAccessToken('acc_versions', id, 'a2', now)],
      ['repaired mapping', () => repo.repairMapping('acc_versions', id, { EMAIL: 'Email' }, {}, 'mapping_repaired', now)],
      ['status', () => repo.transition('acc_versions', id, ['active'], 'error')],
    ];
    for (const [what, write] of writes) {
      const before = (await versionOf())!.updatedAt.getTime();
      await new Promise((resolve) => setTimeout(resolve, 5));
      await write();
      expect((await versionOf())!.updatedAt.getTime(), what).toBeGreaterThan(before);
    }

    const draft = await repo.create({ accountId: 'acc_versions', kind: 'salesforce-leads', name: 'Draft' });
    const full = await repo.findSyncingForWorker([id, id, draft._id.toHexString(), 'not-an-id', new Types.ObjectId().toHexString()]);
    expect(full.map((doc) => doc._id.toHexString())).toEqual([id]);
    expect(full[0]!.mappingEntries).toHaveLength(1);
    expect(await repo.findSyncingForWorker([])).toEqual([]);
  });

  it('changes status only from the allowed ones; auth_error returns after reconnecting', async () => {
    const repo = integrationRepository(db.connection, secrets);
    const { _id } = await repo.create({ accountId: 'acc_s', kind: 'salesforce-leads', name: 'Status' });
    const id = _id.toHexString();
    expect(await repo.transition('acc_s', id, ['active'], 'paused')).toBeNull();
    expect((await repo.transition('acc_s', id, ['draft'], 'active', { activatedAt: now }))?.status).toBe('active');
    expect((await repo.markAuthError('acc_s', id, 'invalid_grant', now))?.status).toBe('auth_error');
    const reconnected = await repo.setSalesforceConnection(
      'acc_s', id,
      { orgId: '00D1', userId: '0051', username: 'u', displayName: null, instanceUrl: 'http://sf', accessToken: 'a', refreshToken: 'r' },
      now,
    );
    expect(reconnected).toMatchObject({ status: 'active', statusReason: null });
  });

  it('keeps the reason a transition gives, and clears the old one otherwise', async () => {
    const repo = integrationRepository(db.connection, secrets);
    const { _id } = await repo.create({ accountId: 'acc_reason', kind: 'salesforce-contacts', name: 'Reasons' });
    const id = _id.toHexString();
    await repo.transition('acc_reason', id, ['draft'], 'active');
    const failed = await repo.transition('acc_reason', id, ['active'], 'error', { statusReason: { code: 'record_errors', at: now } });
    expect(failed?.statusReason).toMatchObject({ code: 'record_errors' });
    const recovered = await repo.transition('acc_reason', id, ['error'], 'active');
    expect(recovered?.statusReason).toBeNull();
  });
});

describe('R3 slots', () => {
  it('gives at most five slots per Salesforce account, even to concurrent claims, and frees them', async () => {
    const slots = salesforceSlotRepository(db.connection);
    const repo = integrationRepository(db.connection, secrets);
    const ids: string[] = [];
    for (let i = 0; i < 8; i += 1) ids.push((await repo.create({ accountId: 'acc_r3', kind: 'salesforce-leads', name: `r3-${i}` }))._id.toHexString());
    const account = { orgId: '00DR3', userId: '005R3' };
    const results = await Promise.all(ids.map((integrationId) => slots.claim({ ...account, integrationId, accountId: 'acc_r3' }, new Date())));
    expect(results.filter((r) => r === null)).toHaveLength(5);
    expect(results.find((r) => r !== null)).toMatchObject({ code: 'connection_limit_reached', rule: 'R3' });
    expect(await slots.count(account.orgId, account.userId)).toBe(5);

    const holder = ids[results.findIndex((r) => r === null)]!;
    expect(await slots.claim({ ...account, integrationId: holder, accountId: 'acc_r3' }, new Date())).toBeNull();
    expect(await slots.count(account.orgId, account.userId)).toBe(5);

    await slots.release(holder);
    const waiting = ids[results.findIndex((r) => r !== null)]!;
    expect(await slots.claim({ ...account, integrationId: waiting, accountId: 'acc_r3' }, new Date())).toBeNull();
  });

  it('reaps the slot of a deleted integration', async () => {
    const slots = salesforceSlotRepository(db.connection);
    const repo = integrationRepository(db.connection, secrets);
    const account = { orgId: '00DREAP', userId: '005REAP' };
    const ids: string[] = [];
    for (let i = 0; i < 6; i += 1) ids.push((await repo.create({ accountId: 'acc_reap', kind: 'salesforce-leads', name: `reap-${i}` }))._id.toHexString());
    for (const integrationId of ids.slice(0, 5)) expect(await slots.claim({ ...account, integrationId, accountId: 'acc_reap' }, now)).toBeNull();
    expect(await slots.claim({ ...account, integrationId: ids[5]!, accountId: 'acc_reap' }, now)).not.toBeNull();
    await repo.delete('acc_reap', ids[0]!);
    expect(await slots.claim({ ...account, integrationId: ids[5]!, accountId: 'acc_reap' }, now)).toBeNull();
  });
});

describe('OAuth states', () => {
  it('are single use, expire, and keep the verifier sealed', async () => {
    const states = oauthStateRepository(db.connection, secrets);
    await states.create({ state: 'st-1', accountId: 'acc', integrationId: 'i1', userId: 'u1', codeVerifier: 'VERIFIER-PLAIN' }, 60_000, now);
    const raw = JSON.stringify(await db.connection.db!.collection('oauth_states').find({}).toArray());
    expect(raw).not.toContain('VERIFIER-PLAIN');

    const consumed = await Promise.all([states.consume('st-1', now), states.consume('st-1', now)]);
    expect(consumed.filter(Boolean)).toEqual([{ accountId: 'acc', integrationId: 'i1', userId: 'u1', codeVerifier: 'VERIFIER-PLAIN' }]);
    expect(await states.consume('st-1', now)).toBeNull();
    expect(await states.consume('unknown', now)).toBeNull();

    await states.create({ state: 'st-2', accountId: 'acc', integrationId: 'i1', userId: 'u1', codeVerifier: 'v' }, 60_000, now);
    expect(await states.consume('st-2', new Date(now.getTime() + 60_001))).toBeNull();
  });
});

describe('accounts', () => {
  it('seals the Brevo key per account and re-seals it on rotation', async () => {
    const keyA = randomBytes(32).toString('base64');
    const keyB = randomBytes(32).toString('base64');
    const accounts = accountRepository(db.connection, secretBoxFromEnv(`a:${keyA}`, 'a'));
    await accounts.setBrevoKey('acc_k', { apiKey: 'xkeysib-PLAINTEXT', notificationEmail: 'ops@acme.test' });
    expect(await accounts.brevoApiKey('acc_k')).toBe('xkeysib-PLAINTEXT');
    expect(await accounts.brevoApiKey('acc_none')).toBeNull();
    const raw = JSON.stringify(await db.connection.db!.collection('accounts').find({}).toArray());
    expect(raw).not.toContain('PLAINTEXT');

    const rotated = accountRepository(db.connection, secretBoxFromEnv(`b:${keyB},a:${keyA}`, 'b'));
    expect(await rotated.resealBrevoKey('acc_k')).toBe(true);
    expect(await rotated.resealBrevoKey('acc_k')).toBe(false);
    expect((await rotated.find('acc_k'))?.brevoApiKey?.kid).toBe('b');
    expect(await accountRepository(db.connection, secretBoxFromEnv(`b:${keyB}`, 'b')).brevoApiKey('acc_k')).toBe('xkeysib-PLAINTEXT');
  });
});
