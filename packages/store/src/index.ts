// The sync engine's collections (driver-level stores).
export * from './sync-store.ts';
