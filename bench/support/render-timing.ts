// Time from the microfrontend's mount to the integrations page rendered (all
// of the account's rows in the table), in headless Chromium against the host
// demo, for both embedding modes.
import { chromium, type Browser } from 'playwright-core';

export type EmbedMode = 'module' | 'iframe';

export interface RenderSample {
  /** mount() called (module) or the iframe element inserted (iframe) → every row in the DOM. */
  mountToRenderedMs: number;
  /** Host page navigation start → every row in the DOM. */
  navigationToRenderedMs: number;
  /** Duration of the microfrontend's GET /api/v1/integrations call(s) (Resource Timing), part of mount → rendered. */
  bffCallMs: number;
}

declare global {
  interface Window {
    __benchMountAt?: number;
    __benchRenderedAt?: number;
    __benchBffCallMs?: number;
  }
}

/** Debian's Chromium through playwright-core (no browser download), flags as in ENGINEERING.md. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/**
 * Runs in every frame before its scripts (plain JavaScript in a string: tsx
 * would add helpers to a serialised function that the page does not have).
 * Times are absolute (timeOrigin + now) so the host page and a cross-origin
 * iframe can be compared.
 *  - mount: the host's `mount()` appends `div.cs-app` as its first act (apps/web/src/mount.ts);
 *    in iframe mode the host appends `iframe.mf__frame` (host-shell.ts). appendChild is
 *    wrapped to catch that moment exactly.
 *  - rendered: a MutationObserver sees the expected number of `tr[data-integration]` rows;
 *    the integrations call's duration is read from Resource Timing then.
 */
function instrument(expectedRows: number): string {
  return `(() => {
  const expectedRows = ${JSON.stringify(expectedRows)};
  const now = () => performance.timeOrigin + performance.now();
  const original = Node.prototype.appendChild;
  Node.prototype.appendChild = function (node) {
    if (window.__benchMountAt === undefined && node instanceof Element && (node.classList.contains('cs-app') || node.classList.contains('mf__frame'))) {
      window.__benchMountAt = now();
    }
    return original.call(this, node);
  };
  const observer = new MutationObserver(() => {
    if (document.querySelectorAll('tr[data-integration]').length >= expectedRows) {
      window.__benchRenderedAt = now();
      window.__benchBffCallMs = performance.getEntriesByType('resource')
        .filter((entry) => entry.name.includes('/api/v1/integrations'))
        .reduce((sum, entry) => sum + entry.duration, 0);
      observer.disconnect();
    }
  });
  const start = () => observer.observe(document.documentElement, { childList: true, subtree: true });
  if (document.documentElement) start();
  else document.addEventListener('readystatechange', start, { once: true });
})();`;
}

/** One cold page load (fresh browser context: empty HTTP cache) of the host's integrations page. */
export async function measureRender(browser: Browser, hostUrl: string, mode: EmbedMode, expectedRows: number): Promise<RenderSample> {
  const context = await browser.newContext();
  try {
    await context.addCookies([
      { name: 'hd_account', value: 'acc_demo', url: hostUrl },
      { name: 'hd_locale', value: 'en', url: hostUrl },
      { name: 'hd_mode', value: mode, url: hostUrl },
    ]);
    await context.addInitScript({ content: instrument(expectedRows) });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${hostUrl}/integrations`);
    const navigationStart = await page.evaluate(() => performance.timeOrigin);
    const mountAt = await page.waitForFunction(() => window.__benchMountAt, undefined, { timeout: 120_000 }).then((h) => h.jsonValue() as Promise<number>);
    let frame = page.mainFrame();
    if (mode === 'iframe') {
      await page.waitForSelector('iframe.mf__frame');
      const handle = await page.$('iframe.mf__frame');
      const child = await handle?.contentFrame();
      if (!child) throw new Error('the iframe has no frame');
      frame = child;
    }
    const renderedAt = await frame
      .waitForFunction(() => window.__benchRenderedAt, undefined, { timeout: 120_000 })
      .then((h) => h.jsonValue() as Promise<number>)
      .catch((error: unknown) => {
        throw new Error(`the integrations page did not render ${expectedRows} rows (${mode}): ${(error as Error).message}; page errors: ${errors.join('; ') || 'none'}`);
      });
    const bffCallMs = await frame.evaluate(() => window.__benchBffCallMs ?? 0);
    return { mountToRenderedMs: renderedAt - mountAt, navigationToRenderedMs: renderedAt - navigationStart, bffCallMs };
  } finally {
    await context.close();
  }
}
