import { flushPromises } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { createFakeApi } from '../../test-utils/fake-api.ts';
import { CONNECTED, INTEGRATION_ID, makeIntegration, makeRecordError, makeRecordErrorPage, makeRun } from '../../test-utils/fixtures.ts';
import { render } from '../../test-utils/render.ts';
import IntegrationDetailPage from './integration-detail-page.vue';

function activeApi() {
  const api = createFakeApi();
  api.getIntegration.mockResolvedValue(
    makeIntegration({ status: 'error', nextStep: null, salesforce: CONNECTED, list: { id: 2, name: 'Newsletter' }, lastSyncAt: '2026-11-27T10:05:04.000Z' }),
  );
  api.listRuns.mockResolvedValue([makeRun()]);
  api.listRecordErrors.mockResolvedValue(makeRecordErrorPage([makeRecordError(), ...duplicates]));
  return api;
}

const duplicates = [1, 2, 3, 4].map((n) =>
  makeRecordError({
    id: `dup${n}`,
    salesforceId: `00300000000000${n}AAA`,
    salesforceUrl: `http://localhost:4010/00300000000000${n}AAA`,
    contact: { name: `Sam Shared ${n}`, email: `shared${n}@example.com` },
    field: 'Email',
    code: 'duplicate',
    rule: 'R15',
    messageKey: 'rules.duplicate',
    params: { field: 'Email', attribute: 'EMAIL' },
    fixHintKey: 'rules.fix.duplicate',
    retryable: true,
  }),
);

const renderDetail = (api = activeApi(), locale = 'en') =>
  render(IntegrationDetailPage, { api, locale, route: `/${INTEGRATION_ID}`, props: { id: INTEGRATION_ID } });

const button = (wrapper: Awaited<ReturnType<typeof renderDetail>>['wrapper'], text: string) => {
  const found = wrapper.findAll('button').find((candidate) => candidate.text() === text);
  if (!found) throw new Error(`no button ${text}`);
  return found;
};

describe('integration detail page', () => {
  it('shows runs with trigger, direction and counts, and record errors with who, where, reason and fix', async () => {
    const { wrapper } = await renderDetail();
    await flushPromises();
    expect(wrapper.get('h1').text()).toContain('Acme contacts');
    expect(wrapper.get('h1 [data-status="error"]').text()).toContain('Error');
    const runRow = wrapper.get('tr[data-run="run1"]');
    expect(runRow.text()).toContain('4 s');
    expect(runRow.text()).toContain('12');
    expect(runRow.text()).toContain('Salesforce → Brevo');
    expect(runRow.text()).toContain('Activation');
    const errorRow = wrapper.get('tr[data-code="phone_digits_out_of_range"]');
    expect(errorRow.text()).toContain('Penny Shortphone');
    expect(errorRow.text()).toContain('penny.shortphone@example.com');
    expect(errorRow.get('a').attributes()).toMatchObject({ href: 'http://localhost:4010/003000000000042AAA', target: '_blank', rel: 'noopener noreferrer' });
    expect(errorRow.text()).toContain('A phone number must have between 6 and 16 digits (this one has 3).');
    expect(errorRow.text()).toContain('Correct the phone number in Salesforce');
  });

  it('says how Salesforce changes arrive: in real time, or every 60 s and why (English and Italian)', async () => {
    const api = activeApi();
    const base = await api.getIntegration(INTEGRATION_ID);
    api.getIntegration.mockResolvedValue({ ...base, changeDelivery: { mode: 'realtime', reason: null, intervalSeconds: 900, since: '2026-12-01T10:00:00.000Z' } });
    const realtime = (await renderDetail(api)).wrapper;
    await flushPromises();
    expect(realtime.get('[data-change-delivery="realtime"]').text()).toBe('Salesforce changes: real time (full check every 15 min)');

    api.getIntegration.mockResolvedValue({ ...base, changeDelivery: { mode: 'polling', reason: 'cdc_not_enabled', intervalSeconds: 60, since: '2026-12-01T10:00:00.000Z' } });
    const polling = (await renderDetail(api)).wrapper;
    await flushPromises();
    expect(polling.get('[data-change-delivery="polling"]').text()).toBe(
      'Salesforce changes: every 60 s — Change Data Capture is not enabled for Contact in Salesforce (Setup → Change Data Capture).',
    );
    const italian = (await renderDetail(api, 'it')).wrapper;
    await flushPromises();
    expect(italian.get('[data-change-delivery="polling"]').text()).toBe(
      'Modifiche da Salesforce: ogni 60 s — Change Data Capture non è attivo per Contact in Salesforce (Setup → Change Data Capture).',
    );

    api.getIntegration.mockResolvedValue({ ...base, changeDelivery: null });
    const unknown = (await renderDetail(api)).wrapper;
    await flushPromises();
    expect(unknown.find('[data-change-delivery]').exists()).toBe(false);
  });

  it('groups record errors by cause, offers Retry only where it can succeed, and finds them by name or email', async () => {
    const api = activeApi();
    const { wrapper } = await renderDetail(api);
    await flushPromises();
    const groups = wrapper.get('[data-testid="error-groups"]');
    const duplicate = groups.get('[data-code="duplicate"]');
    expect(duplicate.text()).toContain('4 contacts: EMAIL: this value already belongs to another Brevo contact.');
    // A phone has to be fixed in Salesforce (the next sync picks it up): no Retry there.
    expect(groups.get('[data-code="phone_digits_out_of_range"]').findAll('button').map((b) => b.text())).toEqual(['Show these']);
    await button(wrapper, 'Retry these 4').trigger('click');
    await flushPromises();
    expect(api.retryRecordErrors).toHaveBeenCalledWith(INTEGRATION_ID, 'duplicate');

    await wrapper.get('input[type="search"]').setValue('shared3@');
    await wrapper.get('form[role="search"]').trigger('submit');
    await flushPromises();
    expect(api.listRecordErrors).toHaveBeenLastCalledWith(INTEGRATION_ID, { offset: 0, limit: 25, q: 'shared3@' });
    await duplicate.get('button').trigger('click');
    await flushPromises();
    expect(api.listRecordErrors).toHaveBeenLastCalledWith(INTEGRATION_ID, { offset: 0, limit: 25, q: 'shared3@', code: 'duplicate' });
  });

  it('folds the runs that read nothing into one line, and shows them on demand', async () => {
    const api = activeApi();
    const idle = (n: number) => makeRun({ id: `idle${n}`, trigger: 'schedule', initialLoad: false, startedAt: `2026-11-27T11:0${n}:00.000Z`, finishedAt: `2026-11-27T11:0${n}:01.000Z`, operations: 0, counts: { read: 0, created: 0, updated: 0, deleted: 0, skipped: 0, noEmailOrSms: 0, rejected: 0, failed: 0, leftList: 0, notMatching: 0 } });
    api.listRuns.mockResolvedValue([idle(3), idle(2), idle(1), makeRun()]);
    const { wrapper } = await renderDetail(api);
    await flushPromises();
    expect(wrapper.findAll('tr[data-run]').map((row) => row.attributes('data-run'))).toEqual(['run1']);
    expect(wrapper.get('[data-testid="idle-runs"]').text()).toContain('3 runs found nothing to sync');
    await button(wrapper, 'Show them').trigger('click');
    expect(wrapper.findAll('tr[data-run]')).toHaveLength(4);
  });

  it('labels the quota with its reset date, warns from 80% in the page, and says how to ask for more', async () => {
    const api = activeApi();
    api.getIntegration.mockResolvedValue(makeIntegration({ status: 'active', nextStep: null, salesforce: CONNECTED, quota: { used: 82_000, limit: 100_000, month: '2026-11' } }));
    const { wrapper } = await renderDetail(api);
    await flushPromises();
    expect(wrapper.get('[data-testid="quota-label"]').text()).toBe('82,000 of 100,000 operations this month, resets on Dec 1, 2026');
    const notice = wrapper.get('[data-testid="quota-notice"]');
    expect(notice.attributes('data-level')).toBe('warning');
    expect(notice.text()).toContain('This integration has used 82% of its 100,000 operations this month');
    expect(wrapper.get('[data-testid="quota-ask-more"]').text()).toContain(`give the integration id ${INTEGRATION_ID}`);
  });

  it('says why syncing stopped when the quota is used up', async () => {
    const api = activeApi();
    api.getIntegration.mockResolvedValue(makeIntegration({ status: 'disabled_quota', nextStep: null, salesforce: CONNECTED, quota: { used: 100_000, limit: 100_000, month: '2026-11' } }));
    const { wrapper } = await renderDetail(api, 'it');
    await flushPromises();
    const notice = wrapper.get('[data-testid="quota-notice"]');
    expect(notice.attributes('data-level')).toBe('full');
    expect(notice.text()).toContain('Potrà essere attivata di nuovo il 1 dic 2026');
  });

  it('pauses and syncs now', async () => {
    const api = activeApi();
    const { wrapper } = await renderDetail(api);
    await flushPromises();
    await button(wrapper, 'Sync now').trigger('click');
    await flushPromises();
    expect(api.syncNow).toHaveBeenCalledWith(INTEGRATION_ID);
    await button(wrapper, 'Pause').trigger('click');
    await flushPromises();
    expect(api.pause).toHaveBeenCalledWith(INTEGRATION_ID);
    expect(button(wrapper, 'Resume').exists()).toBe(true);
  });

  it('deletes only after confirmation', async () => {
    const api = activeApi();
    const { wrapper, router } = await renderDetail(api);
    await flushPromises();
    await button(wrapper, 'Delete').trigger('click');
    await flushPromises();
    expect(api.deleteIntegration).not.toHaveBeenCalled();
    const dialog = wrapper.get('dialog');
    expect(dialog.text()).toContain('Delete \u2068Acme contacts\u2069?');

    await button(wrapper, 'Cancel').trigger('click');
    await flushPromises();
    expect(api.deleteIntegration).not.toHaveBeenCalled();

    await button(wrapper, 'Delete').trigger('click');
    await wrapper.get('[data-testid="confirm"]').trigger('click');
    await flushPromises();
    expect(api.deleteIntegration).toHaveBeenCalledWith(INTEGRATION_ID);
    expect(router.currentRoute.value.name).toBe('integrations');
  });

  it('exports the record errors as CSV', async () => {
    const created: Blob[] = [];
    const createObjectURL = vi.fn((blob: Blob) => {
      created.push(blob);
      return 'blob:fake';
    });
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() }));
    const { wrapper } = await renderDetail();
    await flushPromises();
    await button(wrapper, 'Export CSV').trigger('click');
    await vi.waitFor(() => expect(createObjectURL).toHaveBeenCalledOnce());
    const csv = await created[0]!.text();
    // The table's columns: who, where, why and how to fix.
    expect(csv).toContain('Contact,Email,Salesforce,URL,Brevo contact,Kind,Field,Reason,How to fix,When');
    expect(csv).toContain('Penny Shortphone,penny.shortphone@example.com,003000000000042AAA,http://localhost:4010/003000000000042AAA');
    expect(csv).toContain('A phone number must have between 6 and 16 digits (this one has 3).');
    vi.unstubAllGlobals();
  });

  it('says when runs and record errors are not available from the server yet', async () => {
    const api = activeApi();
    const { ApiError } = await import('../../api/api-error.ts');
    api.listRuns.mockRejectedValue(new ApiError(404, 'not_found', 'Not found.'));
    api.listRecordErrors.mockRejectedValue(new ApiError(404, 'not_found', 'Not found.'));
    const { wrapper } = await renderDetail(api);
    await flushPromises();
    expect(wrapper.findAll('p').filter((p) => p.text() === 'Not available yet.')).toHaveLength(2);
    expect(wrapper.find('[role="alert"]').exists()).toBe(false);
  });

  it('says an action is not available when the BFF does not offer it', async () => {
    const api = activeApi();
    const { ApiError } = await import('../../api/api-error.ts');
    api.syncNow.mockRejectedValueOnce(new ApiError(404, 'not_found', 'Not found.'));
    const { wrapper } = await renderDetail(api);
    await flushPromises();
    await button(wrapper, 'Sync now').trigger('click');
    await flushPromises();
    expect(wrapper.get('[role="alert"]').text()).toContain('Not available yet.');
  });

  it('edits the mapping with the same instant feedback', async () => {
    const api = activeApi();
    api.getIntegration.mockResolvedValue(makeIntegration({ status: 'active', nextStep: null, salesforce: CONNECTED, mapping: { EMAIL: 'Email' } }));
    const { makeMappingInputs } = await import('../../test-utils/fixtures.ts');
    api.getMappingOptions.mockResolvedValue(makeMappingInputs({ EMAIL: 'Email' }));
    const { wrapper } = await renderDetail(api);
    await flushPromises();
    await button(wrapper, 'Edit mapping').trigger('click');
    await flushPromises();
    await wrapper.get('tr[data-attribute="EMAIL"] select').setValue('');
    expect(wrapper.text()).toContain('Map at least Email or SMS.');
    expect(button(wrapper, 'Save mapping').attributes('disabled')).toBeDefined();
    await wrapper.get('tr[data-attribute="EMAIL"] select').setValue('Email');
    await wrapper.get('tr[data-attribute="FIRSTNAME"] select').setValue('FirstName');
    await button(wrapper, 'Save mapping').trigger('submit');
    await flushPromises();
    expect(api.putMapping).toHaveBeenCalledWith(INTEGRATION_ID, { EMAIL: 'Email', FIRSTNAME: 'FirstName' }, {});
  });
});
