import express, { type Request, type Response, type Router } from 'express';
import { normaliseId } from '../org/ids.ts';
import type { SandboxUser } from '../org/org.ts';
import { formatDateTime } from '../org/values.ts';
import type { SandboxState } from '../state.ts';

/**
 * The identity URL (`GET /id/{orgId}/{userId}`, token as Bearer header or
 * `oauth_token` query parameter, as jsforce's identity() sends it) and the
 * OpenID Connect `/services/oauth2/userinfo`. Failures are 403 with a plain
 * text reason (`Bad_OAuth_Token`, `Bad_Id`) as Salesforce documents for the
 * identity service — not the REST API's JSON error array.
 */
function bearer(req: Request): string | undefined {
  const header = req.get('authorization');
  const m = header ? /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(header) : null;
  if (m) return m[1];
  const query = req.query.oauth_token;
  return typeof query === 'string' ? query : undefined;
}

function urls(state: SandboxState, user: SandboxUser): Record<string, string> {
  const base = state.publicUrl;
  const orgId = user.orgId;
  return {
    enterprise: `${base}/services/Soap/c/{version}/${orgId}`,
    metadata: `${base}/services/Soap/m/{version}/${orgId}`,
    partner: `${base}/services/Soap/u/{version}/${orgId}`,
    rest: `${base}/services/data/v{version}/`,
    sobjects: `${base}/services/data/v{version}/sobjects/`,
    search: `${base}/services/data/v{version}/search/`,
    query: `${base}/services/data/v{version}/query/`,
    recent: `${base}/services/data/v{version}/recent/`,
    tooling_soap: `${base}/services/Soap/T/{version}/${orgId}`,
    tooling_rest: `${base}/services/data/v{version}/tooling/`,
    profile: `${base}/${user.id}`,
    feeds: `${base}/services/data/v{version}/chatter/feeds`,
    groups: `${base}/services/data/v{version}/chatter/groups`,
    users: `${base}/services/data/v{version}/chatter/users`,
    feed_items: `${base}/services/data/v{version}/chatter/feed-items`,
    feed_elements: `${base}/services/data/v{version}/chatter/feed-elements`,
    custom_domain: base,
  };
}

function photos(state: SandboxState) {
  return {
    picture: `${state.publicUrl}/img/userprofile/default_profile_200_v2.png`,
    thumbnail: `${state.publicUrl}/img/userprofile/default_profile_45_v2.png`,
  };
}

export function identityBody(state: SandboxState, user: SandboxUser) {
  return {
    id: state.identityUrl(user),
    asserted_user: true,
    user_id: user.id,
    organization_id: user.orgId,
    username: user.username,
    nick_name: user.username.split('@')[0],
    display_name: `${user.firstName} ${user.lastName}`,
    email: user.email,
    email_verified: true,
    first_name: user.firstName,
    last_name: user.lastName,
    timezone: user.timezone,
    photos: photos(state),
    addr_street: null,
    addr_city: null,
    addr_state: null,
    addr_country: null,
    addr_zip: null,
    mobile_phone: null,
    mobile_phone_verified: false,
    is_lightning_login_user: false,
    status: { created_date: null, body: null },
    urls: urls(state, user),
    active: true,
    user_type: 'STANDARD',
    language: user.language,
    locale: user.locale,
    utcOffset: 0,
    last_modified_date: formatDateTime(Date.UTC(2024, 0, 15, 9, 30)),
    is_app_installed: true,
  };
}

function forbidden(res: Response, reason: string): void {
  res.status(403).type('text/plain').send(reason);
}

export function identityRouter(state: SandboxState): Router {
  const router = express.Router();

  router.get('/id/:orgId/:userId', (req: Request, res: Response) => {
    const token = bearer(req);
    const access = token ? state.tokens.findAccess(token) : undefined;
    if (!access) return forbidden(res, 'Bad_OAuth_Token');
    const user = state.userById(access.userId)!;
    // Either id in its 15- or 18-character form; tokens only read identities of their own org.
    const userId = normaliseId(String(req.params.userId));
    const target = userId === undefined ? undefined : state.userById(userId);
    if (!target || target.orgId !== normaliseId(String(req.params.orgId)) || target.orgId !== user.orgId) return forbidden(res, 'Bad_Id');
    res.json(identityBody(state, target));
  });

  router.get('/services/oauth2/userinfo', (req: Request, res: Response) => {
    const token = bearer(req);
    const access = token ? state.tokens.findAccess(token) : undefined;
    if (!access) return forbidden(res, 'Bad_OAuth_Token');
    const user = state.userById(access.userId)!;
    res.json({
      sub: state.identityUrl(user),
      user_id: user.id,
      organization_id: user.orgId,
      preferred_username: user.username,
      nickname: user.username.split('@')[0],
      name: `${user.firstName} ${user.lastName}`,
      email: user.email,
      email_verified: true,
      given_name: user.firstName,
      family_name: user.lastName,
      zoneinfo: user.timezone,
      photos: photos(state),
      profile: `${state.publicUrl}/${user.id}`,
      picture: photos(state).picture,
      address: {},
      is_salesforce_integration_user: false,
      urls: urls(state, user),
      active: true,
      user_type: 'STANDARD',
      language: user.language,
      locale: user.locale,
      utcOffset: 0,
      updated_at: '2024-01-15T09:30:00Z',
    });
  });

  return router;
}
