import { CONTRACT_VERSION, type MountContext } from '@contact-sync/contract';
import { flushPromises } from '@vue/test-utils';
import { getActivePinia } from 'pinia';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mount } from './mount.ts';

function makeContext(overrides: Partial<MountContext> = {}): MountContext {
  return {
    contractVersion: CONTRACT_VERSION,
    accountId: 'acc_demo',
    user: { id: 'u1', email: 'marketer@acme.test', locale: 'en' },
    plan: 'BrevoPlus',
    basePath: '/integrations',
    getToken: vi.fn(async () => 'token-1'),
    ...overrides,
  };
}

function fakeFetch(body: unknown = { integrations: [] }) {
  return vi.fn(async () => new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } }));
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('mount', () => {
  it('renders the integrations page and asks for a fresh token before each request', async () => {
    const el = document.createElement('div');
    document.body.appendChild(el);
    const context = makeContext();
    const fetch = fakeFetch();
    const app = mount(el, context, { bffUrl: 'http://bff.test', fetch });
    await flushPromises();

    expect(el.querySelector('h1')?.textContent).toContain('Integrations');
    expect(el.textContent).toContain('Salesforce contacts');
    expect(el.querySelector('style[data-contact-sync]')).not.toBeNull();
    expect(fetch).toHaveBeenCalledWith('http://bff.test/api/v1/integrations', expect.objectContaining({ method: 'GET' }));
    const [, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect((init.headers as Record<string, string>).Authorization).toBe('Bearer token-1');
    expect(context.getToken).toHaveBeenCalledTimes(1);
    app.unmount();
  });

  it('unmount leaves the element empty and no active pinia behind', async () => {
    const el = document.createElement('div');
    document.body.appendChild(el);
    const app = mount(el, makeContext(), { bffUrl: 'http://bff.test', fetch: fakeFetch() });
    await flushPromises();
    expect(el.childNodes.length).toBeGreaterThan(0);

    app.unmount();
    expect(el.innerHTML).toBe('');
    expect(el.childNodes.length).toBe(0);
    expect(getActivePinia()).toBeUndefined();
    expect(document.head.querySelector('style[data-contact-sync]')).toBeNull();
    // A second unmount is harmless.
    app.unmount();
  });

  it('keeps two mounts independent', async () => {
    const first = document.createElement('div');
    const second = document.createElement('div');
    document.body.append(first, second);
    const a = mount(first, makeContext({ user: { id: 'u1', email: 'a@acme.test', locale: 'en' } }), { bffUrl: 'http://bff.test', fetch: fakeFetch() });
    const b = mount(second, makeContext({ user: { id: 'u2', email: 'b@acme.test', locale: 'it' } }), { bffUrl: 'http://bff.test', fetch: fakeFetch() });
    await flushPromises();

    expect(first.querySelector('h1')?.textContent).toContain('Integrations');
    expect(second.querySelector('h1')?.textContent).toContain('Integrazioni');
    a.unmount();
    expect(first.innerHTML).toBe('');
    expect(second.querySelector('h1')?.textContent).toContain('Integrazioni');
    b.unmount();
    expect(second.innerHTML).toBe('');
  });

  it('update switches locale and plan without remounting', async () => {
    const el = document.createElement('div');
    document.body.appendChild(el);
    const app = mount(el, makeContext({ plan: 'Free' }), { bffUrl: 'http://bff.test', fetch: fakeFetch() });
    await flushPromises();
    expect(el.querySelector('[data-testid="upgrade-notice"]')).not.toBeNull();
    const heading = el.querySelector('h1');

    app.update(makeContext({ plan: 'BrevoPlus', user: { id: 'u1', email: 'marketer@acme.test', locale: 'it-IT' } }));
    await flushPromises();
    expect(el.querySelector('h1')).toBe(heading);
    expect(heading?.textContent).toContain('Integrazioni');
    expect(el.querySelector('[data-testid="upgrade-notice"]')).toBeNull();
    app.unmount();
  });

  it('uses the latest context’s getToken after update', async () => {
    const el = document.createElement('div');
    document.body.appendChild(el);
    const fetch = fakeFetch();
    const first = makeContext();
    const app = mount(el, first, { bffUrl: 'http://bff.test', fetch });
    await flushPromises();
    const second = makeContext({ accountId: 'acc_other', getToken: vi.fn(async () => 'token-2') });
    app.update(second);
    await flushPromises();
    expect(second.getToken).toHaveBeenCalled();
    const [, init] = fetch.mock.calls.at(-1) as unknown as [string, RequestInit];
    expect((init.headers as Record<string, string>).Authorization).toBe('Bearer token-2');
    app.unmount();
  });
});

describe('module mode: the route lives in the host page’s address, under basePath', () => {
  const ID = '665f1c2b9a1e4b0012345678';
  afterEach(() => window.history.replaceState(null, '', '/'));

  it('opens the screen a deep link or a reload names', async () => {
    window.history.replaceState(null, '', `/integrations/${ID}`);
    const el = document.body.appendChild(document.createElement('div'));
    const fetch = fakeFetch();
    const app = mount(el, makeContext(), { bffUrl: 'http://bff.test', fetch });
    await flushPromises();
    expect(fetch).toHaveBeenCalledWith(`http://bff.test/api/v1/integrations/${ID}`, expect.objectContaining({ method: 'GET' }));
    app.unmount();
  });

  it('moves the address with each screen, and Back returns to the previous one', async () => {
    window.history.replaceState(null, '', '/integrations');
    const el = document.body.appendChild(document.createElement('div'));
    const app = mount(el, makeContext(), { bffUrl: 'http://bff.test', fetch: fakeFetch() });
    await flushPromises();
    el.querySelector<HTMLAnchorElement>('.cs-card a')!.click();
    await flushPromises();
    expect(window.location.pathname).toBe('/integrations/new/salesforce-contacts');
    expect(el.querySelector('h1')?.textContent).toContain('Salesforce contacts');

    window.history.back();
    await vi.waitFor(() => expect(window.location.pathname).toMatch(/^\/integrations\/?$/));
    await flushPromises();
    await vi.waitFor(() => expect(el.querySelector('h1')?.textContent).toContain('Integrations'));
    app.unmount();
    // Nothing listens any more: a later Back of the host's own pages reaches no app.
    window.history.pushState(null, '', '/contacts');
    window.dispatchEvent(new PopStateEvent('popstate'));
    expect(el.innerHTML).toBe('');
  });
});
