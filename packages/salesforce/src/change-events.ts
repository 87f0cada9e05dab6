import type { Connection } from 'jsforce';
import { StreamingExtension } from 'jsforce/lib/api/streaming.js';

/**
 * Change Data Capture through jsforce's streaming client (a faye Bayeux
 * client on `/cometd/<version>`), with jsforce's replay extension (the
 * subscription starts after a stored replayId, or -1 / -2) and its
 * auth-failure extension. What a subscriber has to know is reported as
 * events: each change event, subscription acknowledged or refused, the
 * transport going down and up. Once refused for authentication the client
 * stops; the caller refreshes the session and subscribes again.
 */
export interface ChangeEventHeader {
  entityName: string;
  recordIds: string[];
  changeType: 'CREATE' | 'UPDATE' | 'DELETE' | 'UNDELETE' | 'GAP_CREATE' | 'GAP_UPDATE' | 'GAP_DELETE' | 'GAP_UNDELETE' | 'GAP_OVERFLOW';
  changeOrigin: string;
  transactionKey: string;
  sequenceNumber: number;
  commitTimestamp: number;
  commitUser: string;
  changedFields?: string[];
}

export interface ChangeEvent {
  schema?: string;
  payload: Record<string, unknown> & { ChangeEventHeader: ChangeEventHeader };
  event: { replayId: number };
}

/** Why a subscription stopped (the client does not recover from these by itself). */
export type SubscriptionFailure =
  /** The stored replayId is out of the retention window: events were lost. */
  | { kind: 'replay_invalid'; message: string }
  /** The object is not selected for Change Data Capture in the org. */
  | { kind: 'channel_missing'; message: string }
  /** The session was refused (expired, revoked): refresh it and subscribe again. */
  | { kind: 'auth'; message: string }
  | { kind: 'other'; message: string };

export interface ChangeEventHandlers {
  onEvent(event: ChangeEvent): void;
  /** The subscription is acknowledged (again after each re-handshake). */
  onSubscribed(): void;
  onFailure(failure: SubscriptionFailure): void;
  /** The long-polling transport went down (true: back up). */
  onTransport(up: boolean): void;
}

export interface ChangeEventSubscription {
  close(): void;
}

/** The part of faye's client (jsforce's `conn.streaming.createClient()`) used here; jsforce's typings omit events and disconnect. */
interface FayeClient {
  subscribe(channel: string, listener: (message: ChangeEvent) => void): PromiseLike<unknown>;
  on(event: 'transport:up' | 'transport:down', listener: () => void): void;
  disconnect(): void;
}

interface MetaMessage {
  channel: string;
  successful?: boolean;
  error?: string;
  subscription?: string;
}

/** The Change Data Capture channel of one object, e.g. `/data/ContactChangeEvent`. */
export function changeEventChannel(object: string): string {
  return `/data/${object}ChangeEvent`;
}

/** Salesforce's subscribe errors, by their text (the Streaming API guide's error codes). */
export function classifySubscriptionError(error: string): SubscriptionFailure {
  if (/replayId .*invalid/i.test(error)) return { kind: 'replay_invalid', message: error };
  if (/does(?: not|n.t) exist/i.test(error)) return { kind: 'channel_missing', message: error };
  if (/^40[13]::(?:Authentication invalid|Request requires authentication|Handshake denied)/i.test(error)) return { kind: 'auth', message: error };
  return { kind: 'other', message: error };
}

export function subscribeToChangeEvents(connection: Connection, options: { channel: string; replayId: number } & ChangeEventHandlers): ChangeEventSubscription {
  let closed = false;
  const report = (failure: SubscriptionFailure) => {
    if (!closed) options.onFailure(failure);
  };
  // Subscribe answers, including the client's own re-subscriptions after a re-handshake (those fail silently otherwise).
  const watch = {
    incoming(message: MetaMessage, callback: (message: MetaMessage) => void) {
      if (message.channel === '/meta/subscribe' && message.subscription === options.channel) {
        if (message.successful) {
          if (!closed) options.onSubscribed();
        } else report(classifySubscriptionError(String(message.error ?? 'subscription refused')));
      }
      callback(message);
    },
  };
  const authFailure = new StreamingExtension.AuthFailure((message: MetaMessage) => report({ kind: 'auth', message: String(message.error ?? 'authentication failed') }));
  const client = connection.streaming.createClient([authFailure, new StreamingExtension.Replay(options.channel, options.replayId), watch]) as unknown as FayeClient;
  client.on('transport:down', () => !closed && options.onTransport(false));
  client.on('transport:up', () => !closed && options.onTransport(true));
  client.subscribe(options.channel, (event) => {
    if (!closed) options.onEvent(event);
  });
  return {
    close() {
      if (closed) return;
      closed = true;
      client.disconnect();
    },
  };
}
