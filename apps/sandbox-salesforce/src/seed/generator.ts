import { base, en, Faker } from '@faker-js/faker';
import type { StoredRecord } from '../org/fields.ts';
import { makeId } from '../org/ids.ts';
import { OBJECTS } from '../org/metadata.ts';
import type { Org } from '../org/org.ts';

/**
 * Loads N Contacts or Leads fast (a million in a few seconds) for benchmarks.
 * Faker runs only to fill small pools; each record combines pool entries by
 * index arithmetic, so it is deterministic for a seed without calling faker
 * per record. Every 50th record has an invalid phone and every 20th no e-mail,
 * so the rules' rejections show up in benchmarks too. A load of fresh changes
 * (`stamps: 'now'`) is one transaction on the change event bus (past its
 * overflow threshold: one GAP_OVERFLOW); history (`past`) publishes nothing,
 * as the seed's does not.
 */
export interface GenerateRequest {
  object: 'Contact' | 'Lead';
  count: number;
  seed?: number;
  /** `past` (default): history older than every row; `now`: fresh changes after every row. */
  stamps?: 'past' | 'now';
  /** Every e-mail at this domain (default: a mix of common ones), so that the records of many orgs stay distinct. */
  emailDomain?: string;
}

interface Pools {
  first: string[];
  last: string[];
  titles: string[];
  cities: string[];
  companies: string[];
  domains: string[];
}

const poolCache = new Map<number, Pools>();

function pools(seed: number): Pools {
  const cached = poolCache.get(seed);
  if (cached) return cached;
  const faker = new Faker({ locale: [en, base] });
  faker.seed(seed);
  const many = (n: number, make: () => string) => Array.from({ length: n }, make);
  const made: Pools = {
    first: many(397, () => faker.person.firstName()),
    last: many(1009, () => faker.person.lastName()),
    titles: many(101, () => faker.person.jobTitle().slice(0, 128)),
    cities: many(211, () => faker.location.city().slice(0, 40)),
    companies: many(503, () => faker.company.name().slice(0, 255)),
    domains: many(23, () => faker.internet.domainName()),
  };
  poolCache.set(seed, made);
  return made;
}

export function generateRecords(org: Org, userId: string, request: GenerateRequest): { created: number; firstId?: string; lastId?: string } {
  const { object, count } = request;
  if (count === 0) return { created: 0 };
  const def = OBJECTS[object];
  const p = pools(request.seed ?? 1);
  const firstSeq = org.ids.reserve(def.keyPrefix, count);
  const firstStamp = org.reserveStamps(count, request.stamps ?? 'past');
  const rows: StoredRecord[] = new Array(count);
  for (let i = 0; i < count; i += 1) {
    const first = p.first[(i * 7) % p.first.length]!;
    const last = p.last[(i * 13 + (i >> 10)) % p.last.length]!;
    const stamp = firstStamp + i;
    const seq = String(firstSeq + i);
    const row: StoredRecord = {
      Id: makeId(def.keyPrefix, firstSeq + i),
      IsDeleted: false,
      FirstName: first,
      LastName: last,
      Name: `${first} ${last}`,
      // Missing e-mail stays an undefined property: deleting it would drop the row into slow (dictionary) mode.
      Email: i % 20 === 19 ? undefined : `${first}.${last}.${seq}@${request.emailDomain ?? p.domains[i % p.domains.length]}`.toLowerCase().replace(/[^a-z0-9.@-]/g, ''),
      Phone: i % 50 === 49 ? '12345' : `+1 555 ${seq.padStart(7, '0').slice(-7)}`,
      Title: p.titles[i % p.titles.length],
      HasOptedOutOfEmail: false,
      OwnerId: userId,
      CreatedDate: stamp,
      CreatedById: userId,
      LastModifiedDate: stamp,
      LastModifiedById: userId,
      SystemModstamp: stamp,
    };
    if (object === 'Lead') {
      row.Company = p.companies[i % p.companies.length];
      row.City = p.cities[i % p.cities.length];
      row.Status = 'Open - Not Contacted';
      row.IsConverted = false;
    } else {
      row.MailingCity = p.cities[i % p.cities.length];
      row.DoNotCall = false;
      row.Newsletter__c = false;
    }
    rows[i] = row;
  }
  const where = request.stamps ?? 'past';
  org.tables[object].loadSorted(rows, where === 'past' ? 'prepend' : 'append');
  if (where === 'now') {
    // Loaded outside the APIs (like a data import): no changeOrigin.
    org.changes.transaction({ changeOrigin: '', userId }, () => {
      for (const row of rows) org.changes.record(object, 'CREATE', row);
    });
  }
  return { created: count, firstId: rows[0]!.Id, lastId: rows[count - 1]!.Id };
}
