import { flushPromises } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { createFakeApi } from '../../test-utils/fake-api.ts';
import { CONNECTED, INTEGRATION_ID, makeIntegration, makeRecordError, makeRun } from '../../test-utils/fixtures.ts';
import { render } from '../../test-utils/render.ts';
import IntegrationDetailPage from './integration-detail-page.vue';

function activeApi() {
  const api = createFakeApi();
  api.getIntegration.mockResolvedValue(
    makeIntegration({ status: 'error', nextStep: null, salesforce: CONNECTED, list: { id: 2, name: 'Newsletter' }, lastSyncAt: '2026-11-27T10:05:04.000Z' }),
  );
  api.listRuns.mockResolvedValue([makeRun()]);
  api.listRecordErrors.mockResolvedValue([makeRecordError()]);
  return api;
}

const renderDetail = (api = activeApi(), locale = 'en') =>
  render(IntegrationDetailPage, { api, locale, route: `/${INTEGRATION_ID}`, props: { id: INTEGRATION_ID } });

const button = (wrapper: Awaited<ReturnType<typeof renderDetail>>['wrapper'], text: string) => {
  const found = wrapper.findAll('button').find((candidate) => candidate.text() === text);
  if (!found) throw new Error(`no button ${text}`);
  return found;
};

describe('integration detail page', () => {
  it('shows runs with counts and record errors with reason and fix hint', async () => {
    const { wrapper } = await renderDetail();
    await flushPromises();
    expect(wrapper.get('h1').text()).toContain('Acme contacts');
    expect(wrapper.get('h1 [data-status="error"]').text()).toContain('Error');
    const runRow = wrapper.get('#cs-runs-heading').element.parentElement!;
    expect(runRow.textContent).toContain('4 s');
    expect(runRow.textContent).toContain('12');
    const errorRow = wrapper.get('tr[data-code="phone_digits_out_of_range"]');
    expect(errorRow.text()).toContain('003000000000042AAA');
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

  it('pauses, syncs now and retries failed records', async () => {
    const api = activeApi();
    const { wrapper } = await renderDetail(api);
    await flushPromises();
    await button(wrapper, 'Sync now').trigger('click');
    await flushPromises();
    expect(api.syncNow).toHaveBeenCalledWith(INTEGRATION_ID);
    await button(wrapper, 'Retry failed records').trigger('click');
    await flushPromises();
    expect(api.retryRecordErrors).toHaveBeenCalledWith(INTEGRATION_ID);
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
    expect(dialog.text()).toContain('Delete Acme contacts?');

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
    expect(createObjectURL).toHaveBeenCalledOnce();
    const csv = await created[0]!.text();
    expect(csv).toContain('003000000000042AAA');
    expect(csv).toContain('phone_digits_out_of_range');
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
    expect(api.putMapping).toHaveBeenCalledWith(INTEGRATION_ID, { EMAIL: 'Email', FIRSTNAME: 'FirstName' });
  });
});
