import { z } from 'zod';

export const brevoListSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    totalSubscribers: z.number().int().nullable(),
    folderId: z.number().int().nullable(),
  })
  .meta({ id: 'BrevoList' });
export type BrevoListDto = z.infer<typeof brevoListSchema>;

export const brevoListPageSchema = z
  .object({ lists: z.array(brevoListSchema), count: z.number().int(), offset: z.number().int(), limit: z.number().int() })
  .meta({ id: 'BrevoListPage' });
export type BrevoListPage = z.infer<typeof brevoListPageSchema>;

/** Creates a list in the account's Brevo (in the plugin's folder, created when missing). */
export const createBrevoListBodySchema = z
  .strictObject({ name: z.string().max(200).trim().min(1) })
  .meta({ id: 'CreateBrevoListBody' });
export type CreateBrevoListBody = z.infer<typeof createBrevoListBodySchema>;
