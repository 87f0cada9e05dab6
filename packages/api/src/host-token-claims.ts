import { z } from 'zod';

/** Tokens live at most 5 minutes (SPEC §5). */
export const HOST_TOKEN_MAX_TTL_SECONDS = 300;

/**
 * The claims of the host's JWT besides `iss`, `aud`, `exp`, `iat`, `nbf`:
 * `sub` is the host user id. HS256 with the shared secret.
 */
export const hostTokenClaimsSchema = z.object({
  sub: z.string().min(1).max(128),
  accountId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  plan: z.string().min(1).max(64),
  email: z.string().max(320).default(''),
  locale: z.string().max(35).default('en'),
});
export type HostTokenClaims = z.infer<typeof hostTokenClaimsSchema>;
export type HostTokenClaimsInput = z.input<typeof hostTokenClaimsSchema>;
