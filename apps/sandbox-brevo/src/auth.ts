import type { RequestHandler } from 'express';
import type { AccountState } from './account-state.ts';
import type { SandboxRequest } from './request-context.ts';

export interface ApiKeyGrant {
  accountId: string;
  /** Brevo's name for the key, echoed as `api_key_name` in contact_updated webhooks. */
  name: string;
}

/**
 * `api-key` header auth, as the SDK sends it (HeaderAuthProvider: header
 * `api-key`). Brevo answers 401 `{"message":"authentication not found in
 * headers","code":"unauthorized"}` without the header (getbrevo/brevo-python
 * issue 13) and 401 `{"message":"Key not found","code":"unauthorized"}` for
 * an unknown key.
 */
export function apiKeyAuth(keys: Map<string, ApiKeyGrant>, accountFor: (accountId: string) => AccountState): RequestHandler {
  return (req, res, next) => {
    const key = req.get('api-key');
    if (key === undefined || key === '') {
      res.status(401).json({ message: 'authentication not found in headers', code: 'unauthorized' });
      return;
    }
    const grant = keys.get(key);
    if (!grant) {
      res.status(401).json({ message: 'Key not found', code: 'unauthorized' });
      return;
    }
    const sandboxReq = req as SandboxRequest;
    sandboxReq.account = accountFor(grant.accountId);
    sandboxReq.apiKey = key;
    sandboxReq.writeContext = { apiKeyName: grant.name };
    next();
  };
}
