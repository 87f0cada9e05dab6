import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from './support/browser.ts';
import { createThroughList, integrationRow, LABELS, openHost, openIntegrationsFromPlusMenu } from './support/flow.ts';
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
  context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
});
afterEach(async () => {
  await context.close();
});

const unique = (prefix: string) => `${prefix} ${randomBytes(3).toString('hex')}`;

describe('host demo in a real browser', { timeout: 180_000 }, () => {
  it('module mode, English: from the "+" menu to an active integration', async () => {
    const session = await openHost(await context.newPage(), stack.urls, { mode: 'module', locale: 'en', account: 'acc_demo', label: 'module-en' });
    await openIntegrationsFromPlusMenu(session);
    await session.shot('integrations');
    await session.checkA11y();

    const name = unique('Acme contacts');
    await createThroughList(session, name);
    await session.app.getByRole('button', { name: LABELS.en.activate }).click();

    await session.app.getByRole('heading', { level: 1, name: 'Integrations' }).waitFor();
    const row = integrationRow(session, name);
    await row.waitFor();
    // Activated: syncing, `error` as soon as a first run met record errors (the sandbox seeds some).
    expect(['active', 'error']).toContain(await row.locator('[data-status]').getAttribute('data-status'));
    expect(await row.innerText()).toContain(`${name} list`);
    await session.shot('active');
    await session.checkA11y();

    // The detail page: runs, record errors, actions.
    await row.getByRole('link', { name }).click();
    await session.app.getByRole('heading', { level: 1, name: new RegExp(name) }).waitFor();
    await session.shot('detail');
    await session.checkA11y();
    // Sync now, and the runs the worker recorded (the first one started on activation) in the runs table.
    await session.app.getByRole('button', { name: 'Sync now', exact: true }).click();
    const runRows = session.app.locator('section[aria-labelledby="cs-runs-heading"] tbody tr');
    await runRows.first().waitFor({ timeout: 60_000 });
    expect(await runRows.first().innerText()).toMatch(/\d/);
    await session.shot('detail-runs');
    await session.app.getByRole('button', { name: 'Pause', exact: true }).click();
    await session.app.locator('h1 [data-status="paused"]').waitFor();
    await session.app.getByRole('button', { name: 'Resume', exact: true }).click();
    await session.app.locator('h1 [data-status="active"], h1 [data-status="error"]').first().waitFor();

    // How its Salesforce changes arrive: "every 60 s" while the worker's Change Data Capture stream catches up, then
    // in real time (the sandbox org has Contact selected). The user goes back and opens the page again to see it.
    const delivery = session.app.locator('[data-change-delivery]');
    await delivery.waitFor();
    expect(await delivery.innerText()).toMatch(/^Salesforce changes: (real time|every 60 s)/);
    await expect
      .poll(
        async () => {
          await session.app.getByRole('link', { name: 'Back to integrations' }).click();
          await integrationRow(session, name).getByRole('link', { name }).click();
          await session.app.getByRole('heading', { level: 1, name: new RegExp(name) }).waitFor();
          return (await delivery.count()) > 0 ? delivery.innerText() : '';
        },
        { timeout: 60_000, interval: 2_000 },
      )
      .toBe('Salesforce changes: real time (full check every 15 min)');
    await session.shot('detail-real-time');
  });

  it('tells a user whose Salesforce org has API access disabled to enable it', async () => {
    const session = await openHost(await context.newPage(), stack.urls, { mode: 'iframe', locale: 'en', account: 'acc_demo', label: 'iframe-noapi' });
    await openIntegrationsFromPlusMenu(session);
    await session.app.getByRole('link', { name: LABELS.en.setUpContacts }).click();
    await session.app.getByRole('textbox', { name: LABELS.en.name }).fill(unique('No API'));
    await session.app.getByRole('button', { name: LABELS.en.create }).click();
    const popupOpened = session.page.waitForEvent('popup');
    await session.app.getByRole('button', { name: LABELS.en.connect, exact: true }).click();
    const popup = await popupOpened;
    await popup.waitForURL(`${stack.urls.salesforce}/**`);
    await popup.getByLabel('Username').fill('noapi@acme.test');
    await popup.getByLabel('Password').fill('demo1234');
    await popup.getByRole('button', { name: 'Log In' }).click();
    const message = session.app.getByTestId('connect-error');
    await message.waitFor({ timeout: 20_000 });
    expect(await message.innerText()).toContain('API access is disabled');
    expect(await session.app.getByTestId('connected').count()).toBe(0);
    await session.shot('api-disabled');
  });

  it('iframe mode, English: "Save and don\'t activate" leaves a draft that resumes at the preview', async () => {
    const session = await openHost(await context.newPage(), stack.urls, { mode: 'iframe', locale: 'en', account: 'acc_demo', label: 'iframe-en' });
    await openIntegrationsFromPlusMenu(session);
    await session.shot('integrations');
    await session.checkA11y();

    const name = unique('Acme draft');
    await createThroughList(session, name);
    await session.app.getByRole('button', { name: LABELS.en.draft }).click();

    await session.app.getByRole('heading', { level: 1, name: 'Integrations' }).waitFor();
    const row = integrationRow(session, name);
    await row.waitFor();
    expect(await row.locator('[data-status]').getAttribute('data-status')).toBe('draft');
    await session.shot('draft');

    await row.getByRole('link', { name }).click();
    await session.app.getByRole('heading', { level: 2, name: LABELS.en.preview }).waitFor();
    // The iframe reports its height: the host sized it to the content.
    const height = await session.page.locator('iframe.mf__frame').evaluate((frame) => frame.getBoundingClientRect().height);
    expect(height).toBeGreaterThan(300);
  });

  it('module mode, Italian: the whole wizard in Italian', async () => {
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
  });

  it('a free-plan account sees the upgrade notice and cannot start a setup (R1)', async () => {
    for (const mode of ['module', 'iframe'] as const) {
      const session = await openHost(await context.newPage(), stack.urls, { mode, locale: 'en', account: 'acc_free', label: `free-${mode}` });
      await openIntegrationsFromPlusMenu(session);
      await session.app.getByRole('heading', { name: LABELS.en.upgrade }).waitFor();
      expect(await session.app.getByRole('link', { name: LABELS.en.setUpContacts }).count()).toBe(0);
      await session.shot('upgrade-notice');
      await session.checkA11y();
      await session.page.close();
    }
  });

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
