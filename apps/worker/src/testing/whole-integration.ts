import { IntegrationStatus } from '@contact-sync/rules';
import type { SecretBox } from '@contact-sync/secrets';
import { Types } from 'mongoose';

/**
 * An active Salesforce Contacts integration on org number `org` (the `n`th there), as the BFF stores one after its
 * wizard: a mapping of six attributes and sealed tokens, a whole document of about 1.5 kB. For tests and diagnostics
 * that count what the worker reads of a fleet.
 */
export function wholeIntegrationOn(org: number, n: number, secrets: SecretBox) {
  const _id = new Types.ObjectId();
  const sealed = (which: string) => secrets.seal(`token-${which}-${_id.toHexString()}`, `integration:${_id.toHexString()}:salesforce-${which}-token`);
  return {
    _id,
    accountId: `acc_fleet_${org}`,
    kind: 'salesforce-contacts' as const,
    name: `Fleet ${org}.${n}`,
    nameKey: `fleet ${org}.${n}`,
    status: IntegrationStatus.Active,
    salesforce: {
      orgId: `00D${String(org).padStart(12, '0')}AAA`,
      userId: `005${String(org).padStart(12, '0')}AAA`,
      username: `user${org}@fleet.test`,
      displayName: null,
      instanceUrl: 'https://fleet.example.test',
      accessToken: sealed('access'),
      refreshToken: sealed('refresh'),
      connectedAt: new Date(),
      tokenRefreshedAt: null,
    },
    mappingEntries: ['EMAIL:Email', 'FIRSTNAME:FirstName', 'LASTNAME:LastName', 'SMS:MobilePhone', 'JOB_TITLE:Title', 'CITY:MailingCity'].map((pair) => {
      const [attribute, field] = pair.split(':');
      return { attribute, field, direction: null, valuePairs: null };
    }),
    list: { id: org + 1, name: `List ${org}` },
    activatedAt: new Date(),
  };
}
