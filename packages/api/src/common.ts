import { z } from 'zod';

/** Integration ids are MongoDB ObjectIds; anything else is simply not found. */
export const integrationIdSchema = z.string().regex(/^[a-f0-9]{24}$/).meta({ description: 'Integration id', example: '665f1c2b9a1e4b0012345678' });
export const integrationParamsSchema = z.strictObject({ id: integrationIdSchema });

export const isoDateTimeSchema = z.iso.datetime({ offset: true });

/** Paging query of list endpoints (Brevo's own limits: 1–50 per page). */
export const pageQuerySchema = z.strictObject({
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});
export type PageQuery = z.infer<typeof pageQuerySchema>;
