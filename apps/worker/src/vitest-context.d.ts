// The test database URI provided by packages/testing's global setup (declared there too).
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUri: string;
  }
}
