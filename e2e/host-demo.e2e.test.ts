import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from './support/browser.ts';
import { createThroughList, integrationRow, LABELS, openHost, openIntegrationsFromPlusMenu, previewCounts, type Session } from './support/flow.ts';
import { stackUrls, type StackUrls } from './support/stack.ts';

/**
 * The product as a new user meets it: `npm start`'s processes, Debian's
 * Chromium, from the host's "+" menu to an active integration, in module
 * and iframe mode, in English and Italian. Screenshots: artifacts/screenshots/host-demo/.
 */
let stack: { urls: StackUrls };
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  stack = { urls: stackUrls() };
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
}, 60_000);

beforeEach(async () => {
  context = await browser.newContext({ viewport: { width: 1360, height: 900 }, acceptDownloads: true });
});
afterEach(async () => {
  await context.close();
});

const unique = (prefix: string) => `${prefix} ${randomBytes(3).toString('hex')}`;

/** The counts the first run (the initial load, Salesforce → Brevo) shows in the runs table, once it has finished. */
async function firstRunCounts(session: Session): Promise<Record<string, number>> {
  const row = session.app.locator('tr[data-direction="salesforce_to_brevo"][data-initial-load]');
  await row.waitFor({ timeout: 90_000 });
  await expect.poll(async () => row.getAttribute('data-status'), { timeout: 90_000, interval: 1_000 }).not.toBe('running');
  const counts: Record<string, number> = {};
  for (const cell of await row.locator('[data-count]').all()) counts[(await cell.getAttribute('data-count'))!] = Number((await cell.innerText()).replace(/\D/g, ''));
  return counts;
}

describe('host demo in a real browser', { timeout: 240_000 }, () => {
  it('module mode, English: from the "+" menu to an active integration whose first run counts what the preview said', async () => {
    const session = await openHost(await context.newPage(), stack.urls, { mode: 'module', locale: 'en', account: 'acc_demo', label: 'module-en' });
    const { app, page } = session;
    await openIntegrationsFromPlusMenu(session);
    await session.shot('integrations');
    await session.checkA11y();

    const name = unique('Acme contacts');
    await createThroughList(session, name);
    const predicted = await previewCounts(session);
    expect(predicted.created).toBeGreaterThan(100);
    expect(predicted.noEmailOrSms).toBeGreaterThan(0);
    await app.getByRole('button', { name: LABELS.en.activate }).click();

    await app.getByRole('heading', { level: 1, name: 'Integrations' }).waitFor();
    // One toast, the one that says what just happened.
    expect(await app.locator('.cs-toast').count()).toBe(1);
    const row = integrationRow(session, name);
    await row.waitFor();
    expect(['active', 'error']).toContain(await row.locator('[data-status]').getAttribute('data-status'));
    expect(await row.innerText()).toContain(`${name} list`);
    await session.shot('active');
    await session.checkA11y();

    // The detail page, at an address of its own under the host's base path.
    await row.getByRole('link', { name }).click();
    await app.getByRole('heading', { level: 1, name: new RegExp(name) }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/integrations\/[a-f0-9]{24}$/);
    const detailUrl = page.url();
    // The first run counts exactly what the preview predicted.
    const counts = await firstRunCounts(session);
    expect({ created: counts.created ?? 0, rejected: counts.rejected ?? 0, noEmailOrSms: counts.noEmailOrSms ?? 0 }).toEqual({
      created: predicted.created,
      rejected: predicted.rejected,
      noEmailOrSms: predicted.noEmailOrSms,
    });
    expect(await app.getByTestId('quota-label').innerText()).toMatch(/ of 100,000 operations this month, resets on /);
    await session.shot('detail');
    await session.checkA11y();

    // Record errors by cause: Retry only where it can succeed; who and where each record is.
    const groups = app.getByTestId('error-groups');
    const duplicates = groups.locator('[data-code="duplicate"]');
    await duplicates.waitFor();
    expect(await duplicates.innerText()).toContain('1 contact: EMAIL: this value already belongs to another Brevo contact.');
    expect(await groups.locator('[data-code="phone_digits_out_of_range"]').getByRole('button', { name: /^Retry/ }).count()).toBe(0);
    await app.getByRole('searchbox', { name: 'Search by name, email or record id' }).fill('shared.inbox');
    await app.getByRole('button', { name: 'Search', exact: true }).click();
    const found = app.locator('section[aria-labelledby="cs-errors-heading"] tbody tr');
    await expect.poll(() => found.count()).toBe(1);
    expect(await found.first().innerText()).toContain('shared.inbox@acme-customer.test');
    const link = found.first().getByRole('link');
    expect(await link.getAttribute('href')).toMatch(new RegExp(`^${stack.urls.salesforce}/003`));
    await session.shot('record-errors');
    const download = page.waitForEvent('download');
    await app.getByRole('button', { name: 'Export CSV' }).click();
    const csv = await readFile((await (await download).path())!, 'utf8');
    expect(csv).toContain('Contact,Email,Salesforce,URL,Brevo contact,Kind,Field,Reason,How to fix,When');
    expect(csv).toContain('shared.inbox@acme-customer.test');

    // Sync now, and the runs it asked for in the runs table (folded into one line when they read nothing).
    const runsShown = async () => {
      const idle = await app.getByTestId('idle-runs').count() ? Number((await app.getByTestId('idle-runs').innerText()).match(/\d+/)![0]) : 0;
      return (await app.locator('tr[data-run]').count()) + idle;
    };
    const before = await runsShown();
    await app.getByRole('button', { name: 'Sync now', exact: true }).click();
    await app.getByText('Sync started.').waitFor();
    expect(await app.locator('.cs-toast').count()).toBe(1);
    await expect.poll(runsShown, { timeout: 60_000, interval: 1_000 }).toBeGreaterThan(before);
    await session.shot('detail-runs');
    await app.getByRole('button', { name: 'Pause', exact: true }).click();
    await app.locator('h1 [data-status="paused"]').waitFor();
    await app.getByRole('button', { name: 'Resume', exact: true }).click();
    await app.locator('h1 [data-status="active"], h1 [data-status="error"]').first().waitFor();

    // How its Salesforce changes arrive: "every 60 s" while the worker's Change Data Capture stream catches up, then
    // in real time (the sandbox org has Contact selected). The user goes back and opens the page again to see it.
    const delivery = app.locator('[data-change-delivery]');
    await delivery.waitFor();
    expect(await delivery.innerText()).toMatch(/^Salesforce changes: (real time|every 60 s)/);
    await expect
      .poll(
        async () => {
          await app.getByRole('link', { name: 'Back to integrations' }).click();
          await integrationRow(session, name).getByRole('link', { name }).click();
          await app.getByRole('heading', { level: 1, name: new RegExp(name) }).waitFor();
          return (await delivery.count()) > 0 ? delivery.innerText() : '';
        },
        { timeout: 60_000, interval: 2_000 },
      )
      .toBe('Salesforce changes: real time (full check every 15 min)');
    await session.shot('detail-real-time');

    // A reload lands on the same screen; Back returns to the list.
    await page.reload();
    await app.getByRole('heading', { level: 1, name: new RegExp(name) }).waitFor();
    expect(page.url()).toBe(detailUrl);
    await page.goBack();
    await app.getByRole('heading', { level: 1, name: 'Integrations' }).waitFor();
  });

  for (const [mode, locale] of [['iframe', 'en'], ['module', 'it']] as const) {
    it(`tells a user whose Salesforce org has API access disabled how to enable it (${mode}, ${locale})`, async () => {
      const labels = LABELS[locale];
      const session = await openHost(await context.newPage(), stack.urls, { mode, locale, account: 'acc_demo', label: `${mode}-${locale}-noapi` });
      await openIntegrationsFromPlusMenu(session);
      await session.app.getByRole('link', { name: labels.setUpContacts }).click();
      await session.app.getByRole('textbox', { name: labels.name }).fill(unique(locale === 'it' ? 'Senza API' : 'No API'));
      await session.app.getByRole('button', { name: labels.create }).click();
      const popupOpened = session.page.waitForEvent('popup');
      await session.app.getByRole('button', { name: labels.connect, exact: true }).click();
      const popup = await popupOpened;
      await popup.waitForURL(`${stack.urls.salesforce}/**`);
      await popup.getByLabel('Username').fill('noapi@acme.test');
      await popup.getByLabel('Password').fill('demo1234');
      await popup.getByRole('button', { name: 'Log In' }).click();
      const message = session.app.getByTestId('connect-error');
      await message.waitFor({ timeout: 20_000 });
      expect(await message.innerText()).toContain(locale === 'en' ? 'API access is disabled' : "L'accesso API è disattivato");
      expect(await session.app.getByTestId('api-help').getAttribute('href')).toMatch(/^https:\/\/developer\.salesforce\.com\//);
      expect(await session.app.getByTestId('connected').count()).toBe(0);
      await session.shot('api-disabled');
      await session.checkLanguage();
    });
  }

  it('iframe mode, English: "Save and don\'t activate" leaves a draft; the host\'s address follows the app and a deep link reopens the screen', async () => {
    const session = await openHost(await context.newPage(), stack.urls, { mode: 'iframe', locale: 'en', account: 'acc_demo', label: 'iframe-en' });
    const { app, page } = session;
    await openIntegrationsFromPlusMenu(session);
    await session.shot('integrations');
    await session.checkA11y();

    const name = unique('Acme draft');
    await createThroughList(session, name);
    // The wizard's address is the host's.
    expect(new URL(page.url()).pathname).toMatch(/^\/integrations\/[a-f0-9]{24}\/setup\/preview$/);
    await app.getByRole('button', { name: LABELS.en.draft }).click();

    await app.getByRole('heading', { level: 1, name: 'Integrations' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/integrations');
    // The host shows the app's toasts, one at a time.
    await page.locator('[data-toasts] .toast', { hasText: 'saved as a draft' }).waitFor();
    expect(await page.locator('[data-toasts] .toast').count()).toBe(1);
    const row = integrationRow(session, name);
    await row.waitFor();
    expect(await row.locator('[data-status]').getAttribute('data-status')).toBe('draft');
    await session.shot('draft');

    await row.getByRole('link', { name }).click();
    await app.getByRole('heading', { level: 2, name: LABELS.en.preview }).waitFor();
    const previewUrl = page.url();
    // The iframe reports its height: the host sized it to the content.
    const height = await page.locator('iframe.mf__frame').evaluate((frame) => frame.getBoundingClientRect().height);
    expect(height).toBeGreaterThan(300);

    // Back in the host shows the list in the iframe; a shared link opens the draft where it stopped.
    await page.goBack();
    await app.getByRole('heading', { level: 1, name: 'Integrations' }).waitFor();
    const other = await context.newPage();
    await other.goto(previewUrl);
    await other.frameLocator('iframe.mf__frame').getByRole('heading', { level: 2, name: LABELS.en.preview }).waitFor();
    await other.close();
  });

  it('module mode, Italian: the whole wizard and the integration\'s page in Italian', async () => {
    const session = await openHost(await context.newPage(), stack.urls, { mode: 'module', locale: 'it', account: 'acc_demo', label: 'module-it' });
    await openIntegrationsFromPlusMenu(session);
    await session.shot('integrazioni');
    const name = unique('Contatti Acme');
    await createThroughList(session, name);
    await session.app.getByRole('button', { name: LABELS.it.activate }).click();
    await session.app.getByRole('heading', { level: 1, name: 'Integrazioni' }).waitFor();
    const row = integrationRow(session, name);
    await row.waitFor();
    expect(['active', 'error']).toContain(await row.locator('[data-status]').getAttribute('data-status'));
    expect(await row.innerText()).toMatch(new RegExp(`${LABELS.it.active}|${LABELS.it.error}`));
    await session.shot('attiva');
    await session.checkLanguage();

    await row.getByRole('link', { name }).click();
    await session.app.getByRole('heading', { level: 1, name: new RegExp(name) }).waitFor();
    await firstRunCounts(session);
    await session.app.getByTestId('error-groups').waitFor();
    await session.shot('dettaglio');
    await session.checkA11y();
    await session.checkLanguage();
    await session.app.getByRole('button', { name: "Modifica l'abbinamento" }).click();
    await session.app.locator('#cs-mapping-editor tr[data-attribute="EMAIL"]').getByLabel('EMAIL', { exact: true }).waitFor();
    await session.shot('modifica-abbinamento');
    await session.checkLanguage();
  });

  for (const locale of ['en', 'it'] as const) {
    it(`a free-plan account sees one upgrade notice, whose Upgrade the host handles, and cannot start a setup (R1, ${locale})`, async () => {
      const labels = LABELS[locale];
      for (const mode of ['module', 'iframe'] as const) {
        const session = await openHost(await context.newPage(), stack.urls, { mode, locale, account: 'acc_free', label: `free-${mode}-${locale}` });
        await openIntegrationsFromPlusMenu(session);
        await session.app.getByRole('heading', { name: labels.upgrade }).waitFor();
        expect(await session.app.getByTestId('upgrade-notice').count()).toBe(1);
        expect(await session.app.getByRole('link', { name: labels.setUpContacts }).count()).toBe(0);
        await session.shot('upgrade-notice');
        await session.checkA11y();
        await session.checkLanguage();
        await session.app.getByTestId('upgrade-notice').getByRole('button', { name: labels.upgradeAction }).click();
        await session.page.waitForURL(`${stack.urls.host}/plans`);
        await session.shot('plans');
        await session.page.close();
      }
    });
  }

  it('the iframe page ignores a host that is not on its allowlist', async () => {
    // A page of another (local) origin embeds the iframe page and plays the host, posting init to "*".
    const foreign = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><html lang="en"><title>foreign host</title><iframe id="f" title="x" src="${stack.urls.web}/iframe.html"></iframe>
        <script>
          window.received = [];
          window.addEventListener('message', (event) => window.received.push(event.data && event.data.type));
          const init = { namespace: 'contact-sync', version: '1.0.0', type: 'init', payload: { context: {
            contractVersion: '1.0.0', accountId: 'acc_demo', plan: 'BrevoPlus', basePath: '/integrations',
            user: { id: 'u', email: 'x@foreign.test', locale: 'en' } } } };
          setInterval(() => document.getElementById('f').contentWindow.postMessage(init, '*'), 200);
        </script></html>`);
    });
    await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
    try {
      const page = await context.newPage();
      await page.goto(`http://127.0.0.1:${(foreign.address() as AddressInfo).port}/`);
      const frame = page.frameLocator('#f');
      await frame.locator('#app').waitFor({ state: 'attached' });
      await page.waitForTimeout(2_500);
      // Never mounted: the init came from an origin that is not allowed.
      expect(await frame.locator('#app').innerHTML()).toBe('');
      // Our messages (ready, token requests) are addressed to allowed origins only: the foreign page gets none.
      expect(await page.evaluate(() => (window as unknown as { received: unknown[] }).received)).toEqual([]);
      await screenshot(page, 'iframe-foreign-host-ignored');
    } finally {
      await new Promise((resolve) => foreign.close(resolve));
    }
  });
});
