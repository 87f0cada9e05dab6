import { invalid, missing, notFound } from '../errors.ts';

export interface ContactList {
  id: number;
  name: string;
  folderId: number;
  createdAt: number;
}

export interface Folder {
  id: number;
  name: string;
}

/**
 * Lists and the folders that hold them. Brevo numbers folders and lists from
 * the same kind of account-wide counters; a fresh account has folder 1 and
 * list 2. Membership itself lives in the contact store (indexed both ways).
 */
export class ListStore {
  private lists = new Map<number, ContactList>();
  private folders = new Map<number, Folder>();
  private nextListId = 1;
  private nextFolderId = 1;

  constructor(private readonly now: () => number) {}

  seed(): void {
    const folder = this.createFolder('Your first folder');
    const other = this.createFolder('Integrations');
    this.nextListId = 2;
    this.createList('Your first list', folder.id);
    this.createList('Newsletter', folder.id);
    this.createList('Customers', folder.id);
    this.createList('Salesforce contacts', other.id);
  }

  allLists(): ContactList[] {
    return [...this.lists.values()];
  }

  allFolders(): Folder[] {
    return [...this.folders.values()];
  }

  getList(id: number): ContactList {
    const list = this.lists.get(id);
    if (!list) throw notFound('List ID does not exist');
    return list;
  }

  hasList(id: number): boolean {
    return this.lists.has(id);
  }

  createList(name: unknown, folderId: unknown): ContactList {
    if (name === undefined || name === null || name === '') throw missing('name is missing');
    if (typeof name !== 'string') throw invalid('name should be type string');
    if (folderId === undefined || folderId === null) throw missing('folderId is missing');
    if (!Number.isSafeInteger(folderId)) throw invalid('folderId should be type integer');
    if (!this.folders.has(folderId as number)) throw invalid('Folder ID does not exist');
    const list: ContactList = { id: this.nextListId++, name, folderId: folderId as number, createdAt: this.now() };
    this.lists.set(list.id, list);
    return list;
  }

  updateList(id: number, name: unknown, folderId: unknown): void {
    const list = this.getList(id);
    if ((name === undefined || name === null) && (folderId === undefined || folderId === null)) {
      throw missing('Either name or folderId is required');
    }
    if (name !== undefined && name !== null) {
      if (typeof name !== 'string' || name === '') throw invalid('name should be a non-empty string');
      list.name = name;
    }
    if (folderId !== undefined && folderId !== null) {
      if (!Number.isSafeInteger(folderId) || !this.folders.has(folderId as number)) throw invalid('Folder ID does not exist');
      list.folderId = folderId as number;
    }
  }

  deleteList(id: number): void {
    this.getList(id);
    this.lists.delete(id);
  }

  getFolder(id: number): Folder {
    const folder = this.folders.get(id);
    if (!folder) throw notFound('Folder ID does not exist');
    return folder;
  }

  createFolder(name: unknown): Folder {
    if (name === undefined || name === null || name === '') throw missing('name is missing');
    if (typeof name !== 'string') throw invalid('name should be type string');
    const folder: Folder = { id: this.nextFolderId++, name };
    this.folders.set(folder.id, folder);
    return folder;
  }

  renameFolder(id: number, name: unknown): void {
    const folder = this.getFolder(id);
    if (typeof name !== 'string' || name === '') throw missing('name is missing');
    folder.name = name;
  }

  /** Deleting a folder deletes its lists (Brevo: "will also delete all the contact lists contained within it"). */
  deleteFolder(id: number): number[] {
    this.getFolder(id);
    this.folders.delete(id);
    const removed = [...this.lists.values()].filter((list) => list.folderId === id).map((list) => list.id);
    for (const listId of removed) this.lists.delete(listId);
    return removed;
  }
}
