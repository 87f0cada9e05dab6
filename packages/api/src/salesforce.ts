import { z } from 'zod';

export const connectResponseSchema = z
  .object({ authorizeUrl: z.url() })
  .meta({
    id: 'SalesforceConnectStart',
    description: 'Open this URL in a popup; the callback page relays SalesforceAuthorizedMessage to the opener, which confirms it (completeSalesforceConnect).',
  });
export type ConnectResponse = z.infer<typeof connectResponseSchema>;

/** The query Salesforce appends to the redirect URI (success or RFC 6749 error). */
export const oauthCallbackQuerySchema = z.object({
  code: z.string().max(2048).optional(),
  state: z.string().max(256).optional(),
  error: z.string().max(256).optional(),
  error_description: z.string().max(2048).optional(),
});

/**
 * What the opener sends back to complete a connection: the `state` and `code`
 * its own popup relayed. Only the host user who started the connection (the
 * state's account, user and integration) can complete it.
 */
export const completeConnectBodySchema = z
  .object({
    state: z.string().min(1).max(256),
    code: z.string().min(1).max(2048),
  })
  .strict()
  .meta({ id: 'SalesforceConnectComplete' });
export type CompleteConnectBody = z.infer<typeof completeConnectBodySchema>;

export const SALESFORCE_AUTHORIZED_MESSAGE = 'contact-sync:salesforce-authorized';
/** The opener's answer to the popup: it received the result and completes the connection itself. */
export const SALESFORCE_AUTHORIZED_RECEIPT = 'contact-sync:salesforce-authorized.received';

/** Why Salesforce sent the user back without a code (the popup tells the opener). */
export const AUTHORIZE_ERROR_CODES = ['oauth_denied', 'oauth_failed'] as const;
export type AuthorizeErrorCode = (typeof AUTHORIZE_ERROR_CODES)[number];

/**
 * What the OAuth callback page relays to `window.opener` (only to the
 * configured origins): the authorization Salesforce granted, or why it did
 * not. The callback stores nothing and takes no connection slot: the opener
 * completes the connection with its own host token, so an authorize link
 * followed in anybody else's browser connects nothing.
 */
export const salesforceAuthorizedMessageSchema = z
  .object({
    type: z.literal(SALESFORCE_AUTHORIZED_MESSAGE),
    state: z.string().nullable(),
    code: z.string().nullable(),
    error: z.enum(AUTHORIZE_ERROR_CODES).nullable(),
  })
  .meta({ id: 'SalesforceAuthorizedMessage' });
export type SalesforceAuthorizedMessage = z.infer<typeof salesforceAuthorizedMessageSchema>;
