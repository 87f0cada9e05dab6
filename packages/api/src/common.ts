import { z } from 'zod';

/** Integration ids are MongoDB ObjectIds; anything else is simply not found. */
export const integrationIdSchema = z.string().regex(/^[a-f0-9]{24}$/).meta({ description: 'Integration id', example: '665f1c2b9a1e4b0012345678' });
export const integrationParamsSchema = z.strictObject({ id: integrationIdSchema });

export const isoDateTimeSchema = z.iso.datetime({ offset: true });

/**
 * A whole number in a query string, as the API document says (`type: integer`): decimal digits only.
 * `z.coerce.number()` would take `offset=` as 0 and `1e3` or `0x10` as numbers.
 */
export function queryIntegerSchema(min: number, max: number, fallback: number) {
  const digitsToNumber = (value: unknown) => (typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value);
  return z.preprocess(digitsToNumber, z.number().int().min(min).max(max)).default(fallback);
}

/** Paging query of list endpoints (Brevo's own limits: 1–50 per page). */
export const pageQuerySchema = z.strictObject({
  offset: queryIntegerSchema(0, 1_000_000, 0),
  limit: queryIntegerSchema(1, 50, 10),
});
export type PageQuery = z.infer<typeof pageQuerySchema>;
