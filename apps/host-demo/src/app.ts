import express, { type Request, type Response } from 'express';
import { demoAccounts, LOCALES, MODES } from './accounts.ts';
import type { Assets } from './assets.ts';
import { BrevoCallError, createBrevoClient, type BrevoClient } from './brevo-client.ts';
import type { HostDemoConfig } from './config.ts';
import { messagesFor } from './messages.ts';
import { contactEditPage, contactsPage, CONTACTS_PAGE_SIZE } from './pages/contacts-page.ts';
import { inboxPage } from './pages/inbox-page.ts';
import { integrationsPage } from './pages/integrations-page.ts';
import { plansPage } from './pages/plans-page.ts';
import type { ShellState } from './pages/layout.ts';
import { COOKIE, readPreferences, safeReturnPath } from './preferences.ts';
import { mintHostToken } from './tokens.ts';

export interface HostDemoOptions {
  config: HostDemoConfig;
  assets: Assets;
  brevo?: BrevoClient;
  /** This server's own origin (for the Origin check of state-changing requests). */
  origin: string;
}

const COOKIE_OPTIONS = { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 30 * 24 * 3600 * 1000 } as const;

/**
 * Whether a state-changing request comes from one of our pages. Browsers say so in `Sec-Fetch-Site`
 * (every current one) and `Origin`; `Origin: null` (a sandboxed frame, a privacy policy) is not
 * ours. A request without either (curl, a test) is let through: the cookies are `SameSite=Lax`,
 * so another site's page cannot make the browser send them on a post anyway.
 */
export function isOwnRequest(req: Request, ownOrigin: string): boolean {
  const site = req.get('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const requestOrigin = req.get('origin');
  return requestOrigin === undefined || requestOrigin === ownOrigin || requestOrigin === `${req.protocol}://${req.get('host')}`;
}

/** The Brevo-style host shell: pages, the token endpoint a real host backend would have, the Contacts page's Brevo calls. */
export function createHostDemoApp({ config, assets, origin, ...options }: HostDemoOptions) {
  const accounts = demoAccounts(config.DEMO_BREVO_API_KEY);
  const brevo = options.brevo ?? createBrevoClient(config.BREVO_API_URL);
  const webOrigin = new URL(config.WEB_PUBLIC_URL).origin;
  const bffOrigin = new URL(config.BFF_PUBLIC_URL).origin;
  const embed = {
    webOrigin,
    moduleUrl: `${webOrigin}${config.WEB_MODULE_PATH}`,
    iframeUrl: `${webOrigin}${config.WEB_IFRAME_PATH}`,
  };

  const app = express();
  app.disable('x-powered-by');
  app.use(express.urlencoded({ extended: false, limit: '20kb' }));

  app.use((_req, res, next) => {
    // Module mode runs the microfrontend's code in our page: allow its origin for scripts
    // (and its dev server's HMR socket), the BFF for its API calls, and its iframe page.
    res.setHeader(
      'Content-Security-Policy',
      [
        "default-src 'self'",
        `script-src 'self' ${webOrigin}`,
        `connect-src 'self' ${bffOrigin} ${webOrigin} ${webOrigin.replace(/^http/, 'ws')}`,
        `frame-src ${webOrigin}`,
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'self'",
      ].join('; '),
    );
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // Not `no-referrer`: under it Chromium sends `Origin: null` on our own form posts, which the
    // check below must refuse. `same-origin` keeps our origin on our own requests and sends
    // other sites nothing.
    res.setHeader('Referrer-Policy', 'same-origin');
    next();
  });

  // State-changing requests must come from our own pages.
  app.use((req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    if (!isOwnRequest(req, origin)) {
      res.status(403).type('text/plain').send('Cross-origin request refused');
      return;
    }
    next();
  });

  const stateFor = (req: Request): ShellState => {
    const { account, locale, mode } = readPreferences(req.get('cookie'), accounts);
    return { account, accounts, locale, mode, t: messagesFor(locale), path: req.originalUrl };
  };

  const sendPage = (res: Response, page: string, status = 200) => {
    res.status(status).type('html').setHeader('Cache-Control', 'no-store').send(page);
  };

  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/assets/host.js', (_req, res) => void res.type('text/javascript').send(assets.hostJs));
  app.get('/assets/host.css', (_req, res) => void res.type('text/css').send(assets.hostCss));
  app.get('/', (_req, res) => res.redirect('/integrations'));

  // Every path below the app's base path is the app's (a deep link, a reload): the same page, the app reads its route.
  app.get(['/integrations', '/integrations/*rest'], (req, res) => sendPage(res, integrationsPage(stateFor(req), embed)));
  app.get('/plans', (req, res) => sendPage(res, plansPage(stateFor(req))));

  app.post('/host/preferences', (req, res) => {
    const body = req.body as Record<string, unknown>;
    if (accounts.some((account) => account.id === body.account)) res.cookie(COOKIE.account, String(body.account), COOKIE_OPTIONS);
    if ((LOCALES as readonly unknown[]).includes(body.locale)) res.cookie(COOKIE.locale, String(body.locale), COOKIE_OPTIONS);
    if ((MODES as readonly unknown[]).includes(body.mode)) res.cookie(COOKIE.mode, String(body.mode), COOKIE_OPTIONS);
    res.redirect(303, safeReturnPath(body.returnTo));
  });

  // What a real host backend does for its logged-in user: a short-lived JWT for the BFF.
  app.post('/host/token', async (req, res) => {
    const { account, locale } = readPreferences(req.get('cookie'), accounts);
    const minted = await mintHostToken(account, locale, {
      secret: config.HOST_JWT_SECRET,
      issuer: config.HOST_JWT_ISSUER,
      audience: config.HOST_JWT_AUDIENCE,
    });
    res.setHeader('Cache-Control', 'no-store');
    res.json(minted);
  });

  const brevoMessage = (error: unknown) => (error instanceof BrevoCallError ? `${error.status} ${error.message}` : error instanceof Error ? error.message : String(error));
  const contactId = (value: unknown) => (typeof value === 'string' && /^\d{1,12}$/.test(value) ? Number(value) : null);

  app.get('/contacts', async (req, res) => {
    const state = stateFor(req);
    const key = state.account.brevoApiKey;
    const offset = Math.max(0, Math.min(1_000_000, Number.parseInt(String(req.query.offset ?? '0'), 10) || 0));
    const notice = req.query.notice === 'saved' || req.query.notice === 'deleted' ? req.query.notice : undefined;
    if (!key) return sendPage(res, contactsPage(state, { contacts: [], count: 0, offset, brevoConfigured: false }));
    try {
      const page = await brevo.listContacts(key, offset, CONTACTS_PAGE_SIZE);
      sendPage(res, contactsPage(state, { ...page, offset, brevoConfigured: true, ...(notice ? { notice } : {}) }));
    } catch (error) {
      sendPage(res, contactsPage(state, { contacts: [], count: 0, offset, brevoConfigured: true, error: brevoMessage(error) }), 502);
    }
  });

  app.get('/contacts/:id/edit', async (req, res) => {
    const state = stateFor(req);
    const id = contactId(req.params.id);
    if (!state.account.brevoApiKey || id === null) return res.redirect('/contacts');
    try {
      sendPage(res, contactEditPage(state, await brevo.getContact(state.account.brevoApiKey, id)));
    } catch (error) {
      sendPage(res, contactsPage(state, { contacts: [], count: 0, offset: 0, brevoConfigured: true, error: brevoMessage(error) }), 502);
    }
  });

  app.post('/contacts/:id', async (req, res) => {
    const state = stateFor(req);
    const id = contactId(req.params.id);
    if (!state.account.brevoApiKey || id === null) return res.redirect(303, '/contacts');
    const body = req.body as Record<string, unknown>;
    const attributes: Record<string, string | null> = {};
    for (const name of ['EMAIL', 'FIRSTNAME', 'LASTNAME', 'SMS']) {
      if (typeof body[name] !== 'string') continue;
      const value = (body[name] as string).trim().slice(0, 500);
      // Brevo refuses an empty EMAIL/SMS; other attributes are cleared with null.
      if (value === '' && (name === 'EMAIL' || name === 'SMS')) continue;
      attributes[name] = value === '' ? null : value;
    }
    try {
      await brevo.updateContact(state.account.brevoApiKey, id, attributes);
      res.redirect(303, '/contacts?notice=saved');
    } catch (error) {
      const contact = await brevo.getContact(state.account.brevoApiKey, id).catch(() => null);
      if (!contact) return sendPage(res, contactsPage(state, { contacts: [], count: 0, offset: 0, brevoConfigured: true, error: brevoMessage(error) }), 502);
      sendPage(res, contactEditPage(state, contact, brevoMessage(error)), 400);
    }
  });

  app.post('/contacts/:id/delete', async (req, res) => {
    const state = stateFor(req);
    const id = contactId(req.params.id);
    if (!state.account.brevoApiKey || id === null) return res.redirect(303, '/contacts');
    try {
      await brevo.deleteContact(state.account.brevoApiKey, id);
      res.redirect(303, '/contacts?notice=deleted');
    } catch (error) {
      sendPage(res, contactsPage(state, { contacts: [], count: 0, offset: 0, brevoConfigured: true, error: brevoMessage(error) }), 502);
    }
  });

  app.get('/inbox', async (req, res) => {
    const state = stateFor(req);
    try {
      sendPage(res, inboxPage(state, await brevo.inbox(state.account.id)));
    } catch (error) {
      sendPage(res, inboxPage(state, [], brevoMessage(error)), 502);
    }
  });

  app.use((req, res) => {
    const state = stateFor(req);
    res.status(404).type('text/plain').send(state.t('notFound'));
  });

  return app;
}
