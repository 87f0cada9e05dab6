import { Faker, en, it } from '@faker-js/faker';
import type { AccountState } from './account-state.ts';
import type { AttributeValue } from './contacts/model.ts';
import { normalizePhone } from './contacts/phone.ts';
import { BrevoApiError } from './errors.ts';

/** Mobile numbers that libphonenumber (and Brevo) accept, one pattern per country. */
const PHONE_PATTERNS = ['+33 6## ## ## ##', '+39 3## ### ####', '+44 7911 ######', '+49 151 ########'];

export interface SeedOptions {
  /** Contacts to create in acc_demo (default 40). */
  contacts?: number;
  /** faker seed, so every reset gives the same data. */
  seed?: number;
}

/**
 * Demo data for one account: realistic contacts spread over the seeded lists,
 * with edge cases the product meets in real accounts: an SMS-only contact, a
 * blocklisted one, one with an ext_id already set, a long first name, one
 * without a date of birth.
 */
export function seedAccount(account: AccountState, options: SeedOptions = {}): void {
  const faker = new Faker({ locale: [it, en] });
  faker.seed(options.seed ?? 20_260_101);
  const count = options.contacts ?? 40;
  const context = { apiKeyName: '' };
  const listIds = account.lists.allLists().map((list) => list.id);
  for (let i = 0; i < count; i++) {
    const firstName = faker.person.firstName();
    const lastName = faker.person.lastName();
    const attributes: Record<string, AttributeValue | null> = {
      FIRSTNAME: firstName,
      LASTNAME: lastName,
      COMPANY: faker.company.name(),
      JOB_TITLE: faker.person.jobTitle(),
      CITY: faker.location.city(),
      SCORE: Math.round(faker.number.float({ min: 0, max: 100 }) * 10) / 10,
      NEWSLETTER: faker.datatype.boolean(),
      LANGUAGE: faker.helpers.arrayElement(['English', 'Italiano', 'Français']),
    };
    if (i % 5 !== 4) attributes.BIRTHDAY = faker.date.birthdate({ min: 18, max: 80, mode: 'age' }).toISOString().slice(0, 10);
    if (i % 3 === 0) attributes.SMS = validMobile(faker);
    if (i === 7) attributes.FIRSTNAME = 'Maximiliano-Alessandro-Giovanni-Bartolomeo-Francesco';
    if (i === 11) attributes.EXT_ID = '003SANDBOX000011';
    const email = i === 13 ? undefined : faker.internet.email({ firstName, lastName, provider: 'example.test' }).toLowerCase();
    if (email === undefined && attributes.SMS === undefined) attributes.SMS = '+33612345678';
    try {
      const contact = account.contacts.create(
        {
          ...(email ? { email } : {}),
          attributes,
          emailBlacklisted: i === 5,
          listIds: faker.helpers.arrayElements(listIds.slice(0, 3), { min: 0, max: 2 }),
        },
        context,
      );
      // Seeded contacts should look older than anything created afterwards.
      contact.createdAt -= (count - i) * 3_600_000;
      contact.modifiedAt = contact.createdAt;
    } catch (error) {
      // A generated email or phone may collide with an earlier one: skip that contact. Anything else is a seed bug.
      if (!(error instanceof BrevoApiError) || error.code !== 'duplicate_parameter') throw error;
    }
  }
}

/** A random mobile number Brevo would accept (some generated ranges are not allocated, so retry). */
function validMobile(faker: Faker): string {
  for (;;) {
    const candidate = faker.helpers.replaceSymbols(faker.helpers.arrayElement(PHONE_PATTERNS)).replace(/\s/g, '');
    if (normalizePhone(candidate)) return candidate;
  }
}
