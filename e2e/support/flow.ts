import { expect } from 'vitest';
import type { Frame, FrameLocator, Page } from 'playwright-core';
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
  },
  it: {
    integrations: 'Integrazioni', createMenu: 'Crea', setUpContacts: 'Configura Salesforce contacts', name: 'Nome', create: 'Crea integrazione',
    connect: 'Collega il tuo account', continue: 'Continua', consent: 'Consenso opt-in', mapping: 'Abbina i campi', list: 'Scegli una lista',
    newList: 'crea una nuova lista', newListName: 'Nome della nuova lista', preview: 'Anteprima', activate: 'Salva e attiva', draft: 'Salva e non attivare',
    emailOrSms: 'Abbina almeno il campo Email o SMS.', mappedTwice: 'è già abbinato a', active: 'Attiva', error: 'Errore', draftStatus: 'Bozza', upgrade: 'Passa a BrevoPlus',
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
  };
}

/** Host top menu "+" → Integrations tab (SPEC §2 step 1). */
export async function openIntegrationsFromPlusMenu(session: Session): Promise<void> {
  const { page, app, locale } = session;
  const labels = LABELS[locale];
  await page.getByRole('button', { name: labels.createMenu, exact: true }).click();
  await page.locator('#create-menu').getByRole('link', { name: labels.integrations, exact: true }).click();
  await app.getByRole('heading', { level: 1, name: labels.integrations }).waitFor();
}

/** Steps 2–6, ending on the preview. Checks the mapping's instant feedback on the way. */
export async function createThroughList(session: Session, name: string): Promise<void> {
  const { page, app, locale, urls } = session;
  const labels = LABELS[locale];
  await app.getByRole('link', { name: labels.setUpContacts }).click();
  await app.getByRole('textbox', { name: labels.name }).fill(name);
  await session.shot('create');
  await session.checkA11y();
  await app.getByRole('button', { name: labels.create }).click();

  await app.getByRole('heading', { level: 2, name: labels.connect }).waitFor();
  await session.shot('connect');
  await session.checkA11y();
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
  await continueButton.click();

  await app.getByRole('heading', { level: 2, name: labels.mapping }).waitFor();
  await app.locator('tr[data-attribute="EMAIL"] select').waitFor();
  // Instant feedback, before any submit: Email/SMS required, a field mapped twice, unsupported fields disabled with a reason.
  await app.getByText(labels.emailOrSms).waitFor();
  expect(await continueButton.isDisabled()).toBe(true);
  const disabledWithReason = await app.locator('tr[data-attribute="FIRSTNAME"] option[disabled][data-reason="field_formula"]').first().innerText();
  expect(disabledWithReason).toContain('—');
  await app.locator('tr[data-attribute="FIRSTNAME"] select').selectOption('FirstName');
  await app.locator('tr[data-attribute="LASTNAME"] select').selectOption('FirstName');
  await app.locator('tr[data-attribute="LASTNAME"] [data-code="salesforce_field_mapped_twice"]').waitFor();
  expect(await app.locator('tr[data-attribute="LASTNAME"] .cs-field-error').innerText()).toContain(labels.mappedTwice);
  await session.shot('mapping-errors');
  await session.checkA11y();
  await app.locator('tr[data-attribute="LASTNAME"] select').selectOption('LastName');
  await app.locator('tr[data-attribute="EMAIL"] select').selectOption('Email');
  await app.getByText(labels.emailOrSms).waitFor({ state: 'detached' });
  expect(await continueButton.isDisabled()).toBe(false);
  await session.shot('mapping-valid');
  await continueButton.click();

  await app.getByRole('heading', { level: 2, name: labels.list }).waitFor();
  await app.getByRole('radio', { name: labels.newList }).check();
  await app.getByRole('textbox', { name: labels.newListName }).fill(`${name} list`);
  await session.shot('list');
  await session.checkA11y();
  await continueButton.click();

  await app.getByRole('heading', { level: 2, name: labels.preview }).waitFor();
  await app.getByRole('button', { name: labels.activate }).waitFor();
  await session.shot('preview');
  await session.checkA11y();
}

/** The row of the integrations table for `name`. */
export function integrationRow(session: Session, name: string) {
  return session.app.locator('tbody tr', { hasText: name });
}
