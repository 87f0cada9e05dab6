import express, { type Router } from 'express';
import { parseDateTimeParam } from '../dates.ts';
import { BrevoApiError, invalid, missing, outOfRange } from '../errors.ts';
import { bodyObject, intListParam, paging, sortParam } from '../http.ts';
import { sandboxRequest } from '../request-context.ts';
import { contactNotFound, resolveContact } from './identifier.ts';
import type { Contact, ContactWrite } from './model.ts';
import { isPlainObject, normalizeEmail, normalizeWrite } from './normalize.ts';
import { normalizePhone } from './phone.ts';
import { contactInfoJson, contactJson } from './serialize.ts';
import type { AccountState } from '../account-state.ts';

/** Brevo pages GET /contacts 50 by default, at most 1000 (SDK doc comment on getContacts). */
const CONTACTS_PAGE = { limit: 50, max: 1000 };
/** Not in the public reference; a conservative cap so the product never relies on a bigger one. */
export const BATCH_MAX_CONTACTS = 100;

export function assertListsExist(account: AccountState, write: ContactWrite): void {
  for (const listId of [...(write.listIds ?? []), ...(write.unlinkListIds ?? [])]) {
    if (!account.lists.hasList(listId)) throw invalid(`List ID ${listId} does not exist`);
  }
}

export function contactsRouter(): Router {
  const router = express.Router();

  router.get('/contacts', (req, res) => {
    const { account } = sandboxRequest(req);
    const { limit, offset } = paging(req, CONTACTS_PAGE);
    const modifiedSince = dateParam(req.query.modifiedSince, 'modifiedSince');
    const createdSince = dateParam(req.query.createdSince, 'createdSince');
    const ids = intListParam(req.query.ids, 'ids');
    if (ids && ids.length > 20) throw outOfRange('ids: a maximum of 20 IDs can be passed');
    const listIds = intListParam(req.query.listIds, 'listIds');
    if (listIds && req.query.segmentId !== undefined) throw invalid('Either listIds or segmentId can be passed');
    const attributeEquals = filterParam(req.query.filter, account);
    const page = account.contacts.query(
      { modifiedSince, createdSince, ids, listIds, ...(attributeEquals ? { attributeEquals } : {}), sort: sortParam(req.query.sort) },
      offset,
      limit,
    );
    res.json({ contacts: page.contacts.map(contactJson), count: page.count });
  });

  router.post('/contacts', (req, res) => {
    const { account, writeContext } = sandboxRequest(req);
    const body = bodyObject(req);
    const write = normalizeWrite(body, account.attributes, 'create');
    assertListsExist(account, write);
    if (write.email === undefined && write.attributes.SMS == null && write.attributes.EXT_ID == null) {
      throw missing('Please provide Email or SMS attribute value or ext_id to create user');
    }
    if (body.updateEnabled === true) {
      const owners = account.contacts.owners(write);
      if (owners.length === 1) {
        account.contacts.update(owners[0]!, write, writeContext);
        res.status(204).end();
        return;
      }
    } else if (body.updateEnabled !== undefined && typeof body.updateEnabled !== 'boolean') {
      throw invalid('updateEnabled should be type boolean');
    }
    const contact = account.contacts.create(write, writeContext);
    res.status(201).json({ id: contact.id });
  });

  /**
   * Brevo answers 204 when every contact was updated and 207 Multi-Status
   * `{ successIds, failureIds }` when only some were (Brevo's OpenAPI for
   * updateBatchContacts; the SDK types the result as void, so a caller must
   * read the raw response to see the 207 body). Items are applied one by
   * one; an item that fails (unknown contact, duplicate identifier, bad
   * value) is listed in failureIds by the identifier it was given.
   * Not verified against today's Brevo: its reference page now lists only 204
   * and 400, and a user reported a 404 `document_not_found` ("No contact found
   * for indexes 3,4") for unknown contacts where the docs of the time promised
   * this 207 (sendinblue/APIv3-php-library#257). The sync treats a 400, a 404
   * and a 207 alike (halves the batch until each refused contact is alone), so
   * it does not depend on which one Brevo sends.
   */
  router.post('/contacts/batch', (req, res) => {
    const { account, writeContext } = sandboxRequest(req);
    const body = bodyObject(req);
    if (body.contacts === undefined || body.contacts === null) throw missing('contacts is missing');
    if (!Array.isArray(body.contacts) || body.contacts.length === 0) throw invalid('contacts should be a non-empty array');
    if (body.contacts.length > BATCH_MAX_CONTACTS) throw outOfRange(`A maximum of ${BATCH_MAX_CONTACTS} contacts can be updated in one request`);
    const successIds: (number | string)[] = [];
    const failureIds: (number | string)[] = [];
    for (const item of body.contacts as unknown[]) {
      const key = isPlainObject(item) ? ((item.id ?? item.email ?? item.sms ?? null) as number | string | null) : null;
      try {
        if (!isPlainObject(item)) throw invalid('contact should be an object');
        const contact = batchTarget(account, item);
        const write = normalizeWrite(item, account.attributes, 'update');
        assertListsExist(account, write);
        account.contacts.update(contact, write, writeContext);
        successIds.push(key ?? contact.id);
      } catch (error) {
        if (!(error instanceof BrevoApiError)) throw error;
        failureIds.push(key ?? '');
      }
    }
    if (failureIds.length === 0) res.status(204).end();
    else res.status(207).json({ failureIds, successIds });
  });

  // The sandbox never sends campaigns, so every contact's statistics are empty and no segment exists.
  router.get('/contacts/segments', (req, res) => {
    paging(req, { limit: 10, max: 50 });
    res.json({ segments: [], count: 0 });
  });

  router.get('/contacts/:identifier/campaignStats', (req, res) => {
    const { account } = sandboxRequest(req);
    resolveContact(account.contacts, req.params.identifier, undefined, 'GET');
    res.json({});
  });

  router.get('/contacts/:identifier', (req, res) => {
    const { account } = sandboxRequest(req);
    const contact = resolveContact(account.contacts, req.params.identifier, req.query.identifierType, 'GET');
    res.json(contactInfoJson(contact));
  });

  router.put('/contacts/:identifier', (req, res) => {
    const { account, writeContext } = sandboxRequest(req);
    const contact = resolveContact(account.contacts, req.params.identifier, req.query.identifierType, 'PUT');
    const write = normalizeWrite(bodyObject(req), account.attributes, 'update');
    assertListsExist(account, write);
    account.contacts.update(contact, write, writeContext);
    res.status(204).end();
  });

  router.delete('/contacts/:identifier', (req, res) => {
    const { account, writeContext } = sandboxRequest(req);
    const contact = resolveContact(account.contacts, req.params.identifier, req.query.identifierType, 'DELETE');
    account.contacts.delete(contact, writeContext);
    res.status(204).end();
  });

  return router;
}

/**
 * `filter=equals(FIRSTNAME,"Antoine")`, the only operator Brevo allows
 * (SDK doc on getContacts); category attributes match by id or label,
 * multiple-choice values (`"USA, INDIA"`) must all be present.
 */
function filterParam(value: unknown, account: AccountState): { name: string; values: string[] } | undefined {
  if (value === undefined || value === '') return undefined;
  const match = typeof value === 'string' ? /^equals\(\s*([A-Za-z0-9_-]+)\s*,\s*(?:"([^"]*)"|([^)"]*?))\s*\)$/.exec(value) : null;
  if (!match) throw invalid('filter is not valid: use equals(ATTRIBUTE,"value")');
  const name = match[1]!.toUpperCase();
  const raw = (match[2] ?? match[3] ?? '').trim();
  const attribute = account.attributes.get(name);
  if (!attribute && name !== 'EMAIL') throw invalid(`filter is not valid: attribute ${name} does not exist`);
  if (attribute?.type === 'multiple-choice') return { name, values: raw.split(',').map((v) => v.trim()) };
  const byId = attribute?.enumeration?.find((item) => String(item.value) === raw);
  return { name, values: [byId ? byId.label : name === 'EMAIL' ? raw.toLowerCase() : raw] };
}

function dateParam(value: unknown, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = typeof value === 'string' ? parseDateTimeParam(value) : undefined;
  if (ms === undefined) throw invalid(`${name} should be a valid date-time (YYYY-MM-DDTHH:mm:ss.SSSZ)`);
  return ms;
}

/** A batch item names its contact by exactly one of email, id or sms. */
function batchTarget(account: AccountState, item: Record<string, unknown>): Contact {
  const given = ['email', 'id', 'sms'].filter((key) => item[key] !== undefined && item[key] !== null);
  if (given.length === 0) throw missing('Pass one of email, id or sms to identify the contact');
  if (given.length > 1) throw invalid('Pass only one of email, id or sms to identify the contact');
  let contact: Contact | undefined;
  if (given[0] === 'email') contact = account.contacts.findBy('email', normalizeEmail(item.email));
  else if (given[0] === 'id') {
    if (!Number.isSafeInteger(item.id)) throw invalid('id should be type integer');
    contact = account.contacts.get(item.id as number);
  } else {
    const phone = typeof item.sms === 'string' ? normalizePhone(item.sms) : undefined;
    if (!phone) throw invalid('Invalid phone number');
    contact = account.contacts.findBy('SMS', phone);
  }
  if (!contact) throw contactNotFound();
  return contact;
}
