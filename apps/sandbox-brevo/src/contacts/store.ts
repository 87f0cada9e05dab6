import { BrevoApiError, duplicate } from '../errors.ts';
import {
  IDENTIFIER_KINDS,
  IDENTIFIER_LABEL,
  identifierOf,
  type AttributeValue,
  type Contact,
  type ContactWrite,
  type IdentifierKind,
  type WriteContext,
} from './model.ts';

export type ContactEvent =
  | {
      kind: 'updated';
      contact: Contact;
      /** Attributes whose value changed (EMAIL included), as webhooks report them. */
      content: Record<string, AttributeValue | null>;
      addedListIds: number[];
      context: WriteContext;
      at: number;
    }
  | { kind: 'deleted'; contact: Contact; context: WriteContext; at: number }
  /** A recipient unsubscribed from a campaign (Brevo blocklists the email): the marketing webhook's `unsubscribed`. */
  | { kind: 'unsubscribed'; contact: Contact; at: number };

export interface ContactQuery {
  modifiedSince?: number;
  createdSince?: number;
  listIds?: number[];
  ids?: number[];
  /** `filter=equals(NAME,"value")`: the attribute's value, compared as text. */
  attributeEquals?: { name: string; values: string[] };
  sort: 'asc' | 'desc';
}

/**
 * All contacts of one account, indexed for the lookups the API offers
 * (id, email, SMS, ext_id, WhatsApp, landline) and for list membership.
 * Sized for a million contacts: Maps for point lookups, an append-only array
 * (compacted lazily after deletes) for paging, and filtered id lists cached
 * per query until the next write so paging a large filter stays linear.
 */
export class ContactStore {
  private byId = new Map<number, Contact>();
  private ordered: (Contact | undefined)[] = [];
  private holes = 0;
  private indexes = new Map<IdentifierKind, Map<string, number>>(IDENTIFIER_KINDS.map((kind) => [kind, new Map()]));
  private members = new Map<number, Set<number>>();
  private nextId = 1;
  private version = 0;
  private queryCache = new Map<string, { version: number; ids: number[] }>();
  private blacklistedCache = new Map<number, { version: number; count: number }>();
  private listeners: ((event: ContactEvent) => void)[] = [];

  constructor(private readonly now: () => number) {}

  onChange(listener: (event: ContactEvent) => void): void {
    this.listeners.push(listener);
  }

  get size(): number {
    return this.byId.size;
  }

  get(id: number): Contact | undefined {
    return this.byId.get(id);
  }

  findBy(kind: IdentifierKind, value: string): Contact | undefined {
    const id = this.indexes.get(kind)?.get(kind === 'email' ? value.toLowerCase() : value);
    return id === undefined ? undefined : this.byId.get(id);
  }

  /** Contacts that already hold one of the identifiers this write would set. */
  owners(write: ContactWrite): Contact[] {
    const found = new Map<number, Contact>();
    for (const [kind, value] of this.identifiersIn(write)) {
      if (value === null) continue;
      const owner = this.findBy(kind, value);
      if (owner) found.set(owner.id, owner);
    }
    return [...found.values()];
  }

  create(write: ContactWrite, context: WriteContext): Contact {
    this.assertUnique(write, undefined, 'create');
    const at = this.now();
    const contact: Contact = {
      id: this.nextId++,
      email: undefined,
      attributes: {},
      emailBlacklisted: false,
      smsBlacklisted: false,
      whatsappBlacklisted: false,
      listIds: [],
      listUnsubscribed: [],
      createdAt: at,
      modifiedAt: at,
    };
    this.byId.set(contact.id, contact);
    this.ordered.push(contact);
    const { content, addedListIds } = this.apply(contact, write);
    this.version++;
    this.emit({ kind: 'updated', contact, content, addedListIds, context, at });
    return contact;
  }

  /** Applies a write; returns false (and changes nothing, fires nothing) when it would change nothing. */
  update(contact: Contact, write: ContactWrite, context: WriteContext): boolean {
    this.assertUnique(write, contact, 'update');
    const before = JSON.stringify(contact);
    const { content, addedListIds } = this.apply(contact, write);
    if (JSON.stringify(contact) === before) return false;
    const at = Math.max(this.now(), contact.modifiedAt + 1);
    contact.modifiedAt = at;
    this.version++;
    this.emit({ kind: 'updated', contact, content, addedListIds, context, at });
    return true;
  }

  delete(contact: Contact, context: WriteContext): void {
    if (!this.byId.delete(contact.id)) return;
    for (const kind of IDENTIFIER_KINDS) {
      const value = identifierOf(contact, kind);
      if (value !== undefined) this.indexes.get(kind)?.delete(value);
    }
    for (const listId of contact.listIds) this.members.get(listId)?.delete(contact.id);
    this.holes++;
    this.version++;
    this.emit({ kind: 'deleted', contact, context, at: this.now() });
  }

  /**
   * A recipient unsubscribing through a campaign's link, as Brevo handles it: the email is blocklisted and
   * the `unsubscribed` marketing event is sent (not `contact_updated`: no attribute changed). Once per
   * blocklisting: false when the email was already blocklisted.
   */
  unsubscribe(contact: Contact): boolean {
    if (contact.emailBlacklisted) return false;
    contact.emailBlacklisted = true;
    contact.modifiedAt = Math.max(this.now(), contact.modifiedAt + 1);
    this.version++;
    this.emit({ kind: 'unsubscribed', contact, at: contact.modifiedAt });
    return true;
  }

  /** List membership changes made from the list side (`/contacts/lists/{id}/contacts/add|remove`). */
  link(contact: Contact, listId: number, context: WriteContext): boolean {
    return this.update(contact, { attributes: {}, listIds: [listId] }, context);
  }

  unlink(contact: Contact, listId: number, context: WriteContext): boolean {
    return this.update(contact, { attributes: {}, unlinkListIds: [listId] }, context);
  }

  memberCount(listId: number): number {
    return this.members.get(listId)?.size ?? 0;
  }

  blacklistedCount(listId: number): number {
    const cached = this.blacklistedCache.get(listId);
    if (cached && cached.version === this.version) return cached.count;
    let count = 0;
    for (const id of this.members.get(listId) ?? []) if (this.byId.get(id)?.emailBlacklisted) count++;
    this.blacklistedCache.set(listId, { version: this.version, count });
    return count;
  }

  /** Drops a deleted list from every contact (no webhook: Brevo sends none for list deletion). */
  forgetList(listId: number): void {
    for (const id of this.members.get(listId) ?? []) {
      const contact = this.byId.get(id);
      if (contact) contact.listIds = contact.listIds.filter((l) => l !== listId);
    }
    this.members.delete(listId);
    this.version++;
  }

  /** One page of a query, plus the total count, ordered by creation. */
  query(query: ContactQuery, offset: number, limit: number): { contacts: Contact[]; count: number } {
    const ids = this.matchingIds(query);
    const page: Contact[] = [];
    for (let i = offset; i < ids.length && page.length < limit; i++) {
      const contact = this.byId.get(ids[i]!);
      if (contact) page.push(contact);
    }
    return { contacts: page, count: ids.length };
  }

  *all(): IterableIterator<Contact> {
    yield* this.byId.values();
  }

  private matchingIds(query: ContactQuery): number[] {
    const key = JSON.stringify(query);
    const cached = this.queryCache.get(key);
    if (cached && cached.version === this.version) return cached.ids;
    this.compact();
    const { modifiedSince, createdSince, listIds, ids: only } = query;
    const onlySet = only ? new Set(only) : undefined;
    const listSets = listIds?.map((id) => this.members.get(id) ?? new Set<number>());
    const result: number[] = [];
    // A small list is cheaper to sort than to find in the whole account; a big one the other way round.
    const source = listSets && listSets.length === 1 && listSets[0]!.size * 8 < this.byId.size ? this.sortedMembers(listSets[0]!) : undefined;
    const candidates: Iterable<Contact | undefined> = source ? source.map((id) => this.byId.get(id)) : this.ordered;
    for (const contact of candidates) {
      if (!contact) continue;
      if (modifiedSince !== undefined && contact.modifiedAt <= modifiedSince) continue;
      if (createdSince !== undefined && contact.createdAt <= createdSince) continue;
      if (onlySet && !onlySet.has(contact.id)) continue;
      if (listSets && !listSets.some((set) => set.has(contact.id))) continue;
      if (query.attributeEquals && !matchesAttribute(contact, query.attributeEquals)) continue;
      result.push(contact.id);
    }
    if (query.sort === 'desc') result.reverse();
    if (this.queryCache.size > 50) this.queryCache.clear();
    this.queryCache.set(key, { version: this.version, ids: result });
    return result;
  }

  private sortedMembers(set: Set<number>): number[] {
    return [...set].sort((a, b) => a - b);
  }

  private compact(): void {
    if (this.holes === 0) return;
    this.ordered = this.ordered.filter((contact) => contact !== undefined && this.byId.get(contact.id) === contact);
    this.holes = 0;
  }

  private identifiersIn(write: ContactWrite): [IdentifierKind, string | null][] {
    const found: [IdentifierKind, string | null][] = [];
    if (write.email !== undefined) found.push(['email', write.email]);
    for (const kind of IDENTIFIER_KINDS) {
      if (kind === 'email') continue;
      const value = write.attributes[kind];
      if (value !== undefined) found.push([kind, value === null || value === '' ? null : String(value)]);
    }
    return found;
  }

  private assertUnique(write: ContactWrite, self: Contact | undefined, action: 'create' | 'update'): void {
    const clashes: IdentifierKind[] = [];
    for (const [kind, value] of this.identifiersIn(write)) {
      if (value === null) continue;
      const owner = this.findBy(kind, value);
      if (owner && owner !== self) clashes.push(kind);
    }
    if (clashes.length === 0) return;
    const labels = clashes.map((kind) => IDENTIFIER_LABEL[kind]);
    throw duplicate(`Unable to ${action} contact, ${labels.join(', ')} is already associated with another Contact`, labels);
  }

  /** Writes the values and keeps indexes in step; returns the attributes that changed (webhook `content`). */
  private apply(contact: Contact, write: ContactWrite): { content: Record<string, AttributeValue | null>; addedListIds: number[] } {
    const content: Record<string, AttributeValue | null> = {};
    const addedListIds: number[] = [];
    if (write.email !== undefined) {
      const next = write.email ?? undefined;
      if (next !== contact.email) {
        this.reindex('email', contact.email, next, contact.id);
        contact.email = next;
        content.EMAIL = next ?? null;
        // Brevo: changing a blocklisted contact's email lifts the blocklisting.
        if (next && contact.emailBlacklisted && write.emailBlacklisted === undefined) contact.emailBlacklisted = false;
      }
    }
    for (const [name, value] of Object.entries(write.attributes)) {
      const current = contact.attributes[name];
      const cleared = value === null || value === '';
      if (cleared ? current === undefined : JSON.stringify(current) === JSON.stringify(value)) continue;
      if ((IDENTIFIER_KINDS as readonly string[]).includes(name)) {
        this.reindex(name as IdentifierKind, current === undefined ? undefined : String(current), cleared ? undefined : String(value), contact.id);
      }
      if (cleared) delete contact.attributes[name];
      else contact.attributes[name] = value;
      content[name] = cleared ? null : value;
    }
    if (write.emailBlacklisted !== undefined) contact.emailBlacklisted = write.emailBlacklisted;
    if (write.smsBlacklisted !== undefined) contact.smsBlacklisted = write.smsBlacklisted;
    for (const listId of write.listIds ?? []) {
      if (contact.listIds.includes(listId)) continue;
      contact.listIds.push(listId);
      addedListIds.push(listId);
      contact.listUnsubscribed = contact.listUnsubscribed.filter((id) => id !== listId);
      let set = this.members.get(listId);
      if (!set) this.members.set(listId, (set = new Set()));
      set.add(contact.id);
    }
    for (const listId of write.unlinkListIds ?? []) {
      if (!contact.listIds.includes(listId)) continue;
      contact.listIds = contact.listIds.filter((id) => id !== listId);
      this.members.get(listId)?.delete(contact.id);
    }
    return { content, addedListIds };
  }

  private reindex(kind: IdentifierKind, previous: string | undefined, next: string | undefined, id: number): void {
    const index = this.indexes.get(kind);
    if (!index) throw new BrevoApiError(500, 'internal_error', 'index missing');
    if (previous !== undefined && index.get(previous) === id) index.delete(previous);
    if (next !== undefined) index.set(next, id);
  }

  private emit(event: ContactEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

function matchesAttribute(contact: Contact, { name, values }: { name: string; values: string[] }): boolean {
  const value = name === 'EMAIL' ? contact.email : contact.attributes[name];
  if (value === undefined) return false;
  if (Array.isArray(value)) return values.every((wanted) => value.includes(wanted));
  return values.includes(String(value));
}
