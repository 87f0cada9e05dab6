import type { NextFunction, Request, Response } from 'express';
import { errors } from '../errors.ts';
import type { Org, SandboxUser } from '../org/org.ts';
import { LATEST_VERSION, type SandboxState } from '../state.ts';

/** What the REST auth middleware resolved for a request. */
export interface RestContext {
  user: SandboxUser;
  org: Org;
  /** The version in the URL, e.g. `62.0`, echoed in attribute URLs. */
  version: string;
}

export function ctx(res: Response): RestContext {
  return res.locals.sf as RestContext;
}

/** Salesforce accepts any released version from 20.0 up to the org's current one. */
export function supportedVersion(raw: string): string | undefined {
  const m = /^v(\d{2,3})\.0$/.exec(raw);
  if (!m) return undefined;
  const major = Number(m[1]);
  return major >= 20 && major <= Number(LATEST_VERSION) ? `${major}.0` : undefined;
}

/**
 * Bearer session → user → org; then the org's API switch and daily request
 * budget. Each counted call reports `Sforce-Limit-Info: api-usage=N/MAX`.
 * An expired or unknown token gets 401 INVALID_SESSION_ID, which is what makes
 * jsforce refresh; API_DISABLED_FOR_ORG is 403 so jsforce does not loop.
 */
export function restAuth(state: SandboxState) {
  return (req: Request, res: Response, next: NextFunction) => {
    const version = supportedVersion(String(req.params.version));
    if (!version) throw errors.notFound();
    const header = req.get('authorization');
    const m = header ? /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(header) : null;
    const access = m ? state.tokens.findAccess(m[1]!) : undefined;
    if (!access) throw errors.invalidSession();
    const user = state.userById(access.userId)!;
    const org = state.orgOf(user);
    if (!org.apiEnabled) throw errors.apiDisabled();
    if (org.apiUsage >= org.apiLimit) {
      res.set('Sforce-Limit-Info', `api-usage=${org.apiUsage}/${org.apiLimit}`);
      throw errors.requestLimit();
    }
    org.apiUsage += 1;
    res.set('Sforce-Limit-Info', `api-usage=${org.apiUsage}/${org.apiLimit}`);
    res.locals.sf = { user, org, version } satisfies RestContext;
    next();
  };
}

/**
 * Runs a request's writes as one Change Data Capture transaction, with the
 * `changeOrigin` Salesforce gives REST changes: the API and version, and the
 * client id a caller names in its `Sforce-Call-Options: client=…` header.
 */
export function restTransaction<T>(req: Request, res: Response, work: () => T): T {
  const { org, user, version } = ctx(res);
  const client = /(?:^|,)\s*client=([^,\s]+)/.exec(req.get('sforce-call-options') ?? '')?.[1];
  return org.changes.transaction({ changeOrigin: `com/salesforce/api/rest/${version}${client ? `;client=${client}` : ''}`, userId: user.id }, work);
}
