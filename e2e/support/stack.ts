import { inject } from 'vitest';

/** Where each service of the product under test answers. */
export interface StackUrls {
  host: string;
  web: string;
  bff: string;
  salesforce: string;
  brevo: string;
  mongoUri: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    stack: StackUrls;
  }
}

/** URLs of the product started for this browser-test run (see global-setup.mjs). */
export function stackUrls(): StackUrls {
  return inject('stack');
}
