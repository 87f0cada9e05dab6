import { createTestingPinia } from '@pinia/testing';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/api-error.ts';
import type { ContactSyncApi } from '../api/contact-sync-api.ts';
import { createFakeApi, type FakeApi } from '../test-utils/fake-api.ts';
import { CONNECTED, INTEGRATION_ID, makeIntegration, makeMappingInputs } from '../test-utils/fixtures.ts';
import { useContextStore } from './context.ts';
import { useIntegrationsStore } from './integrations.ts';
import { useWizardStore } from './wizard.ts';

let api: FakeApi;

beforeEach(() => {
  api = createFakeApi();
  const pinia = createTestingPinia({ createSpy: vi.fn, stubActions: false });
  useContextStore(pinia).configure(api as unknown as ContactSyncApi, 'http://localhost:4000');
});

describe('wizard store', () => {
  it('resumes at the draft’s next step and never past it', async () => {
    api.getIntegration.mockResolvedValue(makeIntegration({ nextStep: 'mapping', salesforce: CONNECTED }));
    const wizard = useWizardStore();
    await wizard.load(INTEGRATION_ID, 'preview');
    expect(wizard.step).toBe('mapping');
    wizard.goTo('list');
    expect(wizard.step).toBe('mapping');
    wizard.goTo('connect');
    expect(wizard.step).toBe('connect');
  });

  it('validates the mapping locally on every change (R5/R6)', async () => {
    api.getIntegration.mockResolvedValue(makeIntegration({ nextStep: 'mapping' }));
    api.getMappingOptions.mockResolvedValue(makeMappingInputs({}));
    const wizard = useWizardStore();
    await wizard.load(INTEGRATION_ID);
    await wizard.loadMappingOptions();
    expect(wizard.mappingIssues.map((issue) => issue.code)).toEqual(['email_or_sms_required']);
    expect(wizard.canContinueMapping).toBe(false);

    wizard.setMapping('EMAIL', 'Email');
    expect(wizard.canContinueMapping).toBe(true);
    wizard.setMapping('BIRTHDAY', 'FirstName');
    expect(wizard.mappingIssues.map((issue) => [issue.code, issue.field])).toEqual([['field_type_incompatible', 'BIRTHDAY']]);
    wizard.setMapping('BIRTHDAY', '');
    expect(wizard.mapping).toEqual({ EMAIL: 'Email' });
    expect(api.putMapping).not.toHaveBeenCalled();
  });

  it('starts a first mapping from the suggested pairs, and forgets a suggestion the user changes', async () => {
    api.getIntegration.mockResolvedValue(makeIntegration({ nextStep: 'mapping' }));
    api.getMappingOptions.mockResolvedValue(makeMappingInputs());
    const wizard = useWizardStore();
    await wizard.load(INTEGRATION_ID);
    await wizard.loadMappingOptions();
    expect(wizard.mapping).toEqual({ EMAIL: 'Email', SMS: 'MobilePhone', FIRSTNAME: 'FirstName', LASTNAME: 'LastName', BIRTHDAY: 'Birthdate' });
    expect([...wizard.suggested].sort()).toEqual(['BIRTHDAY', 'EMAIL', 'FIRSTNAME', 'LASTNAME', 'SMS']);
    expect(wizard.canContinueMapping).toBe(true);
    wizard.setMapping('BIRTHDAY', '');
    expect(wizard.suggested.has('BIRTHDAY')).toBe(false);
    expect(api.putMapping).not.toHaveBeenCalled();

    // A saved mapping is the user's own: nothing suggested.
    api.getMappingOptions.mockResolvedValue(makeMappingInputs({ EMAIL: 'Email' }));
    await wizard.loadMappingOptions();
    expect(wizard.mapping).toEqual({ EMAIL: 'Email' });
    expect(wizard.suggested.size).toBe(0);
  });

  it('keeps a 422’s issues until the mapping changes', async () => {
    api.getIntegration.mockResolvedValue(makeIntegration({ nextStep: 'mapping' }));
    api.getMappingOptions.mockResolvedValue(makeMappingInputs({ EMAIL: 'Email' }));
    const issue = { code: 'unknown_salesforce_field', rule: 'R5', field: 'EMAIL', messageKey: 'rules.mapping.unknownField', params: { field: 'EMAIL', salesforceField: 'Email' } };
    api.putMapping.mockRejectedValueOnce(new ApiError(422, 'validation_failed', 'invalid', { issues: [issue] }));
    const wizard = useWizardStore();
    await wizard.load(INTEGRATION_ID);
    await wizard.loadMappingOptions();
    expect(await wizard.saveMapping()).toBe(false);
    expect(wizard.mappingIssues).toEqual([issue]);
    expect(wizard.error).toBeNull();
    wizard.setMapping('SMS', 'MobilePhone');
    expect(wizard.serverIssues).toEqual([]);
  });

  it('requires ticked consent before saving it (R4)', async () => {
    api.getIntegration.mockResolvedValue(makeIntegration({ nextStep: 'consent' }));
    const wizard = useWizardStore();
    await wizard.load(INTEGRATION_ID);
    expect(await wizard.saveConsent()).toBe(false);
    expect(api.putConsent).not.toHaveBeenCalled();
    wizard.consentChecked = true;
    expect(await wizard.saveConsent()).toBe(true);
    expect(wizard.reachableIndex).toBe(2);
  });

  it('selects a newly created list', async () => {
    api.getIntegration.mockResolvedValue(makeIntegration({ nextStep: 'list' }));
    const wizard = useWizardStore();
    await wizard.load(INTEGRATION_ID);
    await wizard.loadLists();
    expect(wizard.selectedListId).toBe(2);
    await wizard.createList('  Fresh  ');
    expect(api.createBrevoList).toHaveBeenCalledWith('Fresh');
    expect(wizard.selectedListId).toBe(42);
    expect(wizard.lists[0]!.name).toBe('Fresh');
  });

  it('records the connect outcome', async () => {
    api.getIntegration.mockResolvedValue(makeIntegration());
    const wizard = useWizardStore();
    await wizard.load(INTEGRATION_ID);
    await wizard.connectFinished('closed');
    expect(wizard.connect).toEqual({ state: 'failed', messageKey: 'connect.cancelled' });
    api.getIntegration.mockResolvedValue(makeIntegration({ nextStep: 'consent', salesforce: CONNECTED }));
    await wizard.connectFinished({ ok: true });
    expect(wizard.connect).toEqual({ state: 'idle' });
    expect(wizard.integration?.salesforce?.username).toBe('demo@acme.test');
  });

  it('activation updates the integrations list', async () => {
    api.getIntegration.mockResolvedValue(makeIntegration({ nextStep: 'preview' }));
    const wizard = useWizardStore();
    await wizard.load(INTEGRATION_ID);
    expect(await wizard.activate()).toBe(true);
    expect(useIntegrationsStore().items[0]?.status).toBe('active');
  });
});
