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
 * Paths pino replaces with "[redacted]" wherever they appear in a log line, the BFF's and the worker's: credentials in
 * the request's and the response's headers, and each secret field name at the top of a line and one level down
 * (pino's `*` is one level: `*.authorization` does not match a top-level `authorization`).
 */
export const LOG_REDACT_PATHS = ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', ...SECRET_FIELDS.flatMap((field) => [field, `*.${field}`])];

/** pino's `redact` option with those paths. */
export const LOG_REDACTION = { paths: LOG_REDACT_PATHS, censor: '[redacted]' };
