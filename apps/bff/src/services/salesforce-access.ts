import { classifySalesforceError, createSalesforceConnection, describeObject, type SalesforceConnectionHandle } from '@contact-sync/salesforce';
import { RetriesExhaustedError, withRetry } from '@contact-sync/retry';
import { salesforceObjectOf, type SalesforceField } from '@contact-sync/rules';
import type { IntegrationDoc } from '@contact-sync/store';
import { oauthCallbackUrl } from '../config.ts';
import type { BffContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { REQUEST_RETRY } from './brevo-access.ts';

export function salesforceOAuthConfig(ctx: BffContext) {
  return {
    loginUrl: ctx.config.SALESFORCE_LOGIN_URL,
    clientId: ctx.config.SALESFORCE_CLIENT_ID,
    clientSecret: ctx.config.SALESFORCE_CLIENT_SECRET,
    redirectUri: oauthCallbackUrl(ctx.config),
  };
}

/**
 * A connection for the integration's stored tokens: refreshed access tokens
 * are saved (sealed), a refused refresh puts the integration in `auth_error`.
 */
export function salesforceFor(ctx: BffContext, integration: IntegrationDoc): SalesforceConnectionHandle {
  const credentials = ctx.integrations.salesforceCredentials(integration);
  if (!credentials) throw new ApiError('salesforce_not_connected');
  const id = integration._id.toHexString();
  return createSalesforceConnection({
    ...credentials,
    oauth: salesforceOAuthConfig(ctx),
    version: ctx.config.SALESFORCE_API_VERSION,
    onTokenRefreshed: (accessToken) => ctx.integrations.saveRefreshedAccessToken(integration.accountId, id, accessToken, ctx.now()),
    onAuthRevoked: async (error) => {
      await ctx.integrations.markAuthError(integration.accountId, id, `salesforce_${error.reason}`, ctx.now());
    },
  });
}

/** A failed Salesforce call as the API answers it. */
export function salesforceFailure(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const cause = error instanceof RetriesExhaustedError ? error.lastError : error;
  const { kind } = classifySalesforceError(cause);
  if (kind === 'auth_revoked') return new ApiError('salesforce_reconnect_required');
  if (kind === 'api_disabled') return new ApiError('salesforce_api_disabled');
  if (kind === 'request_limit') return new ApiError('upstream_rate_limited');
  return new ApiError('upstream_error');
}

/** The describe of the integration's object (Contact or Lead), with short retries. */
export async function describeIntegrationObject(ctx: BffContext, integration: IntegrationDoc): Promise<SalesforceField[]> {
  const handle = salesforceFor(ctx, integration);
  try {
    return await withRetry(() => handle.call((connection) => describeObject(connection, salesforceObjectOf(integration.kind))), classifySalesforceError, REQUEST_RETRY);
  } catch (error) {
    throw salesforceFailure(error);
  }
}
