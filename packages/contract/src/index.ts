export * from './context.ts';
export * from './messages.ts';
export * from './iframe-host.ts';
export * from './iframe-guest.ts';
