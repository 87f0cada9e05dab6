import { inject } from 'vitest';

export interface StackUrls {
  hostUrl: string;
  webUrl: string;
  bffUrl: string;
  salesforceUrl: string;
  brevoUrl: string;
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
