import { isIP } from 'node:net';
import { z } from 'zod';

const NAMED = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** An address, a CIDR range, or one of Express's names for a range. */
function isProxyAddress(value: string): boolean {
  if (NAMED.has(value)) return true;
  const [address, bits, ...rest] = value.split('/');
  if (rest.length > 0 || !address || isIP(address) === 0) return false;
  if (bits === undefined) return true;
  const max = isIP(address) === 4 ? 32 : 128;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= max;
}

/**
 * `TRUST_PROXY`: which proxies in front of the BFF to believe about the
 * client's address (`X-Forwarded-For`), which the per-address rate limits key
 * on. Express's own forms, narrowed to the safe ones:
 * - unset or `false` (default): nobody; the BFF is reached directly, and
 *   behind a proxy every client would share the proxy's address (and limit);
 * - a hop count (`1`: one proxy, e.g. a load balancer, in front);
 * - addresses, CIDR ranges or `loopback`, `linklocal`, `uniquelocal`,
 *   comma-separated: the proxies' own addresses.
 * `true` is refused: it believes any client about its own address, so anyone
 * could step around a per-address limit.
 */
export const trustProxySchema = z
  .string()
  .default('false')
  .transform((value, ctx): false | number | string[] => {
    const trimmed = value.trim();
    if (trimmed === 'false') return false;
    if (/^\d{1,2}$/.test(trimmed)) return Number(trimmed);
    if (trimmed === 'true') {
      ctx.addIssue({ code: 'custom', message: 'true would believe any client about its own address; give a hop count or the proxies’ addresses' });
      return z.NEVER;
    }
    const entries = trimmed.split(',').map((entry) => entry.trim());
    if (entries.some((entry) => !isProxyAddress(entry))) {
      ctx.addIssue({ code: 'custom', message: 'must be false, a hop count, or comma-separated addresses, CIDR ranges, loopback, linklocal or uniquelocal' });
      return z.NEVER;
    }
    return entries;
  });
