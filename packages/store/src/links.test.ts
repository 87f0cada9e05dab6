import { useTestDatabase } from '@contact-sync/testing';
import { describe, expect, it } from 'vitest';
import { LINKS, linkId, type LinkDoc } from './links.ts';
import { createSyncStore } from './sync-store.ts';

/** Converted leads: a lead's link moved to its Contact's, one Brevo contact whatever is interrupted or raced. */
const database = useTestDatabase('store_links_move');
const now = new Date('2026-12-04T10:00:00Z');

const link = (integrationId: string, salesforceId: string, brevoId: number): LinkDoc => ({
  integrationId,
  salesforceId,
  brevoId,
  values: { email: `${salesforceId}@example.com`, attributes: { FIRSTNAME: 'Lena' } },
  hash: 'h',
  lastWrittenAt: now,
  lastWriteKey: 'chunk',
});

describe('LinkStore.move', () => {
  it('moves the link: the target holds the Brevo contact (hash cleared, where it came from), the source is a tombstone naming it', async () => {
    const store = createSyncStore(database.connection.db!);
    await store.links.upsertMany([link('leads', '00QA', 7)]);
    const outcome = await store.links.move({ integrationId: 'leads', salesforceId: '00QA' }, { integrationId: 'contacts', salesforceId: '003A' }, now);
    expect(outcome).toMatchObject({ moved: true, link: { integrationId: 'contacts', salesforceId: '003A', brevoId: 7, hash: '', movedFrom: { integrationId: 'leads', salesforceId: '00QA' } } });
    expect(await store.links.list('leads')).toEqual([]);
    expect(await store.links.list('contacts')).toHaveLength(1);
    const tombstone = await database.connection.db!.collection(LINKS).findOne({ _id: linkId('leads', '00QA') as never });
    expect(tombstone).toMatchObject({ deleted: true, movedTo: { integrationId: 'contacts', salesforceId: '003A' } });
    // Repeated (a replay): the same answer, still one link.
    expect(await store.links.move({ integrationId: 'leads', salesforceId: '00QA' }, { integrationId: 'contacts', salesforceId: '003A' }, now)).toMatchObject({ moved: true });
    expect(await store.links.list('contacts')).toHaveLength(1);
  });

  it('finishes a move interrupted after the target was written', async () => {
    const store = createSyncStore(database.connection.db!);
    await store.links.upsertMany([link('leads', '00QB', 8), { ...link('contacts', '003B', 8), hash: '' }]);
    const outcome = await store.links.move({ integrationId: 'leads', salesforceId: '00QB' }, { integrationId: 'contacts', salesforceId: '003B' }, now);
    expect(outcome.moved).toBe(true);
    expect(await store.links.findBySalesforceIds('leads', ['00QB'])).toEqual(new Map());
  });

  it('refuses to move onto a Contact linked to another Brevo contact (never a merge), and leaves both links', async () => {
    const store = createSyncStore(database.connection.db!);
    await store.links.upsertMany([link('leads', '00QC', 9), link('contacts', '003C', 10)]);
    const outcome = await store.links.move({ integrationId: 'leads', salesforceId: '00QC' }, { integrationId: 'contacts', salesforceId: '003C' }, now);
    expect(outcome).toEqual({ moved: false, reason: 'target_linked' });
    expect((await store.links.findBySalesforceIds('leads', ['00QC'])).get('00QC')?.brevoId).toBe(9);
    expect((await store.links.findBySalesforceIds('contacts', ['003C'])).get('003C')?.brevoId).toBe(10);
  });

  it('takes the place of a Contact’s tombstone, and says when the source is gone', async () => {
    const store = createSyncStore(database.connection.db!);
    await store.links.upsertMany([link('leads', '00QD', 11)]);
    await store.links.markDeleted('contacts', ['003D'], 'chunk', now);
    expect(await store.links.move({ integrationId: 'leads', salesforceId: '00QD' }, { integrationId: 'contacts', salesforceId: '003D' }, now)).toMatchObject({ moved: true, link: { brevoId: 11 } });
    expect(await store.links.move({ integrationId: 'leads', salesforceId: '00QZ' }, { integrationId: 'contacts', salesforceId: '003Z' }, now)).toEqual({ moved: false, reason: 'source_gone' });
  });

  it('marks a converted lead’s link that no Contacts integration takes: still a link, no longer synced', async () => {
    const store = createSyncStore(database.connection.db!);
    await store.links.upsertMany([link('leads', '00QE', 12)]);
    await store.links.markConverted('leads', '00QE', '003E');
    expect((await store.links.findBySalesforceIds('leads', ['00QE'])).get('00QE')).toMatchObject({ brevoId: 12, convertedTo: '003E' });
  });
});

describe('LinkStore.linkedByAnyOf', () => {
  it('names the Ids any of the integrations links (tombstones not), and reads nothing for no integration', async () => {
    const store = createSyncStore(database.connection.db!);
    await store.links.upsertMany([link('production', '003X', 1), link('production', '003Y', 2), link('other-copy', '003Z', 3), link('elsewhere', '003W', 4)]);
    await store.links.markDeleted('production', ['003Y'], 'chunk', now);
    expect(await store.links.linkedByAnyOf(['production', 'other-copy'], ['003X', '003Y', '003Z', '003W', '003V'])).toEqual(new Set(['003X', '003Z']));
    expect(await store.links.linkedByAnyOf([], ['003X'])).toEqual(new Set());
    expect(await store.links.linkedByAnyOf(['production'], [])).toEqual(new Set());
  });
});
