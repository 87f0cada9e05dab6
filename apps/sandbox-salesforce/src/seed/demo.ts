import { base, en, Faker } from '@faker-js/faker';
import { OBJECTS } from '../org/metadata.ts';
import type { Org } from '../org/org.ts';
import { prepareCreate, prepareDelete } from '../org/writes.ts';

/**
 * The demo org's data: ~200 Contacts and ~100 Leads from a seeded faker (the
 * same on every run), plus the edge cases the sync rules must meet: phones
 * R10 rejects, missing e-mails, duplicate e-mails, names at and over Brevo's
 * lengths (R9), a Contact with a Case (R13), hostile markup, dates.
 * History is backdated over the last 10 days, one record per stamp.
 */
export const EDGE = {
  contactWithCase: { FirstName: 'Josh', LastName: 'Davis', Salutation: 'Mr.', Email: 'josh.davis@acme-customer.test' },
  duplicateEmail: 'shared.inbox@acme-customer.test',
  firstName40: 'Maximiliana-Anastasia Dorothea Wilhelmin',
  lastName81Plus: 'Featherstonehaugh-Cholmondeley-Marjoribanks-Mainwaring-Fiennes-Leveson-Gower',
  invalidPhones: ['12345', '12345678901234567', 'call me maybe'],
  hostile: '<script>alert("xss")</script><img src=x onerror=alert(1)>',
  /** Deleted an hour ago: in the recycle bin, seen by queryAll and `deleted/`. */
  deletedContact: { FirstName: 'Gone', LastName: 'Recyclebin', Email: 'gone@example.com' },
} as const;

const DAY = 86_400_000;
const REF_DATE = '2025-06-01T00:00:00.000Z';

export function seedDemoOrg(org: Org, userId: string, randomSeed: number): void {
  const faker = new Faker({ locale: [en, base] });
  faker.seed(randomSeed);

  const contacts: Record<string, unknown>[] = [];
  const leads: Record<string, unknown>[] = [];

  const person = () => {
    const FirstName = faker.person.firstName();
    const LastName = faker.person.lastName();
    return { FirstName, LastName, Email: faker.internet.email({ firstName: FirstName, lastName: LastName, provider: 'example.com' }).toLowerCase() };
  };
  const phone = () => faker.phone.number({ style: 'international' });
  const lastContacted = () => faker.date.recent({ days: 120, refDate: REF_DATE }).toISOString();

  for (let i = 0; i < 190; i += 1) {
    contacts.push({
      ...person(),
      Salutation: faker.helpers.arrayElement(['Mr.', 'Ms.', 'Mrs.', 'Dr.', null]),
      Phone: phone(),
      MobilePhone: faker.helpers.maybe(phone, { probability: 0.6 }) ?? null,
      Title: faker.person.jobTitle().slice(0, 128),
      Department: faker.commerce.department(),
      MailingStreet: faker.location.streetAddress(),
      MailingCity: faker.location.city().slice(0, 40),
      MailingPostalCode: faker.location.zipCode().slice(0, 20),
      MailingCountry: faker.location.country().slice(0, 80),
      LeadSource: faker.helpers.arrayElement(['Web', 'Phone Inquiry', 'Partner Referral', 'Other']),
      Birthdate: faker.date.birthdate({ min: 18, max: 80, mode: 'age', refDate: REF_DATE }).toISOString().slice(0, 10),
      HasOptedOutOfEmail: faker.datatype.boolean({ probability: 0.1 }),
      Last_Contacted__c: lastContacted(),
      Score__c: faker.number.float({ min: 0, max: 100, fractionDigits: 2 }),
      Annual_Spend__c: faker.number.float({ min: 0, max: 50_000, fractionDigits: 2 }),
      Discount__c: faker.number.int({ min: 0, max: 30 }),
      Interests__c: faker.helpers.arrayElements(['Newsletter', 'Events', 'Product Updates', 'Webinars', 'Offers'], { min: 0, max: 3 }).join(';') || null,
      Preferred_Channel__c: faker.helpers.arrayElement(['Email', 'SMS', 'Phone', 'None']),
      Newsletter__c: faker.datatype.boolean(),
    });
  }
  for (let i = 0; i < 95; i += 1) {
    leads.push({
      ...person(),
      Company: faker.company.name(),
      Title: faker.person.jobTitle().slice(0, 128),
      Phone: phone(),
      MobilePhone: faker.helpers.maybe(phone, { probability: 0.5 }) ?? null,
      City: faker.location.city().slice(0, 40),
      Country: faker.location.country().slice(0, 80),
      LeadSource: faker.helpers.arrayElement(['Web', 'Phone Inquiry', 'Purchased List', 'Other']),
      Status: faker.helpers.arrayElement(['Open - Not Contacted', 'Working - Contacted']),
      Industry: faker.helpers.arrayElement(['Banking', 'Education', 'Healthcare', 'Retail', 'Technology']),
      Birthdate__c: faker.date.birthdate({ min: 18, max: 80, mode: 'age', refDate: REF_DATE }).toISOString().slice(0, 10),
      Last_Contacted__c: lastContacted(),
      Score__c: faker.number.float({ min: 0, max: 100, fractionDigits: 2 }),
      Budget__c: faker.number.int({ min: 1000, max: 100_000 }),
      Probability__c: faker.number.int({ min: 0, max: 100 }),
    });
  }

  // Edge cases, at fixed positions so they are easy to find.
  const [p5, p17, pLetters] = EDGE.invalidPhones;
  contacts.push(
    { ...EDGE.contactWithCase, Phone: '+1 415 555 0101', Title: 'Customer with an open case' },
    { FirstName: 'Penny', LastName: 'Shortphone', Email: 'penny.shortphone@example.com', Phone: p5 },
    { FirstName: 'Lenny', LastName: 'Longphone', Email: 'lenny.longphone@example.com', Phone: p17, MobilePhone: p17 },
    { FirstName: 'Letty', LastName: 'Letters', Email: 'letty.letters@example.com', MobilePhone: pLetters },
    { FirstName: 'Nora', LastName: 'Noemail', Phone: '+39 02 1234 5678' },
    { FirstName: 'Ned', LastName: 'Nothing' },
    { FirstName: 'Sam', LastName: 'Shared', Email: EDGE.duplicateEmail, Phone: '+44 20 7946 0011' },
    { FirstName: 'Sue', LastName: 'Shared', Email: EDGE.duplicateEmail, Phone: '+44 20 7946 0012' },
    { FirstName: EDGE.firstName40, LastName: 'Exactly-Forty', Email: 'forty.chars@example.com' },
    { FirstName: 'Lana', LastName: EDGE.lastName81Plus.slice(0, 80), Email: 'long.lastname@example.com' },
    { FirstName: 'Zoë', LastName: 'Ñúñez-Øberg', Email: 'zoe.nunez@example.com', Phone: '+34 612 345 678', Birthdate: '1990-02-28' },
    { FirstName: 'Hostile', LastName: EDGE.hostile.slice(0, 80), Title: EDGE.hostile, Email: 'hostile@example.com' },
    { ...EDGE.deletedContact },
  );
  leads.push(
    { FirstName: 'Lea', LastName: 'Shortphone', Company: 'Tiny Phones Ltd', Email: 'lea.shortphone@example.com', Phone: p5 },
    { FirstName: 'Leo', LastName: 'Noemail', Company: 'Quiet Co', Phone: '+33 1 23 45 67 89' },
    { FirstName: 'Sam', LastName: 'Shared', Company: 'Shared Inbox Inc', Email: EDGE.duplicateEmail },
    { FirstName: EDGE.firstName40, LastName: 'Exactly-Forty', Company: 'Long Names GmbH', Email: 'forty.lead@example.com' },
    { FirstName: 'Lars', LastName: 'Letters', Company: 'Alpha Co', Email: 'lars.letters@example.com', Phone: pLetters },
  );

  const total = contacts.length + leads.length + 1;
  const now = Date.now();
  let stamp = now - 10 * DAY;
  const step = Math.floor((10 * DAY - 2 * 3_600_000) / total);
  const create = (def: (typeof OBJECTS)[keyof typeof OBJECTS], values: Record<string, unknown>) => {
    stamp += step;
    return prepareCreate(org, def, values, userId, stamp).apply();
  };
  // Contacts and Leads interleaved, so both spread over the whole 10 days of history.
  let caseContactId = '';
  let deletedId = '';
  let li = 0;
  for (let ci = 0; ci < contacts.length; ci += 1) {
    const values = contacts[ci]!;
    const row = create(OBJECTS.Contact, values);
    if (ci === 190) caseContactId = row.Id;
    if (values.LastName === EDGE.deletedContact.LastName) deletedId = row.Id;
    while (li < leads.length && li * contacts.length <= ci * leads.length) create(OBJECTS.Lead, leads[li++]!);
  }
  while (li < leads.length) create(OBJECTS.Lead, leads[li++]!);
  create(OBJECTS.Case, {
    ContactId: caseContactId,
    Subject: 'Order #4411 arrived damaged',
    Description: 'Customer reports the package arrived with a broken seal.',
    Status: 'Working',
    Priority: 'High',
    Origin: 'Email',
  });
  prepareDelete(org, OBJECTS.Contact, deletedId, userId, now - 3_600_000).apply();
}
