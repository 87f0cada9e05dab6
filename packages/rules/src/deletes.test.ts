import { describe, expect, it } from 'vitest';
import { classifySalesforceDeleteError, decideBrevoDelete, decideSalesforceDelete } from './deletes.ts';

describe('deletes (R13)', () => {
  it('a Salesforce delete removes the contact from the list and unlinks it; the Brevo contact stays', () => {
    expect(decideSalesforceDelete(true)).toEqual(['remove_from_list', 'unlink']);
    expect(decideSalesforceDelete(true)).not.toContain('delete_contact');
    expect(decideSalesforceDelete(false)).toEqual([]);
  });

  it('a Brevo delete of a linked contact deletes the Salesforce record', () => {
    expect(decideBrevoDelete('003000000000001AAA')).toEqual({ action: 'delete_salesforce_record', salesforceId: '003000000000001AAA' });
  });

  it.each([null, undefined, ''])('a Brevo delete of an unlinked contact (%j) touches nothing in Salesforce', (extId) => {
    expect(decideBrevoDelete(extId)).toMatchObject({ action: 'ignore', issue: { code: 'not_linked' } });
  });

  it('DELETE_FAILED (a Contact with Cases) is a record error that is not retried', () => {
    expect(classifySalesforceDeleteError('DELETE_FAILED', 'associated with the following cases: 00001026')).toMatchObject({
      outcome: 'error',
      retryable: false,
      issue: { code: 'delete_refused', rule: 'R13', params: { reason: 'associated with the following cases: 00001026' } },
    });
  });

  it.each([
    ['ENTITY_IS_DELETED', 'deleted', undefined],
    ['UNABLE_TO_LOCK_ROW', 'error', true],
    ['INSUFFICIENT_ACCESS_OR_READONLY', 'error', false],
  ])('%s → %s (retryable %s)', (statusCode, outcome, retryable) => {
    const result = classifySalesforceDeleteError(statusCode);
    expect(result.outcome).toBe(outcome);
    if (result.outcome === 'error') {
      expect(result.retryable).toBe(retryable);
      expect(result.issue.code).toBe('delete_failed');
    }
  });
});
