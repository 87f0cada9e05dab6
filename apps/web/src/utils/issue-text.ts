import { useI18n } from 'vue-i18n';

export type Translate = (key: string, params?: Record<string, string | number>) => string;
export type HasKey = (key: string) => boolean;

interface Translatable {
  messageKey: string;
  params: Readonly<Record<string, string | number>>;
}

/**
 * Rule messages name Salesforce and Brevo types by their API names (`string`, `multiple-choice`):
 * shown in the user's language ("testo", "scelta multipla"), the same type names the mapping form shows.
 */
export function localizedParams(params: Readonly<Record<string, string | number>>, t: Translate, te: HasKey): Record<string, string | number> {
  const localized = { ...params };
  if (params.fieldType !== undefined) localized.fieldType = typeName('salesforce', String(params.fieldType), t, te);
  if (params.attributeType !== undefined) localized.attributeType = typeName('brevo', String(params.attributeType), t, te);
  return localized;
}

/** A Salesforce or Brevo type in the user's language; a type this build does not know, as the API names it. */
export function typeName(group: 'salesforce' | 'brevo', type: string, t: Translate, te: HasKey): string {
  const key = `types.${group}.${type}`;
  return te(key) ? t(key) : type;
}

/** The text of a rule issue (or anything with `messageKey` and `params`). */
export function issueText(issue: Translatable, t: Translate, te: HasKey): string {
  return t(issue.messageKey, localizedParams(issue.params, t, te));
}

/** `issueText` bound to the component's i18n. */
export function useIssueText() {
  const { t, te } = useI18n();
  return (issue: Translatable) => issueText(issue, t, (key) => te(key));
}

/** `typeName` bound to the component's i18n. */
export function useTypeName() {
  const { t, te } = useI18n();
  return (group: 'salesforce' | 'brevo', type: string) => typeName(group, type, t, (key) => te(key));
}
