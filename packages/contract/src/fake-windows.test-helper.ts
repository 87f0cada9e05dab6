import type { IncomingMessage, MessageWindow } from './messages.ts';

type Listener = (event: IncomingMessage) => void;

/**
 * A window that delivers `postMessage` the way browsers do: asynchronously,
 * only when `targetOrigin` matches, with the sender's origin and window.
 */
export class FakeWindow implements MessageWindow {
  parent: FakeWindow = this;
  /** The window that calls our postMessage (set by `connectFrames`). */
  sender: FakeWindow | null = null;
  readonly received: unknown[] = [];
  private readonly listeners = new Set<Listener>();

  constructor(readonly origin: string) {}

  postMessage(message: unknown, targetOrigin: string): void {
    if (targetOrigin === '*') throw new Error('posted to "*"');
    if (targetOrigin !== this.origin) return;
    const source = this.sender;
    const data = structuredClone(message);
    this.received.push(data);
    setTimeout(() => this.deliver({ data, origin: source?.origin ?? 'null', source }), 0);
  }

  deliver(event: IncomingMessage): void {
    for (const listener of this.listeners) listener(event);
  }

  addEventListener(_type: 'message', listener: Listener): void {
    this.listeners.add(listener);
  }

  removeEventListener(_type: 'message', listener: Listener): void {
    this.listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }
}

/** A host page with an iframe: the guest's parent is the host, and each posts to the other. */
export function connectFrames(hostOrigin: string, guestOrigin: string) {
  const host = new FakeWindow(hostOrigin);
  const guest = new FakeWindow(guestOrigin);
  guest.parent = host;
  host.sender = guest;
  guest.sender = host;
  const style: Record<string, string> = {};
  const iframe = { contentWindow: guest, style, ownerDocument: { defaultView: host } } as unknown as HTMLIFrameElement;
  return { host, guest, iframe };
}

export const flush = () => new Promise((resolve) => setTimeout(resolve, 5));
