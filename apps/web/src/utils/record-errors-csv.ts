import type { RecordError } from '../api/types.ts';
import { toCsv } from './csv.ts';
import { hintKeyOf } from './fix-hints.ts';
import { issueText, type HasKey, type Translate } from './issue-text.ts';

/** The record errors as the table shows them (translated reason and hint), one row each, with the same columns. */
export function recordErrorsToCsv(errors: readonly RecordError[], t: Translate, te: HasKey): string {
  const header = [
    t('detail.contact'), 'Email', t('detail.salesforceRecord'), 'URL', t('detail.brevoContact'),
    t('detail.severity'), t('detail.field'), t('detail.reason'), t('detail.fix'), t('detail.when'),
  ];
  return toCsv([
    header,
    ...errors.map((error) => [
      error.contact?.name ?? '',
      error.contact?.email ?? '',
      error.salesforceId,
      error.salesforceUrl,
      error.brevoId,
      t(`detail.severities.${error.severity}`),
      error.field,
      issueText(error, t, te),
      t(hintKeyOf(error)),
      error.occurredAt,
    ]),
  ]);
}
