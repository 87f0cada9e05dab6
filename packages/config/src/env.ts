import { z } from 'zod';

/** Schemas for the kinds of values environment variables carry. */
export const env = {
  port: (defaultPort: number) => z.coerce.number().int().min(1).max(65_535).default(defaultPort),

  url: (defaultUrl?: string) => {
    const schema = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
    return defaultUrl === undefined ? schema : schema.default(defaultUrl);
  },

  mongoUri: () => z.string().regex(/^mongodb(\+srv)?:\/\/.+/, 'must be a mongodb:// or mongodb+srv:// URI'),

  /** `true`/`false`/`1`/`0`/`yes`/`no`, any case. */
  flag: (defaultValue: boolean) =>
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no', 'TRUE', 'FALSE', 'YES', 'NO'], {
        error: 'must be true or false',
      })
      .transform((value) => ['true', '1', 'yes'].includes(value.toLowerCase()))
      .default(defaultValue),

  /** Comma-separated list, blanks dropped. */
  list: (defaultValue: string[]) =>
    z
      .string()
      .transform((value) =>
        value
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean),
      )
      .default(defaultValue),

  secret: (minLength: number) => z.string().min(minLength, `must be at least ${minLength} characters`),

  logLevel: () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
};
