export * from './classify.ts';
export * from './integration.ts';
export * from './notices.ts';
export * from './plan.ts';
export * from './record-issues.ts';
export * from './salesforce-to-brevo.ts';
