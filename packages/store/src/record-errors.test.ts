import { useTestDatabase } from '@contact-sync/testing';
import { describe, expect, it } from 'vitest';
import { RECORD_ERRORS, type RecordErrorDoc } from './record-errors.ts';
import { createSyncStore } from './sync-store.ts';

const database = useTestDatabase('store_record_errors');

const error = (salesforceId: string, at: Date, direction: RecordErrorDoc['direction'] = 'salesforce_to_brevo'): RecordErrorDoc => ({
  integrationId: 'int-1',
  runId: 'run-1',
  direction,
  object: 'Contact',
  salesforceId,
  brevoId: null,
  field: 'Email',
  code: 'duplicate',
  rule: 'R15',
  messageKey: 'rules.duplicate',
  params: { field: 'Email', attribute: 'EMAIL' },
  severity: 'error',
  fixHintKey: 'rules.fix.duplicate',
  retryable: true,
  at,
});

describe('record errors', () => {
  it('are open until a later run of the same direction deals with the record again; errors stored before `resolvedAt` existed count as open', async () => {
    const store = createSyncStore(database.connection.db!);
    const t0 = new Date(Date.UTC(2026, 10, 27, 9, 0, 0));
    const later = new Date(t0.getTime() + 60_000);
    // As stored before this field existed.
    await database.connection.db!.collection(RECORD_ERRORS).insertOne({ ...error('003A', t0) });
    await store.errors.addMany([error('003B', t0), error('003C', t0, 'brevo_to_salesforce'), error('003D', later)]);
    expect((await store.errors.open('int-1', 10)).map((e) => e.salesforceId).sort()).toEqual(['003A', '003B', '003C', '003D']);

    // A run at `later` dealt with A, B, C (Salesforce → Brevo) and D: only errors older than the run close, of that direction.
    await store.errors.resolve('int-1', 'salesforce_to_brevo', ['003A', '003B', '003C', '003D'], later);
    expect((await store.errors.open('int-1', 10)).map((e) => e.salesforceId).sort()).toEqual(['003C', '003D']);
    expect(await store.errors.retryableSalesforceIds('int-1', 10)).toEqual(['003D']);
    expect(await store.errors.retryableSalesforceIds('int-1', 10, 'phone_invalid_characters')).toEqual([]);
  });
});
