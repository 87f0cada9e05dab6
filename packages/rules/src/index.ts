/**
 * @contact-sync/rules — every product rule (SPEC §3, R1–R17) as pure,
 * isomorphic functions and zod schemas, shared by the mapping form, the API
 * and the sync worker.
 *
 * Conventions: `check*` returns a `RuleIssue` or `null` (valid); `decide*`
 * returns what to do; `validate*` returns every issue found. Each issue has a
 * stable `code` (see `RuleCode`), the `rule` it enforces, a `messageKey`
 * present in both catalogues (`en`, `it`) and interpolation `params`.
 */
export * from './codes.ts';
export * from './issue.ts';
export * from './values.ts';
export * from './zod-issues.ts';
export * from './messages/catalogue.ts';
export * from './messages/format.ts';
export { en } from './messages/en.ts';
export { it } from './messages/it.ts';
export * from './messages/locales.ts';

export * from './plan.ts';
export * from './integration-name.ts';
export * from './connections.ts';
export * from './consent.ts';
export * from './statuses.ts';

export * from './field-types.ts';
export * from './field-eligibility.ts';
export * from './field-directions.ts';
export * from './value-pairs.ts';
export * from './attribute-eligibility.ts';
export * from './mapping-eligibility.ts';
export * from './mapping.ts';
export * from './mapping-suggestions.ts';
export * from './activation.ts';
export * from './fix-hints.ts';

export * from './dates.ts';
export * from './phone.ts';
export * from './email.ts';
export * from './numbers.ts';
export * from './last-name.ts';
export * from './text-length.ts';
export * from './salesforce-to-brevo.ts';
export * from './brevo-to-salesforce.ts';
export * from './hash.ts';

export * from './duplicates.ts';
export * from './identifiers.ts';
export * from './deletes.ts';
export * from './lead-conversion.ts';
export * from './quota.ts';
export * from './conflicts.ts';
export * from './opt-outs.ts';
export * from './record-filter.ts';
