import { CODE_INFO, isRuleCode } from '@contact-sync/rules';
import { ApiError } from '../api/api-error.ts';
import { en } from '../i18n/en.ts';

/** A translatable message: `t(key, params)`. */
export interface Translatable {
  key: string;
  params: Record<string, string | number>;
}

const UI_ERROR_CODES = new Set(Object.keys(en.errors));

/** The text of a stable error code: our own error keys, then the rules catalogue, then a generic message. */
export function describeCode(code: string): Translatable {
  if (UI_ERROR_CODES.has(code) && code !== 'generic') return { key: `errors.${code}`, params: {} };
  if (isRuleCode(code)) return { key: CODE_INFO[code].messageKey, params: {} };
  // A connection Salesforce refused (`salesforce_invalid_grant`, `salesforce_revoked`…): the user reconnects.
  if (code.startsWith('salesforce_')) return { key: 'errors.salesforce_reconnect_required', params: {} };
  return { key: 'errors.generic', params: { code } };
}

/** One mapping from any failure to UI text. A 422 shows its first rule issue. */
export function describeError(error: unknown): Translatable {
  if (error instanceof ApiError) {
    const [firstIssue] = error.issues;
    if (error.code === 'validation_failed' && firstIssue) return { key: firstIssue.messageKey, params: { ...firstIssue.params } };
    return describeCode(error.code);
  }
  return { key: 'errors.generic', params: { code: error instanceof Error ? error.message : 'unknown' } };
}

const CONNECT_ERROR_CODES = new Set(Object.keys(en.connect.errors));

/** The text of a failed Salesforce connection (the popup's or the completion's code); unknown codes read as a failed connection. */
export function connectErrorKey(code: string | undefined): string {
  return `connect.errors.${code && CONNECT_ERROR_CODES.has(code) ? code : 'internal_error'}`;
}
