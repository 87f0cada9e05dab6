import { afterEach, describe, expect, it, vi } from 'vitest';
import { SALESFORCE_AUTHORIZED_MESSAGE, SALESFORCE_AUTHORIZED_RECEIPT } from '../api/types.ts';
import { openSalesforcePopup } from './salesforce-popup.ts';

const BFF = 'http://localhost:4000';

function setup(getAuthorizeUrl = async () => 'http://sf.test/authorize?state=s1', complete = vi.fn(async () => undefined)) {
  const popup = { closed: false, location: { href: 'about:blank' }, close: vi.fn(() => (popup.closed = true)), postMessage: vi.fn() };
  vi.spyOn(window, 'open').mockReturnValue(popup as unknown as Window);
  const handle = openSalesforcePopup({ integrationId: 'i1', bffOrigin: BFF, getAuthorizeUrl, complete, closedPollMs: 10 });
  return { popup, handle, complete };
}

function post(source: unknown, origin: string, data: unknown) {
  const event = new MessageEvent('message', { data, origin });
  Object.defineProperty(event, 'source', { value: source });
  window.dispatchEvent(event);
}

afterEach(() => vi.restoreAllMocks());

describe('openSalesforcePopup', () => {
  it('completes with what its own popup relayed from the BFF origin for the state it started, and sends the page its receipt', async () => {
    const { popup, handle, complete } = setup();
    await Promise.resolve();
    const relayed = { type: SALESFORCE_AUTHORIZED_MESSAGE, state: 's1', code: 'c1', error: null };
    post(popup, 'http://evil.test', relayed);
    post(window, BFF, relayed);
    post(popup, BFF, { ...relayed, state: 'someone-elses' });
    post(popup, BFF, { type: 'something-else' });
    expect(complete).not.toHaveBeenCalled();
    post(popup, BFF, relayed);
    await expect(handle.outcome).resolves.toEqual({ kind: 'message', ok: true });
    expect(complete).toHaveBeenCalledExactlyOnceWith({ state: 's1', code: 'c1' });
    expect(popup.postMessage).toHaveBeenCalledWith({ type: SALESFORCE_AUTHORIZED_RECEIPT }, BFF);
  });

  it('reports the completion’s error code, and a denial without completing anything', async () => {
    const refused = setup(undefined, vi.fn(async () => Promise.reject(Object.assign(new Error('x'), { code: 'oauth_state_mismatch' }))));
    await Promise.resolve();
    post(refused.popup, BFF, { type: SALESFORCE_AUTHORIZED_MESSAGE, state: 's1', code: 'c1', error: null });
    await expect(refused.handle.outcome).resolves.toEqual({ kind: 'message', ok: false, error: 'oauth_state_mismatch' });

    const denied = setup();
    await Promise.resolve();
    post(denied.popup, BFF, { type: SALESFORCE_AUTHORIZED_MESSAGE, state: 's1', code: null, error: 'oauth_denied' });
    await expect(denied.handle.outcome).resolves.toEqual({ kind: 'message', ok: false, error: 'oauth_denied' });
    expect(denied.complete).not.toHaveBeenCalled();
  });

  it('keeps waiting for the completion when the popup closes itself after its receipt', async () => {
    let resolveCompletion: () => void = () => {};
    const { popup, handle } = setup(undefined, vi.fn(() => new Promise<undefined>((resolve) => (resolveCompletion = () => resolve(undefined)))));
    await Promise.resolve();
    post(popup, BFF, { type: SALESFORCE_AUTHORIZED_MESSAGE, state: 's1', code: 'c1', error: null });
    popup.closed = true;
    await new Promise((resolve) => setTimeout(resolve, 400));
    resolveCompletion();
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
    const handle = openSalesforcePopup({ integrationId: 'i1', bffOrigin: BFF, getAuthorizeUrl: async () => 'x', complete: async () => undefined });
    await expect(handle.outcome).resolves.toEqual({ kind: 'blocked' });
  });
});
