import { secretBoxFromEnv } from '@contact-sync/secrets';
import { useTestDatabase } from '@contact-sync/testing';
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_INTEGRATION_INDEX, type AccountIntegrationIndexDoc } from './account-integration-index.ts';
import { ensureBffIndexes } from './indexes.ts';
import { integrationModel, integrationRepository, type IntegrationDoc } from './integrations.ts';

const db = useTestDatabase('store_account_index');
const secrets = secretBoxFromEnv(`k1:${randomBytes(32).toString('base64')}`, 'k1');
const index = () => db.connection.db!.collection<AccountIntegrationIndexDoc>(ACCOUNT_INTEGRATION_INDEX);

/** The account's integrations as a scan of the collection gives them (the truth the index follows), newest first. */
async function scanned(accountId: string): Promise<IntegrationDoc[]> {
  return integrationModel(db.connection).find({ accountId }).sort({ createdAt: -1, _id: -1 }).lean<IntegrationDoc[]>().exec();
}
const hexIds = (docs: readonly IntegrationDoc[]) => docs.map((doc) => doc._id.toHexString());

beforeAll(async () => {
  await ensureBffIndexes(db.connection);
});

describe('the account integration index', () => {
  it('equals the integrations after 30 concurrent creates and deletes, from several repositories (processes)', async () => {
    const repos = [0, 1, 2].map(() => integrationRepository(db.connection, secrets));
    const accountId = 'acc_concurrent';
    // Some to delete while the creates run.
    const early = await Promise.all([0, 1, 2, 3, 4, 5].map((n) => repos[0]!.create({ accountId, kind: 'salesforce-leads', name: `early ${n}` })));
    await Promise.all([
      ...Array.from({ length: 30 }, (_, n) => repos[n % 3]!.create({ accountId, kind: 'salesforce-contacts', name: `concurrent ${n}` })),
      ...early.filter((_, n) => n % 2 === 0).map((doc, n) => repos[n % 3]!.delete(accountId, doc._id.toHexString())),
    ]);

    const truth = await scanned(accountId);
    expect(truth).toHaveLength(33);
    const stored = await index().findOne({ _id: accountId });
    expect(stored?.integrationIds).toEqual(hexIds(truth).sort());
    for (const repo of repos) expect(hexIds(await repo.listForAccount(accountId))).toEqual(hexIds(truth));
  }, 120_000);

  it('lists like a scan: newest first, full documents, only the account’s own', async () => {
    const repo = integrationRepository(db.connection, secrets);
    for (const n of [1, 2, 3]) await repo.create({ accountId: 'acc_order', kind: 'salesforce-leads', name: `order ${n}` });
    await repo.create({ accountId: 'acc_elsewhere', kind: 'salesforce-leads', name: 'not mine' });
    const [, middle] = await scanned('acc_order');
    await repo.setMapping('acc_order', middle!._id.toHexString(), { EMAIL: 'Email' });
    expect(await repo.listForAccount('acc_order')).toEqual(await scanned('acc_order'));
    expect(await repo.listForAccount('acc_nobody')).toEqual([]);

    // An id of another account in the index (a hand edit) is not read: every find is scoped by account.
    const foreign = hexIds(await scanned('acc_elsewhere'));
    await index().updateOne({ _id: 'acc_order' }, { $push: { integrationIds: foreign[0]! } });
    expect(await repo.listForAccount('acc_order')).toEqual(await scanned('acc_order'));
  });

  it('rebuilds a missing index (integrations written before it) and one older than its age limit', async () => {
    let now = new Date('2026-11-27T12:00:00Z');
    const repo = integrationRepository(db.connection, secrets, { accountIndex: { maxAgeMs: 60_000, maxRounds: 20, now: () => now } });
    const Integration = integrationModel(db.connection);
    await Integration.create({ accountId: 'acc_seeded', kind: 'salesforce-leads', name: 'seeded', nameKey: 'seeded' });
    expect(await index().findOne({ _id: 'acc_seeded' })).toBeNull();
    expect(await repo.listForAccount('acc_seeded')).toEqual(await scanned('acc_seeded'));
    expect((await index().findOne({ _id: 'acc_seeded' }))?.integrationIds).toEqual(hexIds(await scanned('acc_seeded')));

    // Written behind the repository's back (a process that died before its rebuild): seen once the index is too old.
    await Integration.create({ accountId: 'acc_seeded', kind: 'salesforce-leads', name: 'behind', nameKey: 'behind' });
    expect(await repo.listForAccount('acc_seeded')).toHaveLength(1);
    now = new Date(now.getTime() + 60_000);
    expect(await repo.listForAccount('acc_seeded')).toEqual(await scanned('acc_seeded'));
    expect(await repo.listForAccount('acc_seeded')).toHaveLength(2);
  });
});
