import { afterEach, describe, expect, it, vi } from 'vitest';
import { SALESFORCE_CONNECTED_MESSAGE } from '../api/types.ts';
import { openSalesforcePopup } from './salesforce-popup.ts';

const BFF = 'http://localhost:4000';

function setup(getAuthorizeUrl = async () => 'http://sf.test/authorize') {
  const popup = { closed: false, location: { href: 'about:blank' }, close: vi.fn(() => (popup.closed = true)) };
  vi.spyOn(window, 'open').mockReturnValue(popup as unknown as Window);
  const handle = openSalesforcePopup({ integrationId: 'i1', bffOrigin: BFF, getAuthorizeUrl, closedPollMs: 10 });
  return { popup, handle };
}

function post(source: unknown, origin: string, data: unknown) {
  const event = new MessageEvent('message', { data, origin });
  Object.defineProperty(event, 'source', { value: source });
  window.dispatchEvent(event);
}

afterEach(() => vi.restoreAllMocks());

describe('openSalesforcePopup', () => {
  it('resolves with the callback’s message from the BFF origin and the popup only', async () => {
    const { popup, handle } = setup();
    await Promise.resolve();
    const ok = { type: SALESFORCE_CONNECTED_MESSAGE, integrationId: 'i1', ok: true };
    post(popup, 'http://evil.test', ok);
    post(window, BFF, ok);
    post(popup, BFF, { ...ok, integrationId: 'other' });
    post(popup, BFF, { type: 'something-else' });
    post(popup, BFF, ok);
    await expect(handle.outcome).resolves.toEqual({ kind: 'message', ok: true });
  });

  it('reports a closed popup', async () => {
    const { popup, handle } = setup();
    popup.closed = true;
    await expect(handle.outcome).resolves.toEqual({ kind: 'closed' });
  });

  it('closes the popup and reports the API error when no authorize URL can be had', async () => {
    const { popup, handle } = setup(async () => Promise.reject(Object.assign(new Error('x'), { code: 'plan_required' })));
    await expect(handle.outcome).resolves.toEqual({ kind: 'message', ok: false, error: 'plan_required' });
    expect(popup.close).toHaveBeenCalled();
  });

  it('reports a blocked popup', async () => {
    vi.spyOn(window, 'open').mockReturnValue(null);
    const handle = openSalesforcePopup({ integrationId: 'i1', bffOrigin: BFF, getAuthorizeUrl: async () => 'x' });
    await expect(handle.outcome).resolves.toEqual({ kind: 'blocked' });
  });
});
