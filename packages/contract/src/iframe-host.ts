import { toSerializableContext, type MountContext } from './context.ts';
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

export interface IframeHostOptions {
  readonly iframe: HTMLIFrameElement;
  /** The exact origin of the iframe page, e.g. `http://localhost:5180`. Never `*`. */
  readonly allowedOrigin: string;
  readonly context: MountContext;
  /** (1.1) The app path the host's address names now (relative to `basePath`), sent with `init`: a deep link reopens that screen. */
  currentPath?(): string;
  /** The guest's route changed (a valid app path): the host's address should follow, replacing the entry when `replace`. */
  onNavigate?(path: string, options: { replace: boolean }): void;
  onToast?(kind: ToastKind, message: string): void;
  /** Default: sets the iframe's height. */
  onResize?(height: number): void;
  /** Called once the guest has received its first context. */
  onReady?(): void;
  /** (1.1) The user chose Upgrade in the app; without it the app offers no Upgrade action. */
  onUpgrade?(): void;
  /** The host page's window (default: the iframe's owner window). */
  readonly window?: MessageWindow;
}

export interface IframeHost {
  /** Sends a new context (locale, plan, account) to the guest. */
  update(context: MountContext): void;
  /** Asks the guest to show `path` (relative to `basePath`). */
  navigate(path: string): void;
  /** Stops listening; the iframe itself is the caller's to remove. */
  destroy(): void;
}

/** Parent-page side of the iframe protocol (SPEC §5). */
export function createIframeHost(options: IframeHostOptions): IframeHost {
  const { iframe, allowedOrigin } = options;
  if (!allowedOrigin || allowedOrigin === '*') throw new Error('createIframeHost: allowedOrigin must be an exact origin');
  const hostWindow = options.window ?? (iframe.ownerDocument.defaultView as unknown as MessageWindow | null);
  if (!hostWindow) throw new Error('createIframeHost: the iframe is not in a document with a window');

  let context = options.context;
  let guestReady = false;

  const post = <T extends MessageType>(type: T, payload: MessagePayloads[T]): void => {
    const target = iframe.contentWindow as MessageWindow | null;
    target?.postMessage(createMessage(type, payload), allowedOrigin);
  };

  const sendInit = (): void => {
    const path = options.currentPath?.();
    post('init', { context: toSerializableContext(context), ...(isAppPath(path) ? { path } : {}), ...(options.onUpgrade ? { upgrade: true } : {}) });
  };

  const answerTokenRequest = async (requestId: string, currentContext: MountContext): Promise<void> => {
    try {
      const token = await currentContext.getToken();
      post('token.response', { requestId, token });
    } catch (error) {
      post('token.response', { requestId, error: error instanceof Error ? error.message : String(error) });
    }
  };

  const onMessage = (event: IncomingMessage): void => {
    const message = acceptMessage(event, iframe.contentWindow, [allowedOrigin]);
    if (!message) return;
    switch (message.type) {
      case 'ready':
        sendInit();
        if (!guestReady) {
          guestReady = true;
          options.onReady?.();
        }
        break;
      case 'token.request':
        void answerTokenRequest((message.payload as MessagePayloads['token.request']).requestId, context);
        break;
      case 'resize': {
        const { height } = message.payload as MessagePayloads['resize'];
        if (!Number.isFinite(height) || height < 0) return;
        if (options.onResize) options.onResize(height);
        else iframe.style.height = `${Math.ceil(height)}px`;
        break;
      }
      case 'navigate': {
        const { path, replace } = message.payload as MessagePayloads['navigate'];
        if (isAppPath(path)) options.onNavigate?.(path, { replace: replace === true });
        break;
      }
      case 'upgrade':
        options.onUpgrade?.();
        break;
      case 'toast': {
        const { kind, message: text } = message.payload as MessagePayloads['toast'];
        options.onToast?.(kind, String(text));
        break;
      }
      default:
        // init and token.response only travel host → guest.
        break;
    }
  };

  hostWindow.addEventListener('message', onMessage);

  return {
    update(next) {
      context = next;
      if (guestReady) sendInit();
    },
    navigate(path) {
      if (guestReady && isAppPath(path)) post('navigate', { path });
    },
    destroy() {
      hostWindow.removeEventListener('message', onMessage);
    },
  };
}
