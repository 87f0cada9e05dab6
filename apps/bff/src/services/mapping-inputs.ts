import { listAttributes } from '@contact-sync/brevo';
import type { BrevoAttribute, SalesforceField } from '@contact-sync/rules';
import type { IntegrationDoc } from '@contact-sync/store';
import type { BffContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { brevoClientFor, brevoFailure, REQUEST_RETRY } from './brevo-access.ts';
import { describeIntegrationObject } from './salesforce-access.ts';

export interface MappingInputs {
  salesforceFields: SalesforceField[];
  brevoAttributes: BrevoAttribute[];
}

/** What the mapping rules check against: the live describe and the account's live attributes. */
export async function loadMappingInputs(ctx: BffContext, integration: IntegrationDoc): Promise<MappingInputs> {
  if (!integration.salesforce) throw new ApiError('salesforce_not_connected');
  const brevo = await brevoClientFor(ctx, integration.accountId);
  const [salesforceFields, brevoAttributes] = await Promise.all([
    describeIntegrationObject(ctx, integration),
    listAttributes(brevo, REQUEST_RETRY).catch((error: unknown) => {
      throw brevoFailure(error);
    }),
  ]);
  return { salesforceFields, brevoAttributes };
}
