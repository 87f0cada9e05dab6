/** Brevo attribute ← Salesforce field: the identifier and the text fields every generated Contact has. */
export const BENCH_MAPPING = { EMAIL: 'Email', FIRSTNAME: 'FirstName', LASTNAME: 'LastName', JOB_TITLE: 'Title', CITY: 'MailingCity' } as const;
