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

/** Why a completion failed: an API error code the opener shows. */
type CompletionFailureCode =
  | 'oauth_state_invalid'
  | 'oauth_state_mismatch'
  | 'oauth_failed'
  | 'salesforce_api_disabled'
  | 'salesforce_org_mismatch'
  | 'connection_limit_reached'
  | 'not_found';

export type CompletionOutcome = { ok: true; integration: IntegrationDoc } | { ok: false; error: CompletionFailureCode };

class CompletionFailure extends Error {
  constructor(readonly code: CompletionFailureCode) {
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
    throw new CompletionFailure(kind === 'api_disabled' ? 'salesforce_api_disabled' : 'oauth_failed');
  }
}

/**
 * Completes a connection with the state and code the popup relayed to the
 * opener that started it. The state is taken once, and it must have been
 * started by this host user, in this account, for this integration: an
 * authorize link followed in someone else's browser (or confirmed by someone
 * else) connects nothing and takes no R3 slot. Then the code is exchanged
 * with the state's PKCE verifier, the identity read, API access checked, an
 * R3 slot claimed and the sealed tokens stored. Reconnecting keeps the rest
 * of the integration.
 */
export async function completeSalesforceConnect(
  ctx: BffContext,
  auth: HostAuth,
  integrationId: string,
  body: { state: string; code: string },
): Promise<CompletionOutcome> {
  const taken = await ctx.oauthStates.consume(body.state, ctx.now());
  if (!taken) return { ok: false, error: 'oauth_state_invalid' };
  if (taken.accountId !== auth.accountId || taken.userId !== auth.userId || taken.integrationId !== integrationId) {
    ctx.logger.warn({ integrationId, startedFor: taken.integrationId }, 'salesforce connection completed by another user, account or integration than the one that started it: refused');
    return { ok: false, error: 'oauth_state_mismatch' };
  }
  const { accountId } = taken;

  let tokens: SalesforceTokenSet;
  let identity;
  try {
    tokens = await exchangeCode(salesforceOAuthConfig(ctx), { code: body.code, codeVerifier: taken.codeVerifier });
    identity = await fetchIdentity(tokens);
  } catch (error) {
    ctx.logger.warn({ code: (error as { code?: string }).code, name: (error as Error).name }, 'salesforce code exchange failed');
    return { ok: false, error: 'oauth_failed' };
  }

  let claimed = false;
  try {
    const integration = await ctx.integrations.findForAccount(accountId, integrationId);
    if (!integration) throw new CompletionFailure('not_found');
    const previous = integration.salesforce;
    if (previous && integration.activatedAt && previous.orgId !== identity.orgId) throw new CompletionFailure('salesforce_org_mismatch');
    await checkApiAccess(ctx, tokens, integration);

    const issue = await ctx.slots.claim({ orgId: identity.orgId, userId: identity.userId, integrationId, accountId }, ctx.now());
    if (issue) throw new CompletionFailure('connection_limit_reached');
    // A reconnection of the same Salesforce user already held this slot: keep it whatever happens next.
    claimed = !(previous && previous.orgId === identity.orgId && previous.userId === identity.userId);

    const stored = await ctx.integrations.setSalesforceConnection(
      accountId,
      integrationId,
      { ...identity, instanceUrl: tokens.instanceUrl, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken },
      ctx.now(),
    );
    if (!stored) throw new CompletionFailure('not_found');
    // A reconnection to another Salesforce user frees the old user's slot.
    await ctx.slots.release(integrationId, { orgId: identity.orgId, userId: identity.userId });
    return { ok: true, integration: stored };
  } catch (error) {
    await revokeQuietly(ctx, tokens);
    if (claimed) await ctx.slots.releaseOne(integrationId, identity).catch(() => undefined);
    if (error instanceof CompletionFailure) return { ok: false, error: error.code };
    throw error;
  }
}
