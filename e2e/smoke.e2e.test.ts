import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from './support/browser.ts';
import { stackUrls } from './support/stack.ts';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe('the product started as npm start starts it', () => {
  it('answers on every service', async () => {
    const stack = stackUrls();
    expect((await fetch(`${stack.bff}/healthz`)).status).toBe(200);
    expect((await fetch(`${stack.bff}/readyz`)).status).toBe(200);
    expect((await fetch(`${stack.salesforce}/services/data`)).status).toBe(200);
    expect((await fetch(`${stack.brevo}/v3/account`)).status).toBe(401);
  });

  it('shows the integrations catalog from the host "+" menu', async () => {
    const page = await browser.newPage();
    await page.goto(stackUrls().host);
    await page.locator('[data-create-toggle]').click();
    await page.getByRole('menuitem', { name: 'Integrations' }).or(page.getByRole('link', { name: 'Integrations' })).first().click();
    await expect.poll(() => page.getByText('Salesforce contacts').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.getByText('Salesforce leads').count()).toBeGreaterThan(0);
    // The account's own integrations come from the BFF with the host's token.
    await expect.poll(() => page.getByText('Loading…').count(), { timeout: 20_000 }).toBe(0);
    await screenshot(page, 'smoke-integrations-page');
    await page.close();
  });
});
