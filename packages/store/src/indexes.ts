import type { Connection } from 'mongoose';
import { accountModel } from './accounts.ts';
import { integrationModel } from './integrations.ts';
import { oauthStateModel } from './oauth-states.ts';
import { salesforceSlotModel } from './salesforce-slots.ts';

/**
 * Builds the indexes of the BFF's models and waits for them: the unique ones
 * carry R2 and R3, so the app must not serve before they exist.
 */
export async function ensureBffIndexes(connection: Connection): Promise<void> {
  for (const model of [accountModel(connection), integrationModel(connection), oauthStateModel(connection), salesforceSlotModel(connection)]) {
    await model.init();
    await model.createIndexes();
  }
}
