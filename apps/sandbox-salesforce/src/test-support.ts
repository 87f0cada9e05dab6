// The sandbox's own tests import their helpers from here; they are the package's entry (start.ts).
export * from './start.ts';
