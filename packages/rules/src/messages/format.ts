import type { RuleIssue } from '../issue.ts';
import { lookupMessage, type MessageCatalogue } from './catalogue.ts';
import { en } from './en.ts';

/** Fills `{name}` placeholders the way vue-i18n named interpolation does. */
export function interpolate(template: string, params: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** The human message of an issue, for the API (English next to the code) and for logs. */
export function formatIssue(issue: RuleIssue, catalogue: MessageCatalogue = en): string {
  const template = lookupMessage(catalogue, issue.messageKey) ?? issue.code;
  return interpolate(template, issue.params);
}
