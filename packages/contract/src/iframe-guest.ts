import { CONTRACT_VERSION, type MountContext, type SerializableContext } from './context.ts';
import {
  acceptMessage,
  createMessage,
  isAppPath,
  type IncomingMessage,
  type MessagePayloads,
  type MessageType,
  type MessageWindow,
  type ToastKind,
} from './messages.ts';

export interface ConnectOptions {
  /** Origins of hosts allowed to embed this page. Never `*`. */
  readonly allowedOrigins: readonly string[];
  /** This page's window (default: `window`); its `parent` is the host. */
  readonly window?: MessageWindow & { readonly parent: unknown };
  /** How long to wait for `init` and for each token (ms). */
  readonly timeoutMs?: number;
}

export interface HostConnection {
  /** The latest context; its `getToken` asks the host over postMessage. */
  readonly context: MountContext;
  /** The host's origin, learned from its `init`. */
  readonly hostOrigin: string;
  /** (1.1) The app path the host's address named at `init` (a deep link), if any. */
  readonly initialPath: string | null;
  /** Called when the host sends a new context. Returns an unsubscribe function. */
  onContextChange(listener: (context: MountContext) => void): () => void;
  /** Called when the host asks to show a path. Returns an unsubscribe function. */
  onNavigate(listener: (path: string) => void): () => void;
  /** Tells the host our route changed (so it can update its address bar); `replace` when it replaced the current entry. */
  navigate(path: string, options?: { replace?: boolean }): void;
  toast(kind: ToastKind, message: string): void;
  /** Reports `height` now; `observeResize` does it on every size change. */
  reportHeight(height: number): void;
  /** Reports the element's height whenever it changes (ResizeObserver). Returns a stop function. */
  observeResize(element: Element): () => void;
  close(): void;
}

const DEFAULT_TIMEOUT_MS = 10_000;

let requestCounter = 0;
function nextRequestId(): string {
  requestCounter += 1;
  return `${Date.now().toString(36)}-${requestCounter}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * Iframe-page side of the protocol (SPEC §5): says `ready` to the parent,
 * resolves with the context once an allowed host answers `init`.
 */
export function connectToHost(options: ConnectOptions): Promise<HostConnection> {
  const allowedOrigins = options.allowedOrigins.filter((origin) => origin && origin !== '*');
  if (allowedOrigins.length === 0) return Promise.reject(new Error('connectToHost: no allowed host origin'));
  const guestWindow = options.window ?? (globalThis.window as unknown as MessageWindow & { parent: unknown });
  const parent = guestWindow.parent as MessageWindow | null;
  if (!parent || parent === guestWindow) return Promise.reject(new Error('connectToHost: not inside an iframe'));
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  let hostOrigin: string | null = null;
  let context: MountContext | null = null;
  let initialPath: string | null = null;
  let hostUpgrades = false;
  const contextListeners = new Set<(context: MountContext) => void>();
  const navigateListeners = new Set<(path: string) => void>();
  const pendingTokens = new Map<string, { resolve(token: string): void; reject(error: Error): void; timer: ReturnType<typeof setTimeout> }>();

  const post = <T extends MessageType>(type: T, payload: MessagePayloads[T]): void => {
    if (hostOrigin) parent.postMessage(createMessage(type, payload), hostOrigin);
  };

  const getToken = (): Promise<string> =>
    new Promise((resolve, reject) => {
      const requestId = nextRequestId();
      const timer = setTimeout(() => {
        pendingTokens.delete(requestId);
        reject(new Error('The host did not answer the token request in time'));
      }, timeoutMs);
      pendingTokens.set(requestId, { resolve, reject, timer });
      post('token.request', { requestId });
    });

  const upgrade = (): void => post('upgrade', { requiredPlan: 'BrevoPlus' });
  const toContext = (serializable: SerializableContext): MountContext => ({ ...serializable, getToken, ...(hostUpgrades ? { onUpgrade: upgrade } : {}) });

  return new Promise((resolve, reject) => {
    const initTimer = setTimeout(() => {
      guestWindow.removeEventListener('message', onMessage);
      reject(new Error('The host did not answer ready with init in time'));
    }, timeoutMs);

    const connection: HostConnection = {
      get context() {
        return context as MountContext;
      },
      get hostOrigin() {
        return hostOrigin as string;
      },
      get initialPath() {
        return initialPath;
      },
      onContextChange(listener) {
        contextListeners.add(listener);
        return () => contextListeners.delete(listener);
      },
      onNavigate(listener) {
        navigateListeners.add(listener);
        return () => navigateListeners.delete(listener);
      },
      navigate: (path, navigation = {}) => {
        if (isAppPath(path)) post('navigate', { path, ...(navigation.replace ? { replace: true } : {}) });
      },
      toast: (kind, message) => post('toast', { kind, message }),
      reportHeight: (height) => post('resize', { height: Math.ceil(height) }),
      observeResize(element) {
        if (typeof ResizeObserver === 'undefined') return () => {};
        let last = -1;
        const observer = new ResizeObserver(() => {
          const height = Math.ceil(element.getBoundingClientRect().height);
          if (height !== last) {
            last = height;
            post('resize', { height });
          }
        });
        observer.observe(element);
        return () => observer.disconnect();
      },
      close() {
        clearTimeout(initTimer);
        guestWindow.removeEventListener('message', onMessage);
        for (const [, pending] of pendingTokens) {
          clearTimeout(pending.timer);
          pending.reject(new Error('Connection to the host closed'));
        }
        pendingTokens.clear();
        contextListeners.clear();
        navigateListeners.clear();
      },
    };

    function onMessage(event: IncomingMessage): void {
      // Before init we accept any allowed origin; afterwards only the one that answered.
      const message = acceptMessage(event, parent, hostOrigin ? [hostOrigin] : allowedOrigins);
      if (!message) return;
      switch (message.type) {
        case 'init': {
          const first = context === null;
          const payload = message.payload as MessagePayloads['init'];
          hostOrigin = event.origin;
          hostUpgrades = payload.upgrade === true;
          if (first && isAppPath(payload.path)) initialPath = payload.path;
          context = toContext(payload.context);
          if (first) {
            clearTimeout(initTimer);
            resolve(connection);
          } else {
            for (const listener of contextListeners) listener(context);
          }
          break;
        }
        case 'token.response': {
          const { requestId, token, error } = message.payload as MessagePayloads['token.response'];
          const pending = pendingTokens.get(requestId);
          if (!pending) return;
          pendingTokens.delete(requestId);
          clearTimeout(pending.timer);
          if (typeof token === 'string' && token) pending.resolve(token);
          else pending.reject(new Error(error ?? 'The host returned no token'));
          break;
        }
        case 'navigate': {
          const { path } = message.payload as MessagePayloads['navigate'];
          if (isAppPath(path)) for (const listener of navigateListeners) listener(path);
          break;
        }
        default:
          break;
      }
    }

    guestWindow.addEventListener('message', onMessage);
    // We do not know which allowed host embeds us: address each; the browser
    // delivers only to the one whose origin matches (never "*").
    const ready = createMessage('ready', { contractVersion: CONTRACT_VERSION });
    for (const origin of allowedOrigins) parent.postMessage(ready, origin);
  });
}
