import { SALESFORCE_CONNECTED_MESSAGE, type SalesforceConnectedMessage } from '../api/types.ts';

export type PopupOutcome =
  | { kind: 'message'; ok: boolean; error?: string }
  /** The user closed the popup without the callback page reporting. */
  | { kind: 'closed' }
  | { kind: 'blocked' };

export interface PopupOptions {
  integrationId: string;
  /** Only the BFF's callback page may report the result. */
  bffOrigin: string;
  /** Fetches the authorize URL (POST …/salesforce/connect). */
  getAuthorizeUrl(): Promise<string>;
  window?: Window;
  closedPollMs?: number;
}

export interface SalesforcePopup {
  readonly outcome: Promise<PopupOutcome>;
  /** Stops listening (the component unmounted); closes the popup. */
  cancel(): void;
}

const POPUP_FEATURES = 'popup=yes,width=520,height=680';

/**
 * Salesforce refuses to be framed, so its login runs in a popup. The popup is
 * opened synchronously (inside the click) so browsers allow it, then pointed
 * at the authorize URL. The BFF's callback page posts the result to us
 * (`window.opener`): we accept it only from the BFF origin and the popup.
 */
export function openSalesforcePopup(options: PopupOptions): SalesforcePopup {
  const win = options.window ?? window;
  const popup = win.open('about:blank', `contact-sync-salesforce-${options.integrationId}`, POPUP_FEATURES);
  if (!popup) return { outcome: Promise.resolve({ kind: 'blocked' }), cancel: () => {} };

  let finish: (outcome: PopupOutcome) => void = () => {};

  const onMessage = (event: MessageEvent): void => {
    if (event.origin !== options.bffOrigin || event.source !== popup) return;
    const data = event.data as Partial<SalesforceConnectedMessage> | null;
    if (!data || data.type !== SALESFORCE_CONNECTED_MESSAGE) return;
    if (data.integrationId != null && data.integrationId !== options.integrationId) return;
    const outcome: PopupOutcome = { kind: 'message', ok: data.ok === true };
    if (typeof data.error === 'string') outcome.error = data.error;
    finish(outcome);
  };

  let graceTimer: ReturnType<typeof setTimeout> | undefined;
  const closedTimer = setInterval(() => {
    if (!popup.closed) return;
    clearInterval(closedTimer);
    // Give a message posted just before closing the chance to arrive first.
    graceTimer = setTimeout(() => finish({ kind: 'closed' }), 300);
  }, options.closedPollMs ?? 500);

  const cleanup = (): void => {
    win.removeEventListener('message', onMessage);
    clearInterval(closedTimer);
    clearTimeout(graceTimer);
  };

  const outcome = new Promise<PopupOutcome>((resolve) => {
    finish = (result) => {
      cleanup();
      resolve(result);
    };
  });

  win.addEventListener('message', onMessage);

  options.getAuthorizeUrl().then(
    (url) => {
      if (!popup.closed) popup.location.href = url;
    },
    (error: unknown) => {
      popup.close();
      const code = (error as { code?: unknown } | null)?.code;
      finish({ kind: 'message', ok: false, error: typeof code === 'string' ? code : 'internal_error' });
    },
  );

  return {
    outcome,
    cancel() {
      cleanup();
      if (!popup.closed) popup.close();
    },
  };
}
