import type { Connection } from 'jsforce';
import { StreamingExtension } from 'jsforce/lib/api/streaming.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { login, startSandbox, type StartedSandbox } from '../test-support.ts';
import type { ChangeEventData } from './change-events.ts';

/**
 * Change Data Capture through jsforce's own streaming client (`conn.streaming`,
 * a faye client, with jsforce's replay and auth-failure extensions), as the
 * product subscribes: event bodies, batching, every write path, replay and
 * retention, and the faults the product must survive.
 */
/** What the client receives (the sandbox's own type: the assertions below check the values). */
type ChangeEvent = ChangeEventData;

interface Subscriber {
  events: ChangeEvent[];
  /** Bayeux meta messages the client received (handshake, connect, subscribe answers). */
  metas: { channel: string; successful?: boolean; error?: string }[];
  authFailures: unknown[];
  ready: Promise<unknown>;
  close(): void;
}

let sandbox: StartedSandbox;
let conn: Connection;
const subscribers: Subscriber[] = [];

beforeAll(async () => {
  sandbox = await startSandbox();
  conn = await login(sandbox.url);
});
afterEach(async () => {
  for (const subscriber of subscribers.splice(0)) subscriber.close();
  await control('PUT', '/streaming', { retentionSeconds: 72 * 3600, overflowThreshold: 100_000 });
});
afterAll(async () => {
  await sandbox.server.close();
});

async function control(method: string, path: string, body?: unknown): Promise<Response> {
  const response = await fetch(`${sandbox.url}/__sandbox${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  expect(response.ok, `${method} ${path} → ${response.status}`).toBe(true);
  return response;
}

function subscribe(channel: string, replayId: number, connection: Connection = conn): Subscriber {
  const subscriber: Omit<Subscriber, 'ready' | 'close'> = { events: [], metas: [], authFailures: [] };
  const watch = {
    incoming(message: { channel: string }, callback: (message: unknown) => void) {
      if (message.channel.startsWith('/meta/')) subscriber.metas.push(message);
      callback(message);
    },
  };
  const client = connection.streaming.createClient([
    new StreamingExtension.AuthFailure((message: unknown) => subscriber.authFailures.push(message)),
    new StreamingExtension.Replay(channel, replayId),
    watch,
  ]);
  const subscription = client.subscribe(channel, (event: ChangeEvent) => subscriber.events.push(event));
  const done = { ...subscriber, ready: new Promise((resolve, reject) => subscription.then(resolve, reject)), close: () => (client as unknown as { disconnect(): void }).disconnect() };
  subscribers.push(done);
  return done;
}

async function until(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function contactIds(count: number): Promise<string[]> {
  return (await conn.query<{ Id: string }>(`SELECT Id FROM Contact WHERE Email != null ORDER BY Id LIMIT ${count}`)).records.map((r) => r.Id);
}

const header = (event: ChangeEvent) => event.payload.ChangeEventHeader;

describe('Change Data Capture over CometD (/cometd/62.0)', () => {
  it('an update carries its changed fields, compound parts nested, LastModifiedDate and the header; SystemModstamp and IsDeleted never', async () => {
    const subscriber = subscribe('/data/ContactChangeEvent', -1);
    await subscriber.ready;
    const [id] = await contactIds(1);
    await conn.sobject('Contact').update({ Id: id!, FirstName: 'Zed', MailingCity: 'Trieste', Department: null });
    await until('the update event', () => subscriber.events.length === 1);
    const [event] = subscriber.events;
    expect(Object.keys(event!).sort()).toEqual(['event', 'payload', 'schema']);
    expect(header(event!)).toMatchObject({
      entityName: 'Contact',
      recordIds: [id],
      changeType: 'UPDATE',
      changeOrigin: 'com/salesforce/api/rest/62.0',
      sequenceNumber: 1,
      commitUser: expect.stringMatching(/^005/),
    });
    expect(header(event!).changedFields.sort()).toEqual(['Department', 'LastModifiedDate', 'MailingAddress.City', 'Name.FirstName'].sort());
    expect(header(event!).transactionKey).toMatch(/^[0-9a-f-]{36}$/);
    const { ChangeEventHeader: _header, ...body } = event!.payload;
    expect(body).toEqual({
      Name: { FirstName: 'Zed' },
      MailingAddress: { City: 'Trieste' },
      Department: null,
      LastModifiedDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    const stored = await conn.sobject('Contact').retrieve(id!);
    expect(Date.parse(body.LastModifiedDate as string)).toBe(Date.parse(String(stored.LastModifiedDate).replace('+0000', 'Z')));
    expect(event!.event.replayId).toBeGreaterThan(0);
  });

  it('a create carries every non-empty field and the system fields; a delete the header only; the caller names itself in changeOrigin', async () => {
    const subscriber = subscribe('/data/ContactChangeEvent', -1);
    await subscriber.ready;
    const created = await conn.request<{ id: string }>({
      method: 'POST',
      url: '/services/data/v62.0/sobjects/Contact',
      body: JSON.stringify({ LastName: 'Streamed', Email: 'streamed@example.com', Title: 'New' }),
      headers: { 'Content-Type': 'application/json', 'Sforce-Call-Options': 'client=contact-sync' },
    });
    await conn.sobject('Contact').destroy(created.id);
    await until('create and delete events', () => subscriber.events.length === 2);
    const [create, remove] = subscriber.events;
    expect(header(create!)).toMatchObject({ changeType: 'CREATE', recordIds: [created.id], changedFields: [], changeOrigin: 'com/salesforce/api/rest/62.0;client=contact-sync' });
    const { ChangeEventHeader: _h, ...body } = create!.payload;
    expect(body).toMatchObject({ Name: { LastName: 'Streamed' }, Email: 'streamed@example.com', Title: 'New', OwnerId: expect.any(String), CreatedById: expect.any(String) });
    expect(Object.keys(body)).toEqual(expect.arrayContaining(['CreatedDate', 'LastModifiedDate', 'LastModifiedById', 'HasOptedOutOfEmail']));
    for (const absent of ['Id', 'IsDeleted', 'SystemModstamp', 'FirstName', 'Full_Name__c', 'Days_Since_Contact__c', 'Phone']) expect(body).not.toHaveProperty(absent);
    expect(header(remove!)).toMatchObject({ changeType: 'DELETE', recordIds: [created.id], changedFields: [] });
    expect(Object.keys(remove!.payload)).toEqual(['ChangeEventHeader']);
    expect(remove!.event.replayId).toBeGreaterThan(create!.event.replayId);
  });

  it('one request writing several records is one transaction: the same change is one event with several recordIds, others follow in sequence', async () => {
    const subscriber = subscribe('/data/ContactChangeEvent', -1);
    await subscriber.ready;
    const ids = await contactIds(4);
    const same = ids.slice(0, 3).map((Id) => ({ Id, Title: 'Batched title' }));
    await conn.request({
      method: 'PATCH',
      url: '/services/data/v62.0/composite/sobjects',
      body: JSON.stringify({ allOrNone: false, records: [...same, { Id: ids[3], Title: 'Different' }].map((r) => ({ attributes: { type: 'Contact' }, ...r })) }),
      headers: { 'Content-Type': 'application/json' },
    });
    await until('two events', () => subscriber.events.length === 2);
    const [merged, single] = subscriber.events;
    expect(header(merged!).recordIds).toEqual(ids.slice(0, 3));
    expect(merged!.payload.Title).toBe('Batched title');
    expect(header(single!).recordIds).toEqual([ids[3]]);
    expect(header(merged!).transactionKey).toBe(header(single!).transactionKey);
    expect([header(merged!).sequenceNumber, header(single!).sequenceNumber]).toEqual([1, 2]);
  });

  it('record pages and generated data publish too; past the overflow threshold a transaction sends GAP_OVERFLOW', async () => {
    const subscriber = subscribe('/data/ChangeEvents', -1);
    await subscriber.ready;
    const [id] = await contactIds(1);
    const page = await fetch(`${sandbox.url}/records/Contact/${id}`, { method: 'POST', body: new URLSearchParams({ LastName: 'Paged', FirstName: 'Pat' }), redirect: 'manual' });
    expect(page.status).toBe(303);
    await until('the page save', () => subscriber.events.length === 1);
    expect(header(subscriber.events[0]!)).toMatchObject({ changeType: 'UPDATE', changeOrigin: 'com/salesforce/api/soap/62.0;client=SfdcInternalAPI/', recordIds: [id] });

    await control('POST', '/generate', { object: 'Lead', count: 3, stamps: 'now' });
    await until('three creates', () => subscriber.events.length === 4);
    expect(subscriber.events.slice(1).map((event) => [header(event).entityName, header(event).changeType, header(event).changeOrigin])).toEqual([
      ['Lead', 'CREATE', ''],
      ['Lead', 'CREATE', ''],
      ['Lead', 'CREATE', ''],
    ]);

    await control('PUT', '/streaming', { overflowThreshold: 2 });
    await control('POST', '/generate', { object: 'Contact', count: 5, stamps: 'now' });
    await until('two creates and an overflow', () => subscriber.events.length === 7);
    expect(subscriber.events.slice(4).map((event) => header(event).changeType)).toEqual(['CREATE', 'CREATE', 'GAP_OVERFLOW']);
    expect(header(subscriber.events[6]!)).toMatchObject({ entityName: 'Contact', recordIds: [] });
    expect(Object.keys(subscriber.events[6]!.payload)).toEqual(['ChangeEventHeader']);
  });

  it('changes made in the database arrive as gap events with their record ids only', async () => {
    const subscriber = subscribe('/data/ContactChangeEvent', -1);
    await subscriber.ready;
    const ids = await contactIds(2);
    await control('POST', '/streaming/gap', { object: 'Contact', records: ids.map((Id) => ({ Id, Title: 'Archived' })) });
    await until('one gap event', () => subscriber.events.length === 1);
    expect(header(subscriber.events[0]!)).toMatchObject({ changeType: 'GAP_UPDATE', recordIds: ids, changedFields: [] });
    expect(Object.keys(subscriber.events[0]!.payload)).toEqual(['ChangeEventHeader']);
    expect((await conn.sobject('Contact').retrieve(ids[0]!)).Title).toBe('Archived');
  });

  it('replays from -2 (all retained), from a stored replayId (what came after), or -1 (new only); /data/ChangeEvents carries every selected entity', async () => {
    const live = subscribe('/data/ChangeEvents', -1);
    await live.ready;
    const [contactId] = await contactIds(1);
    const leadId = (await conn.query<{ Id: string }>('SELECT Id FROM Lead LIMIT 1')).records[0]!.Id;
    await conn.sobject('Contact').update({ Id: contactId!, Title: 'Replay one' });
    await conn.sobject('Lead').update({ Id: leadId, Title: 'Replay two' });
    await conn.sobject('Contact').update({ Id: contactId!, Title: 'Replay three' });
    await until('three live events', () => live.events.length === 3);
    expect(live.events.map((event) => header(event).entityName)).toEqual(['Contact', 'Lead', 'Contact']);
    const [first, , third] = live.events.map((event) => event.event.replayId);

    const all = subscribe('/data/ContactChangeEvent', -2);
    await all.ready;
    await until('every retained Contact event', () => all.events.some((event) => event.event.replayId === third));
    expect(all.events.every((event) => header(event).entityName === 'Contact')).toBe(true);
    expect(all.events.map((event) => event.event.replayId)).toEqual([...all.events.map((event) => event.event.replayId)].sort((a, b) => a - b));

    const after = subscribe('/data/ContactChangeEvent', first!);
    await after.ready;
    await until('the Contact event after the stored id', () => after.events.length === 1);
    expect(after.events[0]!.payload.Title).toBe('Replay three');

    const fresh = subscribe('/data/ContactChangeEvent', -1);
    await fresh.ready;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fresh.events).toEqual([]);
  });

  it('a replayId past the retention window, or a channel whose entity is not selected, is refused as Salesforce refuses it', async () => {
    const live = subscribe('/data/ContactChangeEvent', -1);
    await live.ready;
    const [id] = await contactIds(1);
    await conn.sobject('Contact').update({ Id: id!, Title: 'Before expiry' });
    await until('an event', () => live.events.length === 1);
    const stored = live.events[0]!.event.replayId;
    await conn.sobject('Contact').update({ Id: id!, Title: 'Missed' });
    await control('POST', '/streaming/expire', {});

    const late = subscribe('/data/ContactChangeEvent', stored);
    await expect(late.ready).rejects.toMatchObject({
      message: `400::The replayId {${stored}} you provided was invalid.  Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.`,
    });

    // The retention window is settable: a short one purges as time passes.
    await control('PUT', '/streaming', { retentionSeconds: 1 });
    await conn.sobject('Contact').update({ Id: id!, Title: 'Short-lived' });
    await until('the short-lived event', () => live.events.length === 3);
    const shortLived = live.events[1]!.event.replayId;
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await conn.sobject('Contact').update({ Id: id!, Title: 'After' });
    await expect(subscribe('/data/ContactChangeEvent', shortLived - 1).ready).rejects.toMatchObject({ message: expect.stringContaining('you provided was invalid') });

    await control('PUT', '/streaming/entities/Lead', { enabled: false });
    try {
      await expect(subscribe('/data/LeadChangeEvent', -1).ready).rejects.toMatchObject({
        message: '400::The channel you requested to subscribe to does not exist {/data/LeadChangeEvent}',
      });
      // Not selected: its changes publish nothing, not even on /data/ChangeEvents.
      const all = subscribe('/data/ChangeEvents', -1);
      await all.ready;
      const leadId = (await conn.query<{ Id: string }>('SELECT Id FROM Lead LIMIT 1')).records[0]!.Id;
      await conn.sobject('Lead').update({ Id: leadId, Title: 'Unseen' });
      await conn.sobject('Contact').update({ Id: id!, Title: 'Seen' });
      await until('the Contact event', () => all.events.length === 1);
      expect(header(all.events[0]!).entityName).toBe('Contact');
    } finally {
      await control('PUT', '/streaming/entities/Lead', { enabled: true });
    }
  });

  it('an expired session is refused on the next connect (401::Authentication invalid, reconnect none) and a handshake with it is denied', async () => {
    const own = await login(sandbox.url);
    const subscriber = subscribe('/data/ContactChangeEvent', -1, own);
    await subscriber.ready;
    await control('POST', '/tokens/expire');
    await until('the auth-failure extension called', () => subscriber.authFailures.length === 1);
    expect(subscriber.authFailures[0]).toMatchObject({ channel: '/meta/connect', error: '401::Authentication invalid', advice: { reconnect: 'none' }, successful: false });

    const denied = subscribe('/data/ContactChangeEvent', -1, own);
    await until('the handshake denied', () => denied.authFailures.length === 1);
    expect(denied.authFailures[0]).toMatchObject({
      channel: '/meta/handshake',
      error: '403::Handshake denied',
      ext: { sfdc: { failureReason: '401::Authentication invalid' } },
      advice: { reconnect: 'none' },
    });
    conn = await login(sandbox.url);
  });

  it('after every connection drops, the client handshakes again and its replay extension brings what was published meanwhile', async () => {
    const subscriber = subscribe('/data/ContactChangeEvent', -1);
    await subscriber.ready;
    const ids = await contactIds(3);
    await conn.sobject('Contact').update({ Id: ids[0]!, Title: 'Before the drop' });
    await until('the first event', () => subscriber.events.length === 1);
    expect(await (await control('POST', '/streaming/drop')).json()).toMatchObject({ clients: expect.any(Number) });
    await conn.sobject('Contact').update({ Id: ids[1]!, Title: 'During the drop' });
    await conn.sobject('Contact').update({ Id: ids[2]!, Title: 'After the drop' });
    await until('both later events', () => subscriber.events.length === 3, 20_000);
    expect(subscriber.events.map((event) => event.payload.Title)).toEqual(['Before the drop', 'During the drop', 'After the drop']);
    expect(subscriber.metas.some((meta) => meta.channel === '/meta/connect' && meta.error === '403::Unknown client')).toBe(true);
  }, 30_000);

  it('refuses a request without a session, and a body over 32 kB', async () => {
    const handshake = [{ channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'], id: '1' }];
    const anonymous = await fetch(`${sandbox.url}/cometd/62.0`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(handshake) });
    expect(await anonymous.json()).toEqual([
      { channel: '/meta/handshake', id: '1', successful: false, error: '403::Handshake denied', ext: { sfdc: { failureReason: '401::Request requires authentication' } }, advice: { reconnect: 'none' } },
    ]);
    const huge = await fetch(`${sandbox.url}/cometd/62.0`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `OAuth ${conn.accessToken}` },
      body: JSON.stringify([{ ...handshake[0], ext: { pad: 'x'.repeat(40_000) } }]),
    });
    expect(huge.status).toBe(413);
    const garbage = await fetch(`${sandbox.url}/cometd/62.0`, { method: 'POST', headers: { authorization: `OAuth ${conn.accessToken}` }, body: '{not json' });
    expect(garbage.status).toBe(400);
  });
});
