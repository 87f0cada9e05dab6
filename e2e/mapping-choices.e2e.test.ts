import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser.ts';
import { integrationRow, LABELS, openHost, openIntegrationsFromPlusMenu } from './support/flow.ts';
import { stackUrls, type StackUrls } from './support/stack.ts';

/**
 * Issue 16 as a marketer meets it in the mapping step: a field set to sync one way, a picklist
 * whose values are paired with a Brevo category's options by label (one changed, one left unpaired), a
 * multi-select picklist's values with a multiple-choice attribute's options (the unpaired one given a pair),
 * a conflict rule, opt-outs that also follow a re-subscription, and a record filter that the preview's count follows;
 * then the integration's page shows the unpaired value's record warnings and
 * "Edit mapping" shows every choice as it was saved. Screenshots: artifacts/screenshots/mapping-choices/.
 */
let urls: StackUrls;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  urls = stackUrls();
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

describe('mapping beyond the seed, in a real browser', { timeout: 240_000 }, () => {
  it('sets a direction, pairs picklist values with category options, picks a conflict rule, and finds them all again', async () => {
    const session = await openHost(await context.newPage(), urls, { mode: 'module', locale: 'en', account: 'acc_demo', label: 'mapping-choices' });
    const { page, app } = session;
    const labels = LABELS.en;
    const name = `Channels ${randomBytes(3).toString('hex')}`;
    await openIntegrationsFromPlusMenu(session);
    await app.getByRole('link', { name: labels.setUpContacts }).click();
    await app.getByRole('textbox', { name: labels.name }).fill(name);
    await app.getByRole('button', { name: labels.create }).click();
    const popupOpened = page.waitForEvent('popup');
    await app.getByRole('button', { name: labels.connect, exact: true }).click();
    const popup = await popupOpened;
    await popup.getByLabel('Username').fill('demo@acme.test');
    await popup.getByLabel('Password').fill('demo1234');
    await popup.getByRole('button', { name: 'Log In' }).click();
    await app.getByTestId('connected').waitFor({ timeout: 20_000 });
    const continueButton = app.getByRole('button', { name: labels.continue, exact: true });
    await continueButton.click();
    await app.getByRole('checkbox', { name: labels.consent }).check();
    await continueButton.click();
    await app.getByRole('heading', { level: 2, name: labels.mapping }).waitFor();

    // A formula offers Salesforce → Brevo only, and says why.
    const firstName = app.locator('tr[data-attribute="FIRSTNAME"]');
    await firstName.getByLabel('FIRSTNAME', { exact: true }).selectOption({ label: 'Full Name (formula) (Full_Name__c)' });
    expect(await firstName.getByLabel('Sync').inputValue()).toBe('salesforce_to_brevo');
    expect(await firstName.getByLabel('Sync').isDisabled()).toBe(true);
    expect(await firstName.innerText()).toContain('Full_Name__c is a formula: Salesforce computes it, so it syncs Salesforce → Brevo only.');
    await firstName.getByLabel('FIRSTNAME', { exact: true }).selectOption({ label: 'First Name (FirstName)' });

    // The last name: Salesforce → Brevo only.
    const lastName = app.locator('tr[data-attribute="LASTNAME"]');
    await lastName.getByLabel('Sync').selectOption({ label: 'Salesforce → Brevo only' });

    // The channel: the picklist's values paired with the category's options by label, for me to check.
    const channel = app.locator('tr[data-attribute="CHANNEL"]');
    await channel.getByLabel('CHANNEL', { exact: true }).selectOption({ label: 'Preferred Channel (Preferred_Channel__c)' });
    const pairs = channel.getByTestId('value-pairs');
    const pairOf = (value: string) => pairs.getByLabel(value, { exact: true });
    await pairs.waitFor();
    expect(await pairOf('Email').locator('option:checked').innerText()).toBe('Email');
    expect(await pairOf('SMS').locator('option:checked').innerText()).toBe('SMS');
    expect(await pairOf('None').locator('option:checked').innerText()).toBe('Not synced');
    // I send phone people to Post instead.
    await pairOf('Phone').selectOption({ label: 'Post' });

    // The interests: a multi-select picklist's values paired with a multiple-choice attribute's options the same way;
    // Offers has no option of its name, so I send it to Workshops.
    const interests = app.locator('tr[data-attribute="INTERESTS"]');
    await interests.getByLabel('INTERESTS', { exact: true }).selectOption({ label: 'Interests (Interests__c)' });
    const interestPairs = interests.getByTestId('value-pairs');
    await interestPairs.waitFor();
    expect(await interestPairs.getByLabel('Events', { exact: true }).locator('option:checked').innerText()).toBe('Events');
    expect(await interestPairs.getByLabel('Offers', { exact: true }).locator('option:checked').innerText()).toBe('Not synced');
    await interestPairs.getByLabel('Offers', { exact: true }).selectOption({ label: 'Workshops' });

    await app.getByLabel('When a field changed in both Salesforce and Brevo since the last sync').selectOption({ label: 'Salesforce wins' });
    // Opt-outs follow the contact unless I say otherwise; I also want a re-subscription to clear the flag.
    const optOuts = app.getByRole('group', { name: 'Email opt-outs' });
    expect(await optOuts.getByRole('checkbox', { name: /^Opt-outs follow the contact/ }).isChecked()).toBe(true);
    const resubscribe = optOuts.getByRole('checkbox', { name: 'A re-subscription in Brevo clears Email Opt Out (HasOptedOutOfEmail) in Salesforce' });
    expect(await resubscribe.isChecked()).toBe(false);
    await resubscribe.check();
    await session.shot('mapping-choices');
    await session.checkA11y();
    expect(await continueButton.isDisabled()).toBe(false);
    await continueButton.click();

    await app.getByRole('heading', { level: 2, name: labels.list }).waitFor();
    await app.getByRole('radio', { name: labels.newList }).check();
    await app.getByRole('textbox', { name: labels.newListName }).fill(`${name} list`);
    await continueButton.click();
    await app.getByRole('heading', { level: 2, name: labels.preview }).waitFor();
    await app.getByTestId('preview').waitFor();
    const toCreate = async () => Number((await app.getByTestId('to-create').innerText()).replace(/\D/g, ''));
    const everyRecord = await toCreate();
    expect(everyRecord).toBeGreaterThan(0);

    // Only the contacts who came from the web: back to the mapping, one condition.
    await app.getByRole('navigation').getByRole('button', { name: new RegExp(labels.mapping) }).click();
    const filter = app.getByRole('group', { name: 'Records to sync' });
    await filter.getByRole('button', { name: 'Add a condition' }).click();
    await filter.getByLabel('Field of condition 1, group 1').selectOption({ label: 'Lead Source (LeadSource)' });
    // No value yet: the form says so at once, and waits.
    await filter.locator('[data-code="filter_value_required"]').waitFor();
    expect(await continueButton.isDisabled()).toBe(true);
    expect(await filter.getByLabel('Comparison of condition 1, group 1').inputValue()).toBe('equals');
    await filter.getByLabel('Value of condition 1, group 1').selectOption({ label: 'Web' });
    expect(await filter.locator('[data-code]').count()).toBe(0);
    await session.shot('record-filter');
    await session.checkA11y();
    await continueButton.click();
    await app.getByRole('heading', { level: 2, name: labels.list }).waitFor();
    await continueButton.click();
    await app.getByRole('heading', { level: 2, name: labels.preview }).waitFor();
    await app.getByTestId('preview').waitFor();
    const webOnly = await toCreate();
    expect(webOnly).toBeGreaterThan(0);
    expect(webOnly).toBeLessThan(everyRecord);
    await session.shot('preview-filtered');
    await app.getByRole('button', { name: labels.activate }).click();

    await app.getByRole('heading', { level: 1, name: 'Integrations' }).waitFor();
    const row = integrationRow(session, name);
    await row.getByRole('link', { name }).click();
    await app.getByRole('heading', { level: 1, name: new RegExp(name) }).waitFor();
    // Records whose channel is None were synced without it, and say so.
    const unpaired = app.getByTestId('error-groups').locator('[data-code="value_unpaired"]');
    await unpaired.waitFor({ timeout: 60_000 });
    expect(await unpaired.innerText()).toContain('has no pair in CHANNEL: it was not synced.');
    await session.shot('value-unpaired');

    // Edit mapping shows every choice as saved.
    await app.getByRole('button', { name: 'Edit mapping' }).click();
    const editor = app.locator('#cs-mapping-editor');
    const savedPairs = editor.locator('tr[data-attribute="CHANNEL"]').getByTestId('value-pairs');
    await savedPairs.waitFor();
    expect(await editor.locator('tr[data-attribute="LASTNAME"]').getByLabel('Sync').inputValue()).toBe('salesforce_to_brevo');
    expect(await editor.locator('tr[data-attribute="FIRSTNAME"]').getByLabel('Sync').inputValue()).toBe('both');
    expect(await savedPairs.getByLabel('Phone', { exact: true }).locator('option:checked').innerText()).toBe('Post');
    expect(await savedPairs.getByLabel('None', { exact: true }).locator('option:checked').innerText()).toBe('Not synced');
    const savedInterests = editor.locator('tr[data-attribute="INTERESTS"]').getByTestId('value-pairs');
    expect(await savedInterests.getByLabel('Offers', { exact: true }).locator('option:checked').innerText()).toBe('Workshops');
    expect(await savedInterests.getByLabel('Webinars', { exact: true }).locator('option:checked').innerText()).toBe('Webinars');
    expect(await editor.getByLabel('When a field changed in both Salesforce and Brevo since the last sync').inputValue()).toBe('salesforce_wins');
    const savedOptOuts = editor.getByRole('group', { name: 'Email opt-outs' });
    expect(await savedOptOuts.getByRole('checkbox', { name: /^Opt-outs follow the contact/ }).isChecked()).toBe(true);
    expect(await savedOptOuts.getByRole('checkbox', { name: /^A re-subscription in Brevo clears/ }).isChecked()).toBe(true);
    const savedFilter = editor.getByRole('group', { name: 'Records to sync' });
    expect(await savedFilter.getByLabel('Field of condition 1, group 1').inputValue()).toBe('LeadSource');
    expect(await savedFilter.getByLabel('Value of condition 1, group 1').inputValue()).toBe('Web');
    await session.shot('edit-mapping-choices');
  });
});
