import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from './support/browser.ts';
import { LABELS, openHost, openIntegrationsFromPlusMenu } from './support/flow.ts';
import { stackUrls } from './support/stack.ts';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe('a Salesforce sign-in link sent to someone else', () => {
  it('connects nothing: the person who follows it is told so, and the sender’s integration stays unconnected', async () => {
    const urls = stackUrls();
    const labels = LABELS.en;
    // The sender starts a connection in the dashboard, copies the Salesforce address from the popup, and closes it.
    const senderBrowser = await browser.newContext();
    const sender = await openHost(await senderBrowser.newPage(), urls, { mode: 'module', locale: 'en', account: 'acc_demo', label: 'sign-in-link' });
    await openIntegrationsFromPlusMenu(sender);
    const { app, page } = sender;
    await app.getByRole('link', { name: labels.setUpContacts }).click();
    await app.getByRole('textbox', { name: labels.name }).fill('Sign-in link');
    await app.getByRole('button', { name: labels.create }).click();
    await app.getByRole('heading', { level: 2, name: labels.connect }).waitFor();
    const popupOpened = page.waitForEvent('popup');
    await app.getByRole('button', { name: labels.connect, exact: true }).click();
    const popup = await popupOpened;
    await popup.waitForURL(`${urls.salesforce}/**`);
    const signInLink = popup.url();
    await popup.close();

    // Someone at another company opens the link in their own browser and signs in to their org.
    const otherBrowser = await browser.newContext();
    const other = await otherBrowser.newPage();
    await other.goto(signInLink);
    await other.getByLabel('Username').fill('demo@acme.test');
    await other.getByLabel('Password').fill('demo1234');
    await other.getByRole('button', { name: 'Log In' }).click();
    await other.getByText('Nothing was connected').waitFor({ timeout: 15_000 });
    expect(other.url()).not.toContain('code=');
    await screenshot(other, 'sign-in-link-02-followed-elsewhere');

    // The sender's draft, opened again from the integrations page, still asks to connect.
    await page.reload();
    await openIntegrationsFromPlusMenu(sender);
    await app.getByRole('link', { name: 'Sign-in link' }).click();
    await app.getByRole('heading', { level: 2, name: labels.connect }).waitFor();
    await app.getByRole('button', { name: labels.connect, exact: true }).waitFor();
    expect(await app.getByTestId('connected').count()).toBe(0);
    await sender.shot('sender-still-unconnected');
    await senderBrowser.close();
    await otherBrowser.close();
  });
});
