import { z } from 'zod';
import { callbackErrorCodeSchema } from './errors.ts';

export const connectResponseSchema = z
  .object({ authorizeUrl: z.url() })
  .meta({ id: 'SalesforceConnectStart', description: 'Open this URL in a popup; the callback page posts SALESFORCE_CONNECTED_MESSAGE to the opener.' });
export type ConnectResponse = z.infer<typeof connectResponseSchema>;

/** The query Salesforce appends to the redirect URI (success or RFC 6749 error). */
export const oauthCallbackQuerySchema = z.object({
  code: z.string().max(2048).optional(),
  state: z.string().max(256).optional(),
  error: z.string().max(256).optional(),
  error_description: z.string().max(2048).optional(),
});

export const SALESFORCE_CONNECTED_MESSAGE = 'contact-sync:salesforce-connected';

/**
 * What the OAuth callback page posts to `window.opener` (only to the
 * configured origins), then it closes. `integrationId` is null when the
 * state could not be read.
 */
export const salesforceConnectedMessageSchema = z
  .object({
    type: z.literal(SALESFORCE_CONNECTED_MESSAGE),
    integrationId: z.string().nullable(),
    ok: z.boolean(),
    error: callbackErrorCodeSchema.optional(),
  })
  .meta({ id: 'SalesforceConnectedMessage' });
export type SalesforceConnectedMessage = z.infer<typeof salesforceConnectedMessageSchema>;
