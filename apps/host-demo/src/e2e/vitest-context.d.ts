// The test database URI that packages/testing's global setup provides (its
// augmentation lives in a file this package's tsconfig does not include).
declare module 'vitest' {
  export interface ProvidedContext {
    mongoUri: string;
  }
}
export {};
