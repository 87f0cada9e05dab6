import { createHmac } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from './support/browser.ts';
import { stackUrls } from './support/stack.ts';

/**
 * Hostile values (markup that would run if inserted as HTML, emoji, 10 kB
 * strings, NUL bytes) put into Salesforce and Brevo through the sandboxes,
 * and into an integration name through the BFF, then shown by every page that
 * displays them: each must render them as inert text — no dialog, no
 * injected element, no script run.
 */
const MARK = 'hostile-e2e';
const IMG = `<img src=x data-hostile onerror="window.__pwned='img';alert('${MARK}')">`;
const SCRIPT = `<script data-hostile>window.__pwned='script';alert('${MARK}')</script>`;
const EMOJI = '🦄👩🏽‍💻🇮🇹';
const LONG = `${MARK}-long-`.padEnd(10_240, 'x');
const NUL = `nul\u0000byte`;

/** The stack's host and BFF run with the development JWT settings. */
const JWT = { secret: 'dev-only-host-jwt-secret-change-me-32chars', issuer: 'brevo-host-demo', audience: 'contact-sync-bff' };
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
function hostToken(): string {
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub: 'user_hostile', accountId: 'acc_demo', plan: 'BrevoPlus', email: 'owner@acme.test', locale: 'en', iss: JWT.issuer, aud: JWT.audience, iat: now, nbf: now, exp: now + 120 };
  const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
  return `${input}.${createHmac('sha256', JWT.secret).update(input).digest('base64url')}`;
}

let browser: Browser;
const dialogs: string[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

async function open(url: string): Promise<Page> {
  const page = await browser.newPage();
  page.on('dialog', (dialog) => {
    dialogs.push(`${page.url()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.goto(url, { waitUntil: 'load' });
  return page;
}

/** Nothing ran and nothing was injected; the values are on the page as text. */
async function expectInert(page: Page, name: string, texts: string[]) {
  // Give an onerror handler (the image load fails at once) time to fire.
  await page.waitForTimeout(300);
  const found = await page.evaluate(() => ({
    pwned: (window as unknown as { __pwned?: string }).__pwned ?? null,
    injected: document.querySelectorAll('[data-hostile]').length,
    text: document.body.innerText,
  }));
  await screenshot(page, `hostile-${name}`);
  expect(found.pwned, name).toBeNull();
  expect(found.injected, name).toBe(0);
  for (const text of texts) expect(found.text, `${name} shows ${text.slice(0, 30)}`).toContain(text);
  expect(dialogs).toEqual([]);
}

describe('hostile values render inertly', () => {
  it('in the Salesforce sandbox record pages', async () => {
    const stack = stackUrls();
    const form = new URLSearchParams({ FirstName: IMG.slice(0, 40), LastName: `${SCRIPT.slice(0, 60)} ${EMOJI}`, Email: 'hostile@acme.test', Description: `${IMG}${SCRIPT}${NUL}${LONG}` });
    const created = await fetch(`${stack.salesforce}/records/Contact`, { method: 'POST', body: form, redirect: 'manual' });
    expect(created.status, await created.clone().text().then((t) => t.slice(0, 500))).toBe(303);
    const recordUrl = new URL(created.headers.get('location')!, stack.salesforce).toString();

    const record = await open(recordUrl);
    await expectInert(record, 'salesforce-record', []);
    // Form fields carry the values; the page must not have turned them into markup.
    expect(await record.locator('textarea[name="Description"]').inputValue()).toContain(LONG);
    expect(await record.locator('textarea[name="Description"]').inputValue()).toContain(IMG);
    await record.close();

    const list = await open(`${stack.salesforce}/?object=Contact`);
    await expectInert(list, 'salesforce-list', []);
    await list.close();
  });

  it('in the Brevo sandbox contacts page and the host demo Contacts page', async () => {
    const stack = stackUrls();
    const created = await fetch(`${stack.brevo}/v3/contacts`, {
      method: 'POST',
      headers: { 'api-key': 'xkeysib-sandbox-demo', 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'hostile.brevo@acme.test', attributes: { FIRSTNAME: `${IMG} ${EMOJI}`, LASTNAME: `${SCRIPT} ${NUL} ${LONG}` } }),
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const { id } = (await created.json()) as { id: number };

    const sandbox = await open(`${stack.brevo}/`);
    await expectInert(sandbox, 'brevo-contacts', ['hostile.brevo@acme.test', EMOJI, `${MARK}-long-`]);
    await sandbox.close();
    const sandboxContact = await open(`${stack.brevo}/contacts/${id}`);
    await expectInert(sandboxContact, 'brevo-contact', []);
    await sandboxContact.close();

    const host = await open(`${stack.host}/contacts`);
    await expectInert(host, 'host-contacts', ['hostile.brevo@acme.test']);
    await host.close();
    const hostEdit = await open(`${stack.host}/contacts/${id}/edit`);
    await expectInert(hostEdit, 'host-contact-edit', []);
    await hostEdit.close();
  });

  it('in the microfrontend (an integration named with markup and emoji)', async () => {
    const stack = stackUrls();
    const name = `${IMG.slice(0, 60)} ${EMOJI}`;
    const created = await fetch(`${stack.bff}/api/v1/integrations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${hostToken()}`, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'salesforce-contacts', name }),
    });
    expect(created.status, await created.clone().text()).toBe(201);

    const page = await open(`${stack.host}/`);
    await page.locator('[data-create-toggle]').click();
    await page.getByRole('menuitem', { name: 'Integrations' }).or(page.getByRole('link', { name: 'Integrations' })).first().click();
    await expect.poll(() => page.getByText(EMOJI).count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await expectInert(page, 'microfrontend-integrations', [name.trim()]);
    await page.close();
  });
});
