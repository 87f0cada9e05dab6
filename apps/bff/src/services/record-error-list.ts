import type { RecordErrorDto, RecordErrorGroupDto } from '@contact-sync/api';
import type { RecordErrorDoc } from '@contact-sync/store';
import { toRecordErrorDto } from './sync-view.ts';

/** Open errors read for one page: the newest; more makes `truncated` (the counts are then lower bounds). */
export const OPEN_ERRORS_READ = 5_000;

type StoredError = RecordErrorDoc & { _id: unknown };

export interface RecordErrorQuery {
  offset: number;
  limit: number;
  q?: string | undefined;
  code?: string | undefined;
}

/** A record is its Salesforce Id, else its Brevo contact. */
const recordKey = (error: RecordErrorDoc) => error.salesforceId ?? `brevo:${error.brevoId ?? ''}`;

/**
 * The record errors page of the detail screen, from the open errors (newest first): each record
 * once per cause (the newest), every cause with how many records it holds (most first), then the
 * ones matching the search (name, email, Salesforce Id or Brevo id) and cause, one page of them.
 */
export function recordErrorPage(open: readonly StoredError[], query: RecordErrorQuery, instanceUrl: string | null, truncated: boolean) {
  const seen = new Set<string>();
  const latest = open.filter((error) => {
    const key = `${error.direction}|${error.code}|${recordKey(error)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });

  const groups = new Map<string, RecordErrorGroupDto>();
  for (const error of latest) {
    const key = `${error.direction}|${error.code}|${error.severity}`;
    const group = groups.get(key);
    if (group) {
      group.count += 1;
      group.retryable ||= error.retryable;
      continue;
    }
    groups.set(key, {
      direction: error.direction,
      code: error.code,
      severity: error.severity,
      count: 1,
      messageKey: error.messageKey,
      params: { ...error.params },
      fixHintKey: error.fixHintKey,
      retryable: error.retryable && error.direction === 'salesforce_to_brevo',
    });
  }

  const needle = query.q?.toLowerCase();
  const matching = latest.filter((error) => {
    if (query.code && error.code !== query.code) return false;
    if (!needle) return true;
    return [error.contact?.name, error.contact?.email, error.salesforceId, error.brevoId === null ? null : String(error.brevoId)].some((value) => value?.toLowerCase().includes(needle));
  });
  const recordErrors: RecordErrorDto[] = matching.slice(query.offset, query.offset + query.limit).map((error) => toRecordErrorDto(error, instanceUrl));
  return {
    recordErrors,
    total: matching.length,
    offset: query.offset,
    limit: query.limit,
    groups: [...groups.values()].sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
    truncated,
  };
}
