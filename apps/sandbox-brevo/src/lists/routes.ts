import express, { type Router } from 'express';
import { formatBrevoDateTime, parseDateTimeParam } from '../dates.ts';
import { invalid, missing, outOfRange } from '../errors.ts';
import { bodyObject, paging, pathId, sortParam } from '../http.ts';
import { sandboxRequest } from '../request-context.ts';
import type { AccountState } from '../account-state.ts';
import type { Contact } from '../contacts/model.ts';
import { normalizeEmail } from '../contacts/normalize.ts';
import { contactJson } from '../contacts/serialize.ts';
import type { ContactList, Folder } from './store.ts';

/** Lists and folders page 10 by default, at most 50 (developers.brevo.com getLists / getFolders). */
const LISTS_PAGE = { limit: 10, max: 50 };
/** Contacts of a list page 50 by default, at most 500 (SDK doc comment on getContactsFromList). */
const LIST_CONTACTS_PAGE = { limit: 50, max: 500 };
/** "You can add/remove up to 150 contacts in one request" (Brevo reference, add/remove contacts to a list). */
export const LIST_MEMBERSHIP_MAX = 150;

function listJson(account: AccountState, list: ContactList): Record<string, unknown> {
  const subscribers = account.contacts.memberCount(list.id);
  return {
    id: list.id,
    name: list.name,
    totalBlacklisted: account.contacts.blacklistedCount(list.id),
    totalSubscribers: subscribers,
    uniqueSubscribers: subscribers,
    folderId: list.folderId,
  };
}

function folderJson(account: AccountState, folder: Folder): Record<string, unknown> {
  const lists = account.lists.allLists().filter((list) => list.folderId === folder.id);
  const totals = lists.map((list) => listJson(account, list));
  const sum = (key: string) => totals.reduce((n, item) => n + (item[key] as number), 0);
  return { id: folder.id, name: folder.name, totalBlacklisted: sum('totalBlacklisted'), totalSubscribers: sum('totalSubscribers'), uniqueSubscribers: sum('uniqueSubscribers') };
}

function page<T>(items: T[], sort: 'asc' | 'desc', offset: number, limit: number): T[] {
  const ordered = sort === 'desc' ? [...items].reverse() : items;
  return ordered.slice(offset, offset + limit);
}

export function listsRouter(): Router {
  const router = express.Router();

  router.get('/contacts/lists', (req, res) => {
    const { account } = sandboxRequest(req);
    const { limit, offset } = paging(req, LISTS_PAGE);
    const lists = account.lists.allLists();
    res.json({ lists: page(lists, sortParam(req.query.sort), offset, limit).map((list) => listJson(account, list)), count: lists.length });
  });

  router.post('/contacts/lists', (req, res) => {
    const { account } = sandboxRequest(req);
    const body = bodyObject(req);
    const list = account.lists.createList(body.name, body.folderId);
    res.status(201).json({ id: list.id });
  });

  router.get('/contacts/lists/:listId', (req, res) => {
    const { account } = sandboxRequest(req);
    const list = account.lists.getList(pathId(req.params.listId, 'listId'));
    res.json({ ...listJson(account, list), createdAt: formatBrevoDateTime(list.createdAt), dynamicList: false, campaignStats: [] });
  });

  router.put('/contacts/lists/:listId', (req, res) => {
    const { account } = sandboxRequest(req);
    const body = bodyObject(req);
    account.lists.updateList(pathId(req.params.listId, 'listId'), body.name, body.folderId);
    res.status(204).end();
  });

  router.delete('/contacts/lists/:listId', (req, res) => {
    const { account } = sandboxRequest(req);
    const id = pathId(req.params.listId, 'listId');
    account.lists.deleteList(id);
    account.contacts.forgetList(id);
    res.status(204).end();
  });

  router.get('/contacts/lists/:listId/contacts', (req, res) => {
    const { account } = sandboxRequest(req);
    const list = account.lists.getList(pathId(req.params.listId, 'listId'));
    const { limit, offset } = paging(req, LIST_CONTACTS_PAGE);
    let modifiedSince: number | undefined;
    if (typeof req.query.modifiedSince === 'string' && req.query.modifiedSince !== '') {
      modifiedSince = parseDateTimeParam(req.query.modifiedSince);
      if (modifiedSince === undefined) throw invalid('modifiedSince should be a valid date-time (YYYY-MM-DDTHH:mm:ss.SSSZ)');
    }
    const result = account.contacts.query({ listIds: [list.id], modifiedSince, sort: sortParam(req.query.sort) }, offset, limit);
    res.json({ contacts: result.contacts.map(contactJson), count: result.count });
  });

  router.post('/contacts/lists/:listId/contacts/add', (req, res) => {
    const { account, writeContext } = sandboxRequest(req);
    const list = account.lists.getList(pathId(req.params.listId, 'listId'));
    const targets = membershipTargets(account, bodyObject(req));
    const success: (string | number)[] = [];
    const failure: (string | number)[] = [];
    for (const { key, contact } of targets) {
      if (contact && !contact.listIds.includes(list.id)) {
        account.contacts.link(contact, list.id, writeContext);
        success.push(key);
      } else failure.push(key);
    }
    if (success.length === 0) throw invalid('Contact already in list and/or does not exist');
    res.status(201).json({ contacts: { success, failure } });
  });

  router.post('/contacts/lists/:listId/contacts/remove', (req, res) => {
    const { account, writeContext } = sandboxRequest(req);
    const list = account.lists.getList(pathId(req.params.listId, 'listId'));
    const body = bodyObject(req);
    if (body.all === true) {
      const members = account.contacts.query({ listIds: [list.id], sort: 'asc' }, 0, Number.MAX_SAFE_INTEGER).contacts;
      for (const contact of members) account.contacts.unlink(contact, list.id, writeContext);
      res.status(201).json({ contacts: { total: members.length } });
      return;
    }
    const targets = membershipTargets(account, body);
    const success: (string | number)[] = [];
    const failure: (string | number)[] = [];
    for (const { key, contact } of targets) {
      if (contact && contact.listIds.includes(list.id)) {
        account.contacts.unlink(contact, list.id, writeContext);
        success.push(key);
      } else failure.push(key);
    }
    if (success.length === 0) throw invalid('Contact already removed from list and/or does not exist');
    res.status(201).json({ contacts: { success, failure } });
  });

  router.get('/contacts/folders', (req, res) => {
    const { account } = sandboxRequest(req);
    const { limit, offset } = paging(req, LISTS_PAGE);
    const folders = account.lists.allFolders();
    res.json({ folders: page(folders, sortParam(req.query.sort), offset, limit).map((f) => folderJson(account, f)), count: folders.length });
  });

  router.post('/contacts/folders', (req, res) => {
    const { account } = sandboxRequest(req);
    const folder = account.lists.createFolder(bodyObject(req).name);
    res.status(201).json({ id: folder.id });
  });

  router.get('/contacts/folders/:folderId', (req, res) => {
    const { account } = sandboxRequest(req);
    res.json(folderJson(account, account.lists.getFolder(pathId(req.params.folderId, 'folderId'))));
  });

  router.put('/contacts/folders/:folderId', (req, res) => {
    const { account } = sandboxRequest(req);
    account.lists.renameFolder(pathId(req.params.folderId, 'folderId'), bodyObject(req).name);
    res.status(204).end();
  });

  router.delete('/contacts/folders/:folderId', (req, res) => {
    const { account } = sandboxRequest(req);
    for (const listId of account.lists.deleteFolder(pathId(req.params.folderId, 'folderId'))) account.contacts.forgetList(listId);
    res.status(204).end();
  });

  router.get('/contacts/folders/:folderId/lists', (req, res) => {
    const { account } = sandboxRequest(req);
    const folder = account.lists.getFolder(pathId(req.params.folderId, 'folderId'));
    const { limit, offset } = paging(req, LISTS_PAGE);
    const lists = account.lists.allLists().filter((list) => list.folderId === folder.id);
    res.json({ lists: page(lists, sortParam(req.query.sort), offset, limit).map((list) => listJson(account, list)), count: lists.length });
  });

  return router;
}

/** `{ emails }`, `{ ids }` or `{ extIds }`: exactly one, at most 150 entries. */
function membershipTargets(account: AccountState, body: Record<string, unknown>): { key: string | number; contact: Contact | undefined }[] {
  const given = (['emails', 'ids', 'extIds'] as const).filter((key) => body[key] !== undefined);
  if (given.length === 0) throw missing('Pass one of emails, ids or extIds');
  if (given.length > 1) throw invalid('Pass only one of emails, ids or extIds');
  const field = given[0]!;
  const values = body[field];
  if (!Array.isArray(values) || values.length === 0) throw invalid(`${field} should be a non-empty array`);
  if (values.length > LIST_MEMBERSHIP_MAX) throw outOfRange(`A maximum of ${LIST_MEMBERSHIP_MAX} contacts can be passed in one request`);
  return values.map((value: unknown) => {
    if (field === 'ids') {
      if (!Number.isSafeInteger(value)) throw invalid('ids should be an array of integers');
      return { key: value as number, contact: account.contacts.get(value as number) };
    }
    if (typeof value !== 'string') throw invalid(`${field} should be an array of strings`);
    if (field === 'emails') {
      let email: string | undefined;
      try {
        email = normalizeEmail(value);
      } catch {
        return { key: value, contact: undefined };
      }
      return { key: value, contact: account.contacts.findBy('email', email) };
    }
    return { key: value, contact: account.contacts.findBy('EXT_ID', value) };
  });
}
