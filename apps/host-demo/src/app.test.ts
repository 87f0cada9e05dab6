import { jwtVerify } from 'jose';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHostDemoApp } from './app.ts';
import type { BrevoClient, BrevoContact } from './brevo-client.ts';
import { hostDemoConfigSchema } from './config.ts';

const config = hostDemoConfigSchema.parse({});
const contact: BrevoContact = {
  id: 7,
  email: 'ada@acme.test',
  attributes: { FIRSTNAME: '<b>Ada</b>', LASTNAME: 'Lovelace', SMS: '393331234567', EXT_ID: '003000000000001AAA' },
  listIds: [2],
  modifiedAt: '2026-11-27T10:00:00.000+01:00',
};

const brevo = {
  listContacts: vi.fn(async () => ({ contacts: [contact], count: 1 })),
  getContact: vi.fn(async () => contact),
  updateContact: vi.fn(async () => undefined),
  deleteContact: vi.fn(async () => undefined),
  inbox: vi.fn(async () => [
    { messageId: 'm1', accountId: 'acc_demo', sentAt: '2026-11-27T10:00:00.000Z', to: [{ email: 'marketing@acme.test' }], subject: 'Quota at 80%', textContent: 'Your integration used 80,000 operations.', tags: ['quota'] },
  ]),
} satisfies BrevoClient;

let server: Server;
let base: string;

beforeAll(async () => {
  const app = createHostDemoApp({ config, assets: { hostJs: 'console.log(1)', hostCss: 'body{}' }, brevo, origin: 'http://localhost:5170' });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
beforeEach(() => vi.clearAllMocks());

const get = (path: string, cookie = '') => fetch(`${base}${path}`, { headers: { cookie }, redirect: 'manual' });
const post = (path: string, body: Record<string, string>, cookie = '', origin = base, extra: Record<string, string> = {}) =>
  fetch(`${base}${path}`, { method: 'POST', headers: { cookie, origin, 'content-type': 'application/x-www-form-urlencoded', ...extra }, body: new URLSearchParams(body), redirect: 'manual' });

describe('host demo', () => {
  it('serves the integrations tab with the microfrontend boot data and a CSP allowing only the web and BFF origins', async () => {
    const response = await get('/integrations');
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('data-mf-root data-mode="module"');
    expect(page).toContain('"moduleUrl":"http://localhost:5180/src/mount.ts"');
    expect(page).toContain('"basePath":"/integrations"');
    expect(page).toContain('aria-controls="create-menu"');
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toContain('frame-src http://localhost:5180');
    expect(csp).toContain('connect-src \'self\' http://localhost:4000');
  });

  it("serves the app's page at every path below its base path (deep links, reloads) and a plans page for Upgrade", async () => {
    const deep = await get('/integrations/665f1c2b9a1e4b0012345678/setup/mapping');
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain('"basePath":"/integrations"');
    const plans = await (await get('/plans', 'hd_account=acc_free; hd_locale=it')).text();
    expect(plans).toContain('Questo account ha il piano Free.');
  });

  it('switches account, locale and mode with cookies and returns to the page', async () => {
    const response = await post('/host/preferences', { account: 'acc_free', locale: 'it', mode: 'iframe', returnTo: '/contacts' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/contacts');
    const cookies = response.headers.getSetCookie().map((cookie) => cookie.split(';')[0]).join('; ');
    expect(cookies).toContain('hd_account=acc_free');
    const page = await (await get('/integrations', cookies)).text();
    expect(page).toContain('<html lang="it">');
    expect(page).toContain('data-mode="iframe"');
    expect(page).toContain('"plan":"Free"');
    expect(page).toContain('Integrazioni');
  });

  it('never redirects a switch off-site', async () => {
    const response = await post('/host/preferences', { returnTo: '//evil.test/x' });
    expect(response.headers.get('location')).toBe('/integrations');
  });

  it('mints a token for the current account', async () => {
    const response = await post('/host/token', {}, 'hd_account=acc_free; hd_locale=it');
    const { token, expiresAt } = (await response.json()) as { token: string; expiresAt: number };
    const { payload } = await jwtVerify(token, new TextEncoder().encode(config.HOST_JWT_SECRET), { issuer: 'brevo-host-demo', audience: 'contact-sync-bff' });
    expect(payload).toMatchObject({ sub: 'usr_free', accountId: 'acc_free', plan: 'Free', locale: 'it' });
    expect(expiresAt - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(300);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses state-changing requests from another origin', async () => {
    const response = await post('/host/token', {}, '', 'https://evil.test');
    expect(response.status).toBe(403);
    const deletion = await post('/contacts/7/delete', {}, '', 'https://evil.test');
    expect(deletion.status).toBe(403);
    // What a browser sends for another site's form whatever its referrer policy: Sec-Fetch-Site, Origin null or none.
    const nullOrigin = await post('/contacts/7/delete', {}, '', 'null', { 'sec-fetch-site': 'cross-site' });
    expect(nullOrigin.status).toBe(403);
    const sameSite = await post('/contacts/7/delete', {}, '', 'null', { 'sec-fetch-site': 'same-site' });
    expect(sameSite.status).toBe(403);
    const noOrigin = await fetch(`${base}/contacts/7/delete`, { method: 'POST', headers: { 'sec-fetch-site': 'cross-site' }, redirect: 'manual' });
    expect(noOrigin.status).toBe(403);
    expect(brevo.deleteContact).not.toHaveBeenCalled();
  });

  it('keeps its origin on its own form posts (Chromium sends Origin: null under no-referrer) and accepts them', async () => {
    const page = await get('/contacts');
    expect(page.headers.get('referrer-policy')).toBe('same-origin');
    const response = await post('/host/preferences', { locale: 'it', returnTo: '/contacts' }, '', base, { 'sec-fetch-site': 'same-origin' });
    expect(response.status).toBe(303);
  });

  it('lists the Brevo contacts with the account’s key, escaped', async () => {
    const page = await (await get('/contacts')).text();
    expect(brevo.listContacts).toHaveBeenCalledWith('xkeysib-sandbox-demo', 0, 20);
    expect(page).toContain('ada@acme.test');
    expect(page).toContain('&#60;b&#62;Ada&#60;/b&#62;');
    expect(page).not.toContain('<b>Ada</b>');
    expect(page).toContain('href="/contacts/7/edit"');
  });

  it('edits and deletes a contact through the Brevo API', async () => {
    const edit = await (await get('/contacts/7/edit')).text();
    expect(edit).toContain('name="LASTNAME"');
    const saved = await post('/contacts/7', { EMAIL: 'ada@acme.test', FIRSTNAME: 'Ada', LASTNAME: '', SMS: '' });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe('/contacts?notice=saved');
    expect(brevo.updateContact).toHaveBeenCalledWith('xkeysib-sandbox-demo', 7, { EMAIL: 'ada@acme.test', FIRSTNAME: 'Ada', LASTNAME: null });
    const deleted = await post('/contacts/7/delete', {});
    expect(deleted.headers.get('location')).toBe('/contacts?notice=deleted');
    expect(brevo.deleteContact).toHaveBeenCalledWith('xkeysib-sandbox-demo', 7);
  });

  it('tells a free account without Brevo key that there is nothing to list', async () => {
    const page = await (await get('/contacts', 'hd_account=acc_free')).text();
    expect(page).toContain('no Brevo API key');
    expect(brevo.listContacts).not.toHaveBeenCalled();
  });

  it('shows the account’s sandbox inbox', async () => {
    const page = await (await get('/inbox')).text();
    expect(brevo.inbox).toHaveBeenCalledWith('acc_demo');
    expect(page).toContain('Quota at 80%');
  });

  it('reports a Brevo failure instead of crashing', async () => {
    brevo.listContacts.mockRejectedValueOnce(new Error('connect ECONNREFUSED'));
    const response = await get('/contacts');
    expect(response.status).toBe(502);
    expect(await response.text()).toContain('ECONNREFUSED');
  });
});
