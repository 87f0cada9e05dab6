// Deliberately simple: one `@`, no spaces, a dot in the domain. Salesforce
// `email` fields are validated by Salesforce; this guards text fields mapped
// to EMAIL, where Brevo would refuse anything looser.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Whether `value` looks like an email address Brevo accepts. */
export function isValidEmail(value: string): boolean {
  return value.length <= 254 && EMAIL_PATTERN.test(value);
}

/** Emails as Brevo stores them: trimmed, lower case (so hashes and duplicate checks agree). */
export function normalizeEmail(value: string): string {
  return value.trim().toLowerCase();
}
