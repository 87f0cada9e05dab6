import type { Request } from 'express';
import type { AccountState } from './account-state.ts';
import type { WriteContext } from './contacts/model.ts';

/** What the auth middleware attaches to every authenticated /v3 request. */
export interface SandboxRequest extends Request {
  account: AccountState;
  apiKey: string;
  writeContext: WriteContext;
}

/** The request as the auth middleware left it (only valid behind `apiKeyAuth`). */
export function sandboxRequest(req: Request): SandboxRequest {
  return req as unknown as SandboxRequest;
}
