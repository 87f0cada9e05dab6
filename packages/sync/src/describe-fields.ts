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

/** How many orgs a worker keeps objects of (the oldest kept goes first); with the fields shared, an org like the others costs little. */
export const DESCRIBE_CACHE_ORGS = 20_000;
/** How many distinct fields are shared at most before the pool starts again (kept objects keep the fields they hold). */
const SHARED_FIELDS_LIMIT = 50_000;

interface KeptFields {
  fields: Promise<readonly SalesforceField[]>;
  until: number;
}

/**
 * The objects' fields of every org a worker runs, kept between runs for `ttlMs`. A describe is one Salesforce API
 * call out of the org's daily allowance, and without this every run made one: half the calls of an incremental
 * run. A field changed in Salesforce (a picklist value, a length) reaches the rules within `ttlMs`, or at the
 * org's next run after one that failed or had records refused (`forget`): the runs where metadata can be the cause.
 * Fields equal in every respect are one object (most orgs' standard fields are the same), so an org like the
 * others costs its arrays of pointers. `ttlMs` 0 keeps nothing: every run describes.
 */
export class DescribeCache {
  readonly #orgs = new Map<string, Map<SalesforceObjectName, KeptFields>>();
  readonly #shared = new Map<string, SalesforceField>();
  readonly #ttlMs: number;
  readonly #maxOrgs: number;
  readonly #now: () => number;

  constructor(options: { ttlMs: number; maxOrgs?: number; now?: () => number }) {
    this.#ttlMs = options.ttlMs;
    this.#maxOrgs = options.maxOrgs ?? DESCRIBE_CACHE_ORGS;
    this.#now = options.now ?? Date.now;
  }

  /** `fetch` (a run's own loader) behind the org's kept fields: it is called only for an object not kept, or kept too long. */
  loaderFor(orgId: string, fetch: FieldsLoader): FieldsLoader {
    if (this.#ttlMs <= 0) return fetch;
    return (object) => {
      const objects = this.#objectsOf(orgId);
      const kept = objects.get(object);
      if (kept && kept.until > this.#now()) return kept.fields;
      const entry: KeptFields = { fields: fetch(object).then((loaded) => loaded.map((field) => this.#share(field))), until: this.#now() + this.#ttlMs };
      // A failed describe is not kept: the next run asks again (unless a newer entry replaced this one meanwhile).
      entry.fields.catch(() => {
        if (objects.get(object) === entry) objects.delete(object);
      });
      objects.set(object, entry);
      return entry.fields;
    };
  }

  /** The org's next run describes its objects again. */
  forget(orgId: string): void {
    this.#orgs.delete(orgId);
  }

  /** How many orgs have objects kept. */
  get orgs(): number {
    return this.#orgs.size;
  }

  #objectsOf(orgId: string): Map<SalesforceObjectName, KeptFields> {
    let objects = this.#orgs.get(orgId);
    if (!objects) {
      objects = new Map();
      this.#orgs.set(orgId, objects);
      if (this.#orgs.size > this.#maxOrgs) this.#orgs.delete(this.#orgs.keys().next().value!);
    }
    return objects;
  }

  #share(field: SalesforceField): SalesforceField {
    const key = JSON.stringify(field);
    const shared = this.#shared.get(key);
    if (shared) return shared;
    if (this.#shared.size >= SHARED_FIELDS_LIMIT) this.#shared.clear();
    this.#shared.set(key, field);
    return field;
  }
}
