import { createHash } from 'node:crypto';
import { DATA_PATH, toSalesforceField, type SalesforceRequester } from '@contact-sync/salesforce';
import type { SalesforceField, SalesforceObjectName } from '@contact-sync/rules';
import type { Caller } from './classify.ts';
import type { FieldsLoader } from './integration.ts';

/**
 * Describe of the integration's object, once per engine run (the rules need field types and lengths), as the
 * part of each field the rules read (`toSalesforceField`: what the BFF's mapping form was checked against).
 */
export function describeFieldsLoader(conn: SalesforceRequester, call: Caller): FieldsLoader {
  const cache = new Map<SalesforceObjectName, Promise<readonly SalesforceField[]>>();
  return (object) => {
    let fields = cache.get(object);
    if (!fields) {
      fields = call('salesforce.describe', async () => {
        const result = (await conn.request({ method: 'GET', url: `${DATA_PATH}/sobjects/${object}/describe` })) as { fields: Parameters<typeof toSalesforceField>[0][] };
        return result.fields.map(toSalesforceField);
      });
      fields.catch(() => cache.delete(object));
      cache.set(object, fields);
    }
    return fields;
  };
}

/** How many Salesforce users' describes a worker keeps (the least recently used goes first). */
export const DESCRIBE_CACHE_USERS = 20_000;
/**
 * About how much of the worker's heap the kept describes may hold: the JSON size of the fields no other user shared
 * when they were kept, and a pointer per field. Users of orgs unlike each other (other languages, custom fields) fill
 * it before DESCRIBE_CACHE_USERS; the least recently used go first. The worker's heap is capped at 192 MB.
 */
export const DESCRIBE_CACHE_BYTES = 24 * 1024 * 1024;
/** How many fields' digests the pool of shared fields remembers before it starts again. */
const SHARED_FIELDS_LIMIT = 50_000;
/** What a kept field costs beside the field itself: its slot in a describe's array. */
const POINTER_BYTES = 8;

interface KeptFields {
  fields: readonly SalesforceField[];
  /** When the describe that gave them was asked for. */
  fetchedAt: number;
  /** What keeping it added to the heap (DESCRIBE_CACHE_BYTES). */
  bytes: number;
}

/**
 * The objects' fields, as each Salesforce user of the orgs a worker runs sees them (field-level security makes a
 * describe per user), kept between runs for `ttlMs`. A describe is one Salesforce API call out of the org's daily
 * allowance, and without this every run made one: half the calls of an incremental run.
 * - A run is given a kept describe only if it is younger than the TTL and than the run's `describedSince` (the
 *   worker passes when the integration was last written, so a mapping saved after a field was added in Salesforce,
 *   or the status a failed run set, makes the next run describe; and the run's start for "Sync now").
 * - Only describes that succeeded are kept, and each run waits on its own call: one run's failing describe (a
 *   revoked token) is never another's.
 * - Fields equal in every respect are one object across users and orgs (most orgs' standard fields are the same),
 *   so a user whose fields are like another's costs arrays of pointers. What is kept stays within DESCRIBE_CACHE_BYTES
 *   and DESCRIBE_CACHE_USERS. `ttlMs` 0 keeps nothing.
 */
export class DescribeCache {
  /** By user, least recently used first; each user's objects. */
  readonly #users = new Map<string, Map<SalesforceObjectName, KeptFields>>();
  /** A field by a digest of its JSON, while a kept describe holds it (a field no user holds any more is let go). */
  readonly #shared = new Map<string, WeakRef<SalesforceField>>();
  readonly #ttlMs: number;
  readonly #maxUsers: number;
  readonly #maxBytes: number;
  readonly #now: () => number;
  /** The sum of the kept describes' `bytes`. */
  #bytes = 0;

  constructor(options: { ttlMs: number; maxUsers?: number; maxBytes?: number; now?: () => number }) {
    this.#ttlMs = options.ttlMs;
    this.#maxUsers = options.maxUsers ?? DESCRIBE_CACHE_USERS;
    this.#maxBytes = options.maxBytes ?? DESCRIBE_CACHE_BYTES;
    this.#now = options.now ?? Date.now;
  }

  /**
   * One run's loader for a user's objects (`userKey`: its org and user): each object's kept fields, else `fetch`'s
   * (the run's own describe), kept for the next runs. The run keeps what it got for all its passes.
   */
  loaderFor(userKey: string, fetch: FieldsLoader, describedSince: Date = new Date(0)): FieldsLoader {
    if (this.#ttlMs <= 0) return fetch;
    const run = new Map<SalesforceObjectName, Promise<readonly SalesforceField[]>>();
    return (object) => {
      let fields = run.get(object);
      if (!fields) {
        fields = this.#keptOrFetched(userKey, object, fetch, describedSince.getTime());
        run.set(object, fields);
        fields.catch(() => run.delete(object));
      }
      return fields;
    };
  }

  /** The user's next runs on this worker describe again (after a run that threw: a field changed in Salesforce can be why). */
  forget(userKey: string): void {
    for (const kept of this.#users.get(userKey)?.values() ?? []) this.#bytes -= kept.bytes;
    this.#users.delete(userKey);
  }

  /** How many users have objects kept. */
  get users(): number {
    return this.#users.size;
  }

  /** What the kept describes hold, as DESCRIBE_CACHE_BYTES counts it. */
  get bytes(): number {
    return this.#bytes;
  }

  async #keptOrFetched(userKey: string, object: SalesforceObjectName, fetch: FieldsLoader, describedSince: number): Promise<readonly SalesforceField[]> {
    const now = this.#now();
    const kept = this.#users.get(userKey)?.get(object);
    if (kept && now - kept.fetchedAt < this.#ttlMs && kept.fetchedAt >= describedSince) {
      this.#touch(userKey);
      return kept.fields;
    }
    let bytes = 0;
    const fields = (await fetch(object)).map((field) => {
      const shared = this.#share(field);
      bytes += shared.newBytes + POINTER_BYTES;
      return shared.field;
    });
    const objects = this.#objectsOf(userKey);
    this.#bytes += bytes - (objects.get(object)?.bytes ?? 0);
    objects.set(object, { fields, fetchedAt: now, bytes });
    this.#letGo(userKey);
    return fields;
  }

  /** The user's objects, made the most recently used. */
  #objectsOf(userKey: string): Map<SalesforceObjectName, KeptFields> {
    const objects = this.#touch(userKey) ?? new Map<SalesforceObjectName, KeptFields>();
    this.#users.set(userKey, objects);
    return objects;
  }

  /** From the least recently used: users past the bounds, or whose describes all expired, go (never `keep`). */
  #letGo(keep: string): void {
    const now = this.#now();
    for (const [oldest, theirs] of this.#users) {
      const expired = [...theirs.values()].every((kept) => now - kept.fetchedAt >= this.#ttlMs);
      if (oldest === keep || (this.#users.size <= this.#maxUsers && this.#bytes <= this.#maxBytes && !expired)) break;
      this.forget(oldest);
    }
  }

  /** Moves the user to the most recently used end; its objects, if any. */
  #touch(userKey: string): Map<SalesforceObjectName, KeptFields> | undefined {
    const objects = this.#users.get(userKey);
    if (objects) {
      this.#users.delete(userKey);
      this.#users.set(userKey, objects);
    }
    return objects;
  }

  /** The one object for fields equal to this one, and what this one adds to the heap (0 when one was held already). */
  #share(field: SalesforceField): { field: SalesforceField; newBytes: number } {
    const json = JSON.stringify(field);
    const key = createHash('sha256').update(json).digest('base64');
    const shared = this.#shared.get(key)?.deref();
    if (shared) return { field: shared, newBytes: 0 };
    if (this.#shared.size >= SHARED_FIELDS_LIMIT) this.#shared.clear();
    this.#shared.set(key, new WeakRef(field));
    return { field, newBytes: json.length };
  }
}
