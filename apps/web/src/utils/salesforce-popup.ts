import { SALESFORCE_AUTHORIZED_MESSAGE, SALESFORCE_AUTHORIZED_RECEIPT, type SalesforceAuthorizedMessage } from '../api/types.ts';

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
  /** Completes the connection with what the popup relayed (POST …/salesforce/complete, with our host token); rejects with the API error. */
  complete(authorization: { state: string; code: string }): Promise<unknown>;
  window?: Window;
  closedPollMs?: number;
}

export interface SalesforcePopup {
  readonly outcome: Promise<PopupOutcome>;
  /** Stops listening (the component unmounted); closes the popup. */
  cancel(): void;
}

const POPUP_FEATURES = 'popup=yes,width=520,height=680';

const errorCodeOf = (error: unknown): string => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'internal_error';
};

/**
 * Salesforce refuses to be framed, so its login runs in a popup. The popup is
 * opened synchronously (inside the click) so browsers allow it, then pointed
 * at the authorize URL. The BFF's callback page relays Salesforce's answer to
 * us (`window.opener`): we accept it only from the BFF origin, from our popup,
 * for the state we started; we send the page its receipt and complete the
 * connection ourselves, with our host token. The callback stores nothing, so
 * a sign-in link followed in anybody else's browser connects nothing.
 */
export function openSalesforcePopup(options: PopupOptions): SalesforcePopup {
  const win = options.window ?? window;
  const popup = win.open('about:blank', `contact-sync-salesforce-${options.integrationId}`, POPUP_FEATURES);
  if (!popup) return { outcome: Promise.resolve({ kind: 'blocked' }), cancel: () => {} };

  let finish: (outcome: PopupOutcome) => void = () => {};
  let startedState: string | null = null;
  let completing = false;

  const onMessage = (event: MessageEvent): void => {
    if (completing || event.origin !== options.bffOrigin || event.source !== popup) return;
    const data = event.data as Partial<SalesforceAuthorizedMessage> | null;
    if (!data || data.type !== SALESFORCE_AUTHORIZED_MESSAGE || startedState === null || data.state !== startedState) return;
    completing = true;
    // From here the outcome is the completion's, not the popup's: it may close at once.
    stopWatchingPopup();
    popup.postMessage({ type: SALESFORCE_AUTHORIZED_RECEIPT }, options.bffOrigin);
    if (data.error || typeof data.code !== 'string') {
      finish({ kind: 'message', ok: false, error: data.error ?? 'oauth_failed' });
      return;
    }
    options.complete({ state: startedState, code: data.code }).then(
      () => finish({ kind: 'message', ok: true }),
      (error: unknown) => finish({ kind: 'message', ok: false, error: errorCodeOf(error) }),
    );
  };

  let graceTimer: ReturnType<typeof setTimeout> | undefined;
  const closedTimer = setInterval(() => {
    if (!popup.closed) return;
    clearInterval(closedTimer);
    // Give a message posted just before closing the chance to arrive first.
    graceTimer = setTimeout(() => finish({ kind: 'closed' }), 300);
  }, options.closedPollMs ?? 500);
  const stopWatchingPopup = (): void => {
    clearInterval(closedTimer);
    clearTimeout(graceTimer);
  };

  const cleanup = (): void => {
    win.removeEventListener('message', onMessage);
    stopWatchingPopup();
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
      startedState = new URL(url).searchParams.get('state');
      if (!popup.closed) popup.location.href = url;
    },
    (error: unknown) => {
      popup.close();
      finish({ kind: 'message', ok: false, error: errorCodeOf(error) });
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
