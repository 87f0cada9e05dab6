import pino, { type DestinationStream, type Logger } from 'pino';

/** Field names that hold a credential or a token, in any of our objects. */
const SECRET_FIELDS = [
  'authorization',
  'cookie',
  'accessToken',
  'refreshToken',
  'access_token',
  'refresh_token',
  'apiKey',
  'api_key',
  'codeVerifier',
  'code_verifier',
  'secret',
  'password',
];

/**
 * Paths pino replaces with "[redacted]" wherever they appear in a log line: credentials in the request's and the
 * response's headers, and each secret field name at the top of a line and one level down (pino's `*` is one level:
 * `*.authorization` does not match a top-level `authorization`).
 */
export const REDACT_PATHS = ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', ...SECRET_FIELDS.flatMap((field) => [field, `*.${field}`])];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { app: 'bff' } }, destination);
}

const SECRET_QUERY_PARAMS = new Set(['code', 'state', 'error_description', 'token', 'oauth_token', 'access_token']);

/** A request URL fit for logs: the values of OAuth parameters replaced. */
export function redactUrl(url: string): string {
  const index = url.indexOf('?');
  if (index < 0) return url;
  const params = new URLSearchParams(url.slice(index + 1));
  for (const key of [...params.keys()]) if (SECRET_QUERY_PARAMS.has(key)) params.set(key, '[redacted]');
  return `${url.slice(0, index)}?${params.toString()}`;
}
