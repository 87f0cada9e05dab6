import { LOG_REDACTION } from '@contact-sync/secrets';
import pino, { type DestinationStream, type Logger } from 'pino';

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({ level, ...LOG_REDACTION, base: { app: 'bff' } }, destination);
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
