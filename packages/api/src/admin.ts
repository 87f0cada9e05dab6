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

/** Host-to-BFF admin: sets an account's Brevo API key (stored encrypted) and notification email. */
export const setBrevoKeyBodySchema = z
  .strictObject({
    apiKey: brevoApiKeySchema,
    notificationEmail: z.email().max(320).optional(),
  })
  .meta({ id: 'SetBrevoKeyBody' });
export type SetBrevoKeyBody = z.infer<typeof setBrevoKeyBodySchema>;

export const accountParamsSchema = z.strictObject({ accountId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });

export const adminAccountResponseSchema = z
  .object({ accountId: z.string(), brevoConfigured: z.boolean(), notificationEmail: z.string().nullable(), updatedAt: z.string() })
  .meta({ id: 'AdminAccount' });
export type AdminAccountResponse = z.infer<typeof adminAccountResponseSchema>;
