// The part of faye 1.4 (no published types for its server side) the sandbox's CometD endpoint uses.
import { createRequire } from 'node:module';

/** A Bayeux message, as faye passes it through extensions. */
export interface BayeuxMessage {
  channel: string;
  id?: string;
  clientId?: string;
  subscription?: string | string[];
  successful?: boolean;
  error?: string;
  data?: unknown;
  ext?: Record<string, unknown>;
  advice?: Record<string, unknown>;
  supportedConnectionTypes?: string[];
  [key: string]: unknown;
}

/** A server extension; with three parameters faye passes the HTTP request (null for in-process messages). */
export interface ServerExtension {
  incoming?(message: BayeuxMessage, request: unknown, callback: (message: BayeuxMessage) => void): void;
  outgoing?(message: BayeuxMessage, request: unknown, callback: (message: BayeuxMessage) => void): void;
}

/** The engine behind a NodeAdapter (faye's documented engine interface). */
export interface Engine {
  subscribe(clientId: string, channel: string): void;
  publish(message: { channel: string; data: unknown }): void;
  destroyClient(clientId: string): void;
  flushConnection(clientId: string): void;
}

export interface NodeAdapter {
  addExtension(extension: ServerExtension): void;
  handle(request: unknown, response: unknown): void;
  on(event: 'handshake' | 'disconnect', listener: (clientId: string) => void): void;
  close(): void;
}

/** faye 1.4, loaded through `require`: jsforce ships an ambient `declare module 'faye'` of the client side only. */
export const faye = createRequire(import.meta.url)('faye') as { NodeAdapter: new (options: { mount: string; timeout?: number }) => NodeAdapter };
