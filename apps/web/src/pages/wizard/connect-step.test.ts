import { flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/api-error.ts';
import { SALESFORCE_AUTHORIZED_MESSAGE, SALESFORCE_AUTHORIZED_RECEIPT } from '../../api/types.ts';
import { useWizardStore } from '../../stores/wizard.ts';
import { createFakeApi } from '../../test-utils/fake-api.ts';
import { CONNECTED, INTEGRATION_ID, makeIntegration } from '../../test-utils/fixtures.ts';
import { BFF_ORIGIN, createTestContext, render } from '../../test-utils/render.ts';
import ConnectStep from './connect-step.vue';

interface FakePopup {
  closed: boolean;
  location: { href: string };
  close(): void;
  postMessage: ReturnType<typeof vi.fn>;
}

function stubPopup() {
  const popup: FakePopup = { closed: false, location: { href: 'about:blank' }, close: () => (popup.closed = true), postMessage: vi.fn() };
  const open = vi.spyOn(window, 'open').mockReturnValue(popup as unknown as Window);
  return { popup, open };
}

function postFrom(source: unknown, origin: string, data: unknown): void {
  const event = new MessageEvent('message', { data, origin });
  Object.defineProperty(event, 'source', { value: source });
  window.dispatchEvent(event);
}

async function renderConnect(locale = 'en') {
  const api = createFakeApi();
  api.getIntegration.mockResolvedValue(makeIntegration());
  const context = createTestContext({ api, locale });
  await useWizardStore(context.pinia).load(INTEGRATION_ID);
  return render(ConnectStep, { locale }, context);
}

afterEach(() => vi.restoreAllMocks());

describe('connect step', () => {
  it('opens the Salesforce login in a popup, inside the click', async () => {
    const { popup, open } = stubPopup();
    const { wrapper, api } = await renderConnect();
    const button = wrapper.get('button');
    expect(button.text()).toBe('Connect your account');
    await button.trigger('click');
    expect(open).toHaveBeenCalledOnce();
    await flushPromises();
    expect(api.startSalesforceConnect).toHaveBeenCalledWith(INTEGRATION_ID);
    expect(popup.location.href).toBe('http://localhost:4010/services/oauth2/authorize?state=s');
    expect(wrapper.text()).toContain('Waiting for you to log in');
  });

  it('completes the connection itself with what its popup relayed from the BFF origin, without a reload, and shows user and org', async () => {
    const { popup } = stubPopup();
    const { wrapper, api } = await renderConnect();
    await wrapper.get('button').trigger('click');
    await flushPromises();
    api.getIntegration.mockResolvedValue(makeIntegration({ nextStep: 'consent', salesforce: CONNECTED }));
    const message = { type: SALESFORCE_AUTHORIZED_MESSAGE, state: 's', code: 'the-code', error: null };

    postFrom(popup, 'https://evil.test', message);
    postFrom({}, BFF_ORIGIN, message);
    postFrom(popup, BFF_ORIGIN, { ...message, state: 'another-sign-in' });
    await flushPromises();
    expect(api.completeSalesforceConnect).not.toHaveBeenCalled();
    expect(api.getIntegration).toHaveBeenCalledTimes(1);
    expect(wrapper.find('[data-testid="connected"]').exists()).toBe(false);

    postFrom(popup, BFF_ORIGIN, message);
    await flushPromises();
    expect(popup.postMessage).toHaveBeenCalledWith({ type: SALESFORCE_AUTHORIZED_RECEIPT }, BFF_ORIGIN);
    expect(api.completeSalesforceConnect).toHaveBeenCalledWith(INTEGRATION_ID, { state: 's', code: 'the-code' });
    expect(wrapper.get('[data-testid="connected"]').text()).toContain('Demo User (demo@acme.test)');
    expect(wrapper.get('[data-testid="connected"]').text()).toContain('00D000000000001EAA');
    const continueButton = wrapper.findAll('button').find((button) => button.text() === 'Continue');
    expect(continueButton).toBeDefined();
    await continueButton!.trigger('click');
    expect(wrapper.emitted('done')).toHaveLength(1);
  });

  it('tells a user whose org has API access disabled to enable it', async () => {
    const { popup } = stubPopup();
    const { wrapper, api } = await renderConnect();
    api.completeSalesforceConnect.mockRejectedValue(new ApiError(409, 'salesforce_api_disabled', 'API access is disabled'));
    await wrapper.get('button').trigger('click');
    await flushPromises();
    postFrom(popup, BFF_ORIGIN, { type: SALESFORCE_AUTHORIZED_MESSAGE, state: 's', code: 'the-code', error: null });
    await flushPromises();
    expect(wrapper.get('[data-testid="connect-error"]').text()).toContain('enable "API Enabled"');
    // Salesforce's own page on it, as the article links to it, opening beside the wizard.
    expect(wrapper.get('[data-testid="api-help"]').attributes()).toMatchObject({
      href: 'https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/intro_rest_compatible_editions.htm',
      target: '_blank',
      rel: 'noopener noreferrer',
    });
  });

  it('says so when the browser blocks the popup', async () => {
    vi.spyOn(window, 'open').mockReturnValue(null);
    const { wrapper } = await renderConnect();
    await wrapper.get('button').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-testid="connect-error"]').text()).toContain('blocked');
  });

  it('uses the Italian label', async () => {
    const { wrapper } = await renderConnect('it');
    expect(wrapper.get('button').text()).toBe('Collega il tuo account');
  });
});
