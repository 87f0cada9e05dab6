import { z } from 'zod';

/**
 * A Brevo API key travels in the `api-key` header, so it must be visible
 * ASCII: a key with other characters could be stored but never sent, and
 * every Brevo call of the account would fail.
 */
export const brevoApiKeySchema = z
  .string()
  .min(8)
  .max(512)
  .regex(/^[\x21-\x7e]+$/, 'must be visible ASCII characters only');

/**
 * The key's name as Brevo lists it (Settings → SMTP & API → API keys). Brevo's
 * contact webhooks carry it as `api_key_name`, which is how the integration
 * recognises the changes it made itself.
 */
export const brevoApiKeyNameSchema = z
  .string()
  .max(128) // as sent, which is what the API document's maxLength describes (trimming only shortens it)
  .trim()
  .min(1)
  // Unicode's control characters (C0, DEL, C1) as ranges: OpenAPI tools cannot generate values for `\p{Cc}`.
  // eslint-disable-next-line no-control-regex -- refusing them is the point
  .regex(/^[^\u0000-\u001f\u007f-\u009f]+$/, 'must not contain control characters');

/**
 * Host-to-BFF admin: sets an account's Brevo API key (stored encrypted), the
 * key's name and the notification email. With the name, webhooks of changes
 * made with this key are recognised as the integration's own on arrival and
 * never queued, so the key should be one that only the integration uses.
 */
export const setBrevoKeyBodySchema = z
  .strictObject({
    apiKey: brevoApiKeySchema,
    apiKeyName: brevoApiKeyNameSchema.optional(),
    notificationEmail: z.email().max(320).optional(),
  })
  .meta({ id: 'SetBrevoKeyBody' });
export type SetBrevoKeyBody = z.infer<typeof setBrevoKeyBodySchema>;

export const accountParamsSchema = z.strictObject({ accountId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });

export const adminAccountResponseSchema = z
  .object({ accountId: z.string(), brevoConfigured: z.boolean(), brevoApiKeyName: z.string().nullable(), notificationEmail: z.string().nullable(), updatedAt: z.string() })
  .meta({ id: 'AdminAccount' });
export type AdminAccountResponse = z.infer<typeof adminAccountResponseSchema>;
