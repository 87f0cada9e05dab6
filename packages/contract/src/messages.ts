import { CONTRACT_VERSION, isCompatibleVersion, type SerializableContext } from './context.ts';

/** Every message of the iframe protocol carries this namespace, so other traffic is ignored. */
export const MESSAGE_NAMESPACE = 'contact-sync';

export type ToastKind = 'success' | 'error' | 'info';

/** Payload of each message type. Direction in comments: guest = the iframe, host = the parent page. */
export interface MessagePayloads {
  /** guest → host: the page is loaded and listening. */
  ready: { contractVersion: string };
  /**
   * host → guest: the context (sent again on every host-side update); (1.1) `path`, the app path the
   * host's address names (relative to `basePath`: a deep link, a reload), and `upgrade`, whether the
   * host handles `upgrade`.
   */
  init: { context: SerializableContext; path?: string; upgrade?: boolean };
  /** guest → host: please mint a fresh token. */
  'token.request': { requestId: string };
  /** host → guest: the token, or why there is none. */
  'token.response': { requestId: string; token?: string; error?: string };
  /** guest → host: the content's height in CSS pixels. */
  resize: { height: number };
  /**
   * both ways: a path relative to `basePath`. Guest → host after every in-app navigation, so the
   * host's address follows (`replace`: the navigation replaced the current entry); host → guest to
   * show a path (Back and Forward in the host).
   */
  navigate: { path: string; replace?: boolean };
  /** guest → host: show a notification in the host's own style. */
  toast: { kind: ToastKind; message: string };
  /** (1.1) guest → host: the user chose Upgrade on the upgrade notice (only when `init.upgrade`). */
  upgrade: { requiredPlan: string };
}

export type MessageType = keyof MessagePayloads;

export interface ProtocolMessage<T extends MessageType = MessageType> {
  readonly namespace: typeof MESSAGE_NAMESPACE;
  readonly version: string;
  readonly type: T;
  readonly payload: MessagePayloads[T];
}

const MESSAGE_TYPES: ReadonlySet<string> = new Set<MessageType>([
  'ready', 'init', 'token.request', 'token.response', 'resize', 'navigate', 'toast', 'upgrade',
]);

/**
 * An app path as both sides accept it: absolute within the app (`/`, `/665f…`, `/new/salesforce-leads?x=1`),
 * never another origin (`//evil.test`), never a backslash or control character, at most 2,000 characters.
 */
export function isAppPath(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 2000 || !/^\/(?![/\\])[^\\]*$/.test(value)) return false;
  for (const char of value) if (char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f) return false;
  return true;
}

export function createMessage<T extends MessageType>(type: T, payload: MessagePayloads[T]): ProtocolMessage<T> {
  return { namespace: MESSAGE_NAMESPACE, version: CONTRACT_VERSION, type, payload };
}

/** The message if `data` is one of ours (namespace, compatible version, known type), else `null`. */
export function parseMessage(data: unknown): ProtocolMessage | null {
  if (data === null || typeof data !== 'object') return null;
  const message = data as Partial<ProtocolMessage>;
  if (message.namespace !== MESSAGE_NAMESPACE) return null;
  if (!isCompatibleVersion(message.version)) return null;
  if (typeof message.type !== 'string' || !MESSAGE_TYPES.has(message.type)) return null;
  if (message.payload === null || typeof message.payload !== 'object') return null;
  return message as ProtocolMessage;
}

/** The minimum of `MessageEvent` both sides read; fakes in tests provide just this. */
export interface IncomingMessage {
  readonly data: unknown;
  readonly origin: string;
  readonly source: unknown;
}

/** The minimum of `Window` both sides use. */
export interface MessageWindow {
  postMessage(message: unknown, targetOrigin: string): void;
  addEventListener(type: 'message', listener: (event: IncomingMessage) => void): void;
  removeEventListener(type: 'message', listener: (event: IncomingMessage) => void): void;
}

/**
 * Accepts a message only from `expectedSource` (the one window we talk to)
 * and from an allowed origin: either check alone can be fooled — another
 * frame of an allowed origin, or a foreign page that got hold of our window.
 */
export function acceptMessage(
  event: IncomingMessage,
  expectedSource: unknown,
  allowedOrigins: readonly string[],
): ProtocolMessage | null {
  if (expectedSource == null || event.source !== expectedSource) return null;
  if (!allowedOrigins.includes(event.origin)) return null;
  return parseMessage(event.data);
}
