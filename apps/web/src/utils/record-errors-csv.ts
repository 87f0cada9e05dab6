import type { RecordError } from '../api/types.ts';
import { toCsv } from './csv.ts';
import { hintKeyOf } from './fix-hints.ts';

type Translate = (key: string, params?: Record<string, string | number>) => string;

/** The record errors as the user sees them (translated reason and hint), one row each. */
export function recordErrorsToCsv(errors: readonly RecordError[], t: Translate): string {
  const header = [t('detail.record'), 'Id', t('detail.field'), 'Code', t('detail.reason'), t('detail.fix'), t('detail.when')];
  return toCsv([
    header,
    ...errors.map((error) => [
      error.object,
      error.salesforceId ?? error.brevoId,
      error.field,
      error.code,
      t(error.messageKey, error.params),
      t(hintKeyOf(error)),
      error.occurredAt,
    ]),
  ]);
}
