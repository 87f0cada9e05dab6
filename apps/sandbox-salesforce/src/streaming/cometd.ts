import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import type { Request, RequestHandler, Response } from 'express';
import { faye, type BayeuxMessage, type Engine, type NodeAdapter } from './faye.ts';
import type { Org } from '../org/org.ts';
import type { SandboxState } from '../state.ts';
import { channelsOf, type RetainedEvent } from './change-events.ts';

/**
 * The Streaming API's CometD endpoint (`/cometd/62.0`), as jsforce's
 * streaming client (a faye client with its replay and auth-failure
 * extensions) talks to it: faye's NodeAdapter speaks Bayeux, one adapter per
 * org so each org's subscribers get its events only. In front of it, every
 * request's `Authorization: OAuth <token>` is checked and refused the way
 * Salesforce refuses it: `403::Handshake denied` with
 * `ext.sfdc.failureReason` on a handshake, `401::Authentication invalid`
 * with `advice.reconnect: none` on a connect (what the auth-failure
 * extension reacts to). Subscriptions name a replay position in
 * `ext.replay`; an invalid one, or the channel of an entity not selected for
 * Change Data Capture, is refused with Salesforce's error text.
 */
const MAX_REQUEST_BYTES = 32_768;
/** Salesforce holds a /meta/connect up to 110 s (its advice `timeout`). */
const CONNECT_TIMEOUT_SECONDS = 110;
/** Replayed events reach one subscriber through a channel of its own, renamed on the way out. */
const REPLAY_PREFIX = '/sandbox-replay/';

interface Caller {
  token: string;
  userId: string;
}

/** The request faye's adapter reads: the body again (it was read for the auth check), and who sent it. */
type CometdRequest = Readable & Pick<Request, 'method' | 'url' | 'headers'> & { originalUrl: string; caller: Caller };

const replayInvalid = (replayId: unknown) =>
  `400::The replayId {${String(replayId)}} you provided was invalid.  Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.`;
const channelMissing = (channel: string) => `400::The channel you requested to subscribe to does not exist {${channel}}`;

/** Bayeux answers to messages whose request failed authentication, in Salesforce's words. */
export function refusedReplies(messages: readonly BayeuxMessage[], reason: string): BayeuxMessage[] {
  return messages.map((message) => {
    const base = { channel: message.channel, ...(message.id ? { id: message.id } : {}), successful: false };
    if (message.channel === '/meta/handshake') {
      return { ...base, error: '403::Handshake denied', ext: { sfdc: { failureReason: reason } }, advice: { reconnect: 'none' } };
    }
    const client = message.clientId ? { clientId: message.clientId } : {};
    if (message.channel === '/meta/connect') return { ...base, ...client, error: reason, advice: { reconnect: 'none', interval: 0 } };
    return { ...base, ...client, ...(message.subscription ? { subscription: message.subscription } : {}), error: reason };
  });
}

/** One org's Bayeux server and who is connected to it. */
class OrgStreaming {
  readonly adapter: NodeAdapter;
  /** Handshaken clients and the session they connect with. */
  readonly clients = new Map<string, Caller>();
  /** `clientId channel` → the replay position its subscribe asked for, until the answer goes out. */
  private readonly replayFrom = new Map<string, number>();
  private readonly stopPublishing: () => void;

  constructor(readonly org: Org) {
    this.adapter = new faye.NodeAdapter({ mount: '/cometd', timeout: CONNECT_TIMEOUT_SECONDS });
    this.adapter.addExtension({
      incoming: (message, request, callback) => callback(this.incoming(message, request as CometdRequest | null)),
      outgoing: (message, request, callback) => callback(this.outgoing(message, request as CometdRequest | null)),
    });
    this.adapter.on('disconnect', (clientId) => this.clients.delete(clientId));
    this.stopPublishing = org.changes.onPublish((events) => this.publish(events));
  }

  /** faye's engine (the adapter's `_server._engine`, faye 1.4): per-client subscriptions and delivery. */
  private get engine(): Engine {
    return (this.adapter as unknown as { _server: { _engine: Engine } })._server._engine;
  }

  private incoming(message: BayeuxMessage, request: CometdRequest | null): BayeuxMessage {
    if (!request) return message;
    if (message.clientId && this.clients.has(message.clientId)) this.clients.set(message.clientId, request.caller);
    if (message.channel !== '/meta/subscribe' || typeof message.subscription !== 'string') return message;
    const channel = message.subscription;
    if (!this.org.changes.channelExists(channel)) return { ...message, error: channelMissing(channel) };
    const replay = (message.ext?.replay as Record<string, unknown> | undefined)?.[channel];
    const replayId = replay === undefined ? -1 : Number(replay);
    if (!this.org.changes.isValidReplay(replayId)) return { ...message, error: replayInvalid(replay) };
    this.replayFrom.set(`${message.clientId} ${channel}`, replayId);
    return message;
  }

  private outgoing(message: BayeuxMessage, request: CometdRequest | null): BayeuxMessage {
    if (message.channel.startsWith(REPLAY_PREFIX)) {
      return { ...message, channel: message.channel.slice(message.channel.indexOf('/', REPLAY_PREFIX.length)) };
    }
    if (typeof message.error === 'string' && /^401:[^:]*:Unknown client$/.test(message.error)) {
      // faye's "unknown client" is Salesforce's 403::Unknown client (the client handshakes again).
      return { ...message, error: '403::Unknown client', advice: { reconnect: 'handshake', interval: 0 } };
    }
    if (message.channel === '/meta/handshake' && message.successful && message.clientId && request) {
      this.clients.set(message.clientId, request.caller);
      return { ...message, supportedConnectionTypes: ['long-polling'], ext: { replay: true, 'payload.format': true } };
    }
    if (message.channel === '/meta/subscribe' && typeof message.subscription === 'string' && message.clientId) {
      const key = `${message.clientId} ${message.subscription}`;
      const from = this.replayFrom.get(key);
      this.replayFrom.delete(key);
      if (message.successful && from !== undefined) this.replay(message.clientId, message.subscription, from);
    }
    return message;
  }

  /** Retained events after `from`, to this client only, before any event published after its subscription. */
  private replay(clientId: string, channel: string, from: number): void {
    const events = this.org.changes.replay(channel, from);
    if (events.length === 0) return;
    const own = `${REPLAY_PREFIX}${clientId}${channel}`;
    this.engine.subscribe(clientId, own);
    for (const event of events) this.engine.publish({ channel: own, data: event.data });
  }

  private publish(events: readonly RetainedEvent[]): void {
    for (const event of events) for (const channel of channelsOf(event.entity)) this.engine.publish({ channel, data: event.data });
  }

  /** Clients whose session is no longer valid: their held connect returns, so the next one is refused. */
  recheckSessions(isValid: (token: string) => boolean): void {
    for (const [clientId, caller] of this.clients) if (!isValid(caller.token)) this.engine.flushConnection(clientId);
  }

  /** Forgets every client (the next connect of each gets `403::Unknown client`). */
  dropClients(): void {
    for (const clientId of [...this.clients.keys()]) this.engine.destroyClient(clientId);
    this.clients.clear();
  }

  close(): void {
    this.stopPublishing();
    this.dropClients();
    this.adapter.close();
  }
}

export class CometdEndpoint {
  private readonly orgs = new Map<string, OrgStreaming>();
  /** Sockets of the requests in flight, to drop them on demand. */
  private readonly sockets = new Set<Socket>();

  constructor(private readonly state: SandboxState) {}

  handler(): RequestHandler {
    return (req, res, next) => {
      if (req.method !== 'POST') return next();
      this.sockets.add(req.socket);
      res.on('close', () => this.sockets.delete(req.socket));
      readBody(req).then(
        (body) => this.handle(req, res, body),
        () => res.status(413).set('connection', 'close').type('text/plain').send('413 Maximum Request Size Exceeded'),
      );
    };
  }

  private handle(req: Request, res: Response, body: Buffer): void {
    let messages: BayeuxMessage[];
    try {
      const parsed = JSON.parse(body.toString('utf8')) as unknown;
      messages = (Array.isArray(parsed) ? parsed : [parsed]) as BayeuxMessage[];
      if (messages.some((message) => typeof message !== 'object' || message === null || typeof message.channel !== 'string')) throw new Error('not Bayeux');
    } catch {
      res.status(400).type('text/plain').send('Bad request');
      return;
    }
    const header = /^(?:OAuth|Bearer)\s+(\S+)$/i.exec(req.get('authorization') ?? '');
    const access = header ? this.state.tokens.findAccess(header[1]!) : undefined;
    const user = access ? this.state.userById(access.userId) : undefined;
    if (!header || !access || !user) {
      res.json(refusedReplies(messages, header ? '401::Authentication invalid' : '401::Request requires authentication'));
      return;
    }
    const org = this.state.orgOf(user);
    if (!org.apiEnabled) {
      res.json(refusedReplies(messages, '403::API_DISABLED_FOR_ORG'));
      return;
    }
    const replayed = Object.assign(Readable.from([body]), {
      method: req.method,
      url: req.originalUrl,
      originalUrl: req.originalUrl,
      headers: req.headers,
      caller: { token: access.token, userId: user.id },
    }) as CometdRequest;
    this.orgStreaming(org).adapter.handle(replayed, res);
  }

  private orgStreaming(org: Org): OrgStreaming {
    let found = this.orgs.get(org.id);
    if (!found || found.org !== org) {
      found?.close();
      found = new OrgStreaming(org);
      this.orgs.set(org.id, found);
    }
    return found;
  }

  /** After tokens were expired or revoked: subscribers on them learn it at their next connect, as Salesforce validates sessions as it goes. */
  recheckSessions(): void {
    for (const org of this.orgs.values()) org.recheckSessions((token) => this.state.tokens.findAccess(token) !== undefined);
  }

  /** Control route: every streaming connection drops (the network between the clients and Salesforce failed). */
  dropConnections(): { clients: number } {
    let clients = 0;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    for (const org of this.orgs.values()) {
      clients += org.clients.size;
      org.dropClients();
    }
    return { clients };
  }

  clientCount(orgId: string): number {
    return this.orgs.get(orgId)?.clients.size ?? 0;
  }

  close(): void {
    for (const org of this.orgs.values()) org.close();
    this.orgs.clear();
  }
}

function readBody(req: Request): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) reject(new Error('too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
