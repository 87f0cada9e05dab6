import { DATA_PATH, type SalesforceRequester } from '@contact-sync/salesforce';
import type { SalesforceField, SalesforceObjectName } from '@contact-sync/rules';
import type { Caller } from './classify.ts';
import type { FieldsLoader } from './integration.ts';

/** Describe of the integration's object, once per engine run (the rules need field types and lengths). */
export function describeFieldsLoader(conn: SalesforceRequester, call: Caller): FieldsLoader {
  const cache = new Map<SalesforceObjectName, Promise<readonly SalesforceField[]>>();
  return (object) => {
    let fields = cache.get(object);
    if (!fields) {
      fields = call('salesforce.describe', async () => {
        const result = (await conn.request<{ fields: SalesforceField[] }>({ method: 'GET', url: `${DATA_PATH}/sobjects/${object}/describe` })) as { fields: SalesforceField[] };
        return result.fields;
      });
      fields.catch(() => cache.delete(object));
      cache.set(object, fields);
    }
    return fields;
  };
}
