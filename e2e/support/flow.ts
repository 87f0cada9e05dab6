import { expect } from 'vitest';
import type { Frame, FrameLocator, Page } from 'playwright-core';
import { findEnglish, findEnglishWords } from '../../apps/web/src/i18n/leftovers.ts';
import { seriousViolations } from './a11y.ts';
import { screenshot } from './browser.ts';
import type { StackUrls } from './stack.ts';

export type Mode = 'module' | 'iframe';
export type Locale = 'en' | 'it';

/** Product text of SPEC §2 in both languages. */
export const LABELS = {
  en: {
    integrations: 'Integrations', createMenu: 'Create', setUpContacts: 'Set up Salesforce contacts', name: 'Name', create: 'Create integration',
    connect: 'Connect your account', continue: 'Continue', consent: 'Opt-in consent', mapping: 'Map fields', list: 'Choose a list',
    newList: 'create a new list', newListName: 'Name of the new list', preview: 'Preview', activate: 'Save and activate', draft: "Save and don't activate",
    emailOrSms: 'Map at least Email or SMS.', mappedTwice: 'is already mapped to', active: 'Active', error: 'Error', draftStatus: 'Draft', upgrade: 'Upgrade to BrevoPlus',
    upgradeAction: 'Upgrade', unavailable: /^Not available \(\d+\), and why$/, identifier: 'Record Ids and lookups cannot be synced.', suggested: 'We paired',
  },
  it: {
    integrations: 'Integrazioni', createMenu: 'Crea', setUpContacts: 'Configura Contatti Salesforce', name: 'Nome', create: 'Crea integrazione',
    connect: 'Collega il tuo account', continue: 'Continua', consent: 'Consenso opt-in', mapping: 'Abbina i campi', list: 'Scegli una lista',
    newList: 'crea una nuova lista', newListName: 'Nome della nuova lista', preview: 'Anteprima', activate: 'Salva e attiva', draft: 'Salva e non attivare',
    emailOrSms: 'Abbina almeno il campo Email o SMS.', mappedTwice: 'è già abbinato a', active: 'Attiva', error: 'Errore', draftStatus: 'Bozza', upgrade: 'Passa a BrevoPlus',
    upgradeAction: 'Passa a BrevoPlus', unavailable: /^Non disponibili \(\d+\), e perché$/, identifier: 'Gli Id dei record e i campi di ricerca non possono essere sincronizzati.', suggested: 'Abbiamo abbinato',
  },
} as const;

export interface Session {
  page: Page;
  urls: StackUrls;
  mode: Mode;
  locale: Locale;
  /** Where the microfrontend renders: the page itself or its iframe. */
  app: Page | FrameLocator;
  /** The frame to run axe in. */
  appFrame(): Frame;
  shot(step: string): Promise<void>;
  /** axe-core on what the user sees now; fails on serious or critical violations. */
  checkA11y(): Promise<void>;
  /** In Italian: no English sentence or word in what the app shows (data marked translate="no" aside). */
  checkLanguage(): Promise<void>;
}

/** The host's own labels for its switchers, in the language the host shows now. */
const HOST_SWITCHERS = {
  en: { account: 'Account', language: 'Language', module: 'Module', iframe: 'Iframe' },
  it: { account: 'Account', language: 'Lingua', module: 'Modulo', iframe: 'Iframe' },
} as const;

const ACCOUNT_LABELS = { acc_demo: 'acc_demo · BrevoPlus', acc_free: 'acc_free · Free' } as const;

/**
 * Uses one of the host's switchers as a person does (they submit on change): the page posts the
 * preference and reloads. Fails if the host refused the post.
 */
async function useSwitcher(page: Page, change: () => Promise<unknown>): Promise<void> {
  const posted = page.waitForResponse((response) => new URL(response.url()).pathname === '/host/preferences');
  const reloaded = page.waitForNavigation();
  await change();
  expect((await posted).status()).toBe(303);
  await reloaded;
}

/** Logs in to the host demo as `account` with the given language and embedding mode, with the host's own switchers. */
export async function openHost(
  page: Page,
  urls: StackUrls,
  options: { mode: Mode; locale: Locale; account: 'acc_demo' | 'acc_free'; label: string },
): Promise<Session> {
  await page.goto(`${urls.host}/contacts`);
  const hostLocale = async () => ((await page.locator('html').getAttribute('lang')) === 'it' ? 'it' : 'en');
  const account = page.getByRole('combobox', { name: HOST_SWITCHERS[await hostLocale()].account });
  if ((await account.inputValue()) !== options.account) {
    await useSwitcher(page, () => account.selectOption({ label: ACCOUNT_LABELS[options.account] }));
  }
  const mode = page.getByRole('radio', { name: HOST_SWITCHERS[await hostLocale()][options.mode], exact: true });
  if (!(await mode.isChecked())) await useSwitcher(page, () => mode.check());
  if ((await hostLocale()) !== options.locale) {
    const language = page.getByRole('combobox', { name: HOST_SWITCHERS[await hostLocale()].language });
    await useSwitcher(page, () => language.selectOption({ label: options.locale === 'it' ? 'Italiano' : 'English' }));
  }
  expect(await hostLocale()).toBe(options.locale);
  const app = options.mode === 'iframe' ? page.frameLocator('iframe.mf__frame') : page;
  const appFrame = () => (options.mode === 'iframe' ? page.frames().find((frame) => frame.url().startsWith(urls.web))! : page.mainFrame());
  let step = 0;
  return {
    page,
    urls,
    mode: options.mode,
    locale: options.locale,
    app,
    appFrame,
    shot: (name) => screenshot(page, `${options.label}-${String(++step).padStart(2, '0')}-${name}`),
    async checkA11y() {
      const found = [...(await seriousViolations(page.mainFrame()))];
      if (options.mode === 'iframe' && page.frames().length > 1) found.push(...(await seriousViolations(appFrame())));
      expect(found).toEqual([]);
    },
    async checkLanguage() {
      if (options.locale !== 'it') return;
      const shown = await appText(appFrame(), options.mode === 'iframe' ? '#app' : '[data-mf-root]');
      expect(findEnglish(shown), shown).toEqual([]);
      expect(findEnglishWords(shown), shown).toEqual([]);
    },
  };
}

/** What the app shows as text, and the labels assistive technology reads out, without the user's own data (translate="no"). */
async function appText(frame: Frame, rootSelector: string): Promise<string> {
  return frame.evaluate((selector) => {
    const root = document.querySelector(selector);
    if (!root) return '';
    const copy = root.cloneNode(true) as HTMLElement;
    for (const data of copy.querySelectorAll('[translate="no"], style')) data.remove();
    const labels = [...copy.querySelectorAll('[aria-label], [title]')].map((element) => `${element.getAttribute('aria-label') ?? ''} ${element.getAttribute('title') ?? ''}`);
    // Detached from the page, a copy has no layout: textContent, with the hidden text it reads out too.
    return `${copy.textContent ?? ''} ${labels.join(' ')}`;
  }, rootSelector);
}

/** Host top menu "+" → Integrations tab (SPEC §2 step 1). */
export async function openIntegrationsFromPlusMenu(session: Session): Promise<void> {
  const { page, app, locale } = session;
  const labels = LABELS[locale];
  await page.getByRole('button', { name: labels.createMenu, exact: true }).click();
  await page.locator('#create-menu').getByRole('link', { name: labels.integrations, exact: true }).click();
  await app.getByRole('heading', { level: 1, name: labels.integrations }).waitFor();
  await session.checkLanguage();
}

/** Steps 2–6, ending on the preview. Checks the mapping's instant feedback on the way. */
export async function createThroughList(session: Session, name: string): Promise<void> {
  const { page, app, locale, urls } = session;
  const labels = LABELS[locale];
  await app.getByRole('link', { name: labels.setUpContacts }).click();
  await app.getByRole('textbox', { name: labels.name }).fill(name);
  await session.shot('create');
  await session.checkA11y();
  await session.checkLanguage();
  await app.getByRole('button', { name: labels.create }).click();

  await app.getByRole('heading', { level: 2, name: labels.connect }).waitFor();
  await session.shot('connect');
  await session.checkA11y();
  await session.checkLanguage();
  const popupOpened = page.waitForEvent('popup');
  await app.getByRole('button', { name: labels.connect, exact: true }).click();
  const popup = await popupOpened;
  await popup.waitForURL(`${urls.salesforce}/**`);
  await popup.getByLabel('Username').fill('demo@acme.test');
  await popup.getByLabel('Password').fill('demo1234');
  await popup.getByRole('button', { name: 'Log In' }).click();
  // Back in the wizard without a reload: the connected user and org are shown.
  await app.getByTestId('connected').waitFor({ timeout: 20_000 });
  expect(await app.getByTestId('connected').innerText()).toContain('demo@acme.test');
  await session.shot('connected');
  await app.getByRole('button', { name: labels.continue, exact: true }).click();

  await app.getByRole('heading', { level: 2, name: labels.consent }).waitFor();
  const continueButton = app.getByRole('button', { name: labels.continue, exact: true });
  expect(await continueButton.isDisabled()).toBe(true);
  await app.getByRole('checkbox', { name: labels.consent }).check();
  await session.shot('consent');
  await session.checkA11y();
  await session.checkLanguage();
  await continueButton.click();

  await app.getByRole('heading', { level: 2, name: labels.mapping }).waitFor();
  await app.locator('tr[data-attribute="EMAIL"]').getByLabel('EMAIL', { exact: true }).waitFor();
  // The obvious pairs are suggested, to confirm: Email → EMAIL, the names, the mobile to SMS.
  await app.getByText(labels.suggested).waitFor();
  expect(await app.locator('tr[data-attribute="EMAIL"]').getByLabel('EMAIL', { exact: true }).inputValue()).toBe('Email');
  expect(await app.locator('tr[data-attribute="FIRSTNAME"]').getByLabel('FIRSTNAME', { exact: true }).inputValue()).toBe('FirstName');
  expect(await continueButton.isDisabled()).toBe(false);
  await session.shot('mapping-suggested');
  await session.checkLanguage();
  // What cannot be mapped waits in one collapsed group, each with its reason.
  const unavailable = app.getByText(labels.unavailable);
  await unavailable.click();
  await app.getByText(labels.identifier, { exact: false }).first().waitFor();
  await session.shot('mapping-unavailable');
  await unavailable.click();
  // Instant feedback, before any submit: a field mapped twice, Email/SMS required.
  await app.locator('tr[data-attribute="LASTNAME"]').getByLabel('LASTNAME', { exact: true }).selectOption('FirstName');
  await app.locator('tr[data-attribute="LASTNAME"] [data-code="salesforce_field_mapped_twice"]').waitFor();
  expect(await app.locator('tr[data-attribute="LASTNAME"] .cs-field-error').innerText()).toContain(labels.mappedTwice);
  await app.locator('tr[data-attribute="EMAIL"]').getByLabel('EMAIL', { exact: true }).selectOption('');
  await app.locator('tr[data-attribute="SMS"]').getByLabel('SMS', { exact: true }).selectOption('');
  await app.getByText(labels.emailOrSms).waitFor();
  expect(await continueButton.isDisabled()).toBe(true);
  await session.shot('mapping-errors');
  await session.checkA11y();
  await session.checkLanguage();
  await app.locator('tr[data-attribute="LASTNAME"]').getByLabel('LASTNAME', { exact: true }).selectOption('LastName');
  await app.locator('tr[data-attribute="EMAIL"]').getByLabel('EMAIL', { exact: true }).selectOption('Email');
  await app.getByText(labels.emailOrSms).waitFor({ state: 'detached' });
  expect(await continueButton.isDisabled()).toBe(false);
  await session.shot('mapping-valid');
  await continueButton.click();

  await app.getByRole('heading', { level: 2, name: labels.list }).waitFor();
  await app.getByRole('radio', { name: labels.newList }).check();
  await app.getByRole('textbox', { name: labels.newListName }).fill(`${name} list`);
  await session.shot('list');
  await session.checkA11y();
  await session.checkLanguage();
  await continueButton.click();

  await app.getByRole('heading', { level: 2, name: labels.preview }).waitFor();
  await app.getByRole('button', { name: labels.activate }).waitFor();
  await app.getByTestId('preview').waitFor();
  await session.shot('preview');
  await session.checkA11y();
  await session.checkLanguage();
}

/** The preview's counts, as the wizard shows them (what the first run must then count). */
export async function previewCounts(session: Session): Promise<{ created: number; rejected: number; noEmailOrSms: number; unchanged: number }> {
  const number = async (testId: string) => Number((await session.app.getByTestId(testId).innerText()).replace(/\D/g, ''));
  return { created: await number('to-create'), rejected: await number('rejected'), noEmailOrSms: await number('no-email-or-sms'), unchanged: await number('unchanged') };
}

/** The row of the integrations table for `name`. */
export function integrationRow(session: Session, name: string) {
  return session.app.locator('tbody tr', { hasText: name });
}
