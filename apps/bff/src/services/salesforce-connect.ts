import type { CallbackErrorCode } from '@contact-sync/api';
import {
  buildAuthorizeUrl,
  classifySalesforceError,
  createOAuth2,
  createOAuthState,
  createPkcePair,
  createSalesforceConnection,
  describeObject,
  exchangeCode,
  fetchIdentity,
  type SalesforceTokenSet,
} from '@contact-sync/salesforce';
import { salesforceObjectOf } from '@contact-sync/rules';
import type { IntegrationDoc } from '@contact-sync/store';
import type { BffContext } from '../context.ts';
import type { HostAuth } from '../middleware/host-auth.ts';
import { salesforceOAuthConfig } from './salesforce-access.ts';

/** How long the user has to sign in to Salesforce in the popup. */
export const OAUTH_STATE_TTL_MS = 10 * 60_000;

/** Starts a (re)connection: a single-use state bound to account, integration and user, and a PKCE pair. */
export async function startSalesforceConnect(ctx: BffContext, auth: HostAuth, integration: IntegrationDoc): Promise<string> {
  const state = createOAuthState();
  const pkce = createPkcePair();
  await ctx.oauthStates.create(
    { state, accountId: auth.accountId, integrationId: integration._id.toHexString(), userId: auth.userId, codeVerifier: pkce.verifier },
    OAUTH_STATE_TTL_MS,
    ctx.now(),
  );
  return buildAuthorizeUrl(salesforceOAuthConfig(ctx), { state, codeChallenge: pkce.challenge });
}

export type CallbackOutcome = { ok: true; integrationId: string } | { ok: false; integrationId: string | null; error: CallbackErrorCode };

class CallbackFailure extends Error {
  constructor(readonly code: CallbackErrorCode) {
    super(code);
  }
}

/** Tokens Salesforce granted but we will not keep: revoke them (best effort). */
async function revokeQuietly(ctx: BffContext, tokens: SalesforceTokenSet): Promise<void> {
  await createOAuth2(salesforceOAuthConfig(ctx)).revokeToken(tokens.refreshToken).catch(() => undefined);
}

/** API access check with the object the integration syncs (what the sync will need first). */
async function checkApiAccess(ctx: BffContext, tokens: SalesforceTokenSet, integration: IntegrationDoc): Promise<void> {
  const handle = createSalesforceConnection({ ...tokens, oauth: salesforceOAuthConfig(ctx), version: ctx.config.SALESFORCE_API_VERSION });
  try {
    await handle.call((connection) => describeObject(connection, salesforceObjectOf(integration.kind)));
  } catch (error) {
    const { kind } = classifySalesforceError(error);
    throw new CallbackFailure(kind === 'api_disabled' ? 'salesforce_api_disabled' : 'oauth_failed');
  }
}

/**
 * The OAuth callback: takes the state once, exchanges the code with the PKCE
 * verifier, reads the identity, checks API access, claims an R3 slot and
 * stores the sealed tokens. Reconnecting keeps the rest of the integration.
 */
export async function completeSalesforceConnect(
  ctx: BffContext,
  query: { code?: string | undefined; state?: string | undefined; error?: string | undefined },
): Promise<CallbackOutcome> {
  const taken = query.state ? await ctx.oauthStates.consume(query.state, ctx.now()) : null;
  if (!taken) return { ok: false, integrationId: null, error: 'oauth_state_invalid' };
  const { accountId, integrationId } = taken;
  if (query.error) return { ok: false, integrationId, error: 'oauth_denied' };
  if (!query.code) return { ok: false, integrationId, error: 'oauth_failed' };

  let tokens: SalesforceTokenSet;
  let identity;
  try {
    tokens = await exchangeCode(salesforceOAuthConfig(ctx), { code: query.code, codeVerifier: taken.codeVerifier });
    identity = await fetchIdentity(tokens);
  } catch (error) {
    ctx.logger.warn({ code: (error as { code?: string }).code, name: (error as Error).name }, 'salesforce code exchange failed');
    return { ok: false, integrationId, error: 'oauth_failed' };
  }

  let claimed = false;
  try {
    const integration = await ctx.integrations.findForAccount(accountId, integrationId);
    if (!integration) throw new CallbackFailure('not_found');
    const previous = integration.salesforce;
    if (previous && integration.activatedAt && previous.orgId !== identity.orgId) throw new CallbackFailure('salesforce_org_mismatch');
    await checkApiAccess(ctx, tokens, integration);

    const issue = await ctx.slots.claim({ orgId: identity.orgId, userId: identity.userId, integrationId, accountId }, ctx.now());
    if (issue) throw new CallbackFailure('connection_limit_reached');
    // A reconnection of the same Salesforce user already held this slot: keep it whatever happens next.
    claimed = !(previous && previous.orgId === identity.orgId && previous.userId === identity.userId);

    const stored = await ctx.integrations.setSalesforceConnection(
      accountId,
      integrationId,
      { ...identity, instanceUrl: tokens.instanceUrl, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken },
      ctx.now(),
    );
    if (!stored) throw new CallbackFailure('not_found');
    // A reconnection to another Salesforce user frees the old user's slot.
    await ctx.slots.release(integrationId, { orgId: identity.orgId, userId: identity.userId });
    return { ok: true, integrationId };
  } catch (error) {
    await revokeQuietly(ctx, tokens);
    if (claimed) await ctx.slots.releaseOne(integrationId, identity).catch(() => undefined);
    if (error instanceof CallbackFailure) return { ok: false, integrationId, error: error.code };
    throw error;
  }
}
