/**
 * Every secret value this repository publishes as a development default (in
 * the apps' configuration and `.env.example`). They are public, so a process
 * that holds real data (NODE_ENV=production) refuses each of them, by value,
 * under any variable or key id: see production-secrets.ts.
 */
export const DEV_HOST_JWT_SECRET = 'dev-only-host-jwt-secret-change-me-32chars';
export const DEV_ADMIN_SECRET = 'dev-only-admin-secret-change-me-32chars';
/** A fixed, public AES key. Never use it outside a laptop. */
export const DEV_ENCRYPTION_KEYS = 'dev1:ZGV2LW9ubHkta2V5LWRvLW5vdC11c2UtaW4tcHJvZCE=';
export const DEV_ENCRYPTION_KEY_ID = 'dev1';
/** The Salesforce sandbox's connected app secret. */
export const SANDBOX_SALESFORCE_CLIENT_SECRET = 'sandbox-client-secret';

/** The published secret strings (shared secrets and credentials). */
export const PUBLISHED_SECRETS: readonly string[] = [DEV_HOST_JWT_SECRET, DEV_ADMIN_SECRET, SANDBOX_SALESFORCE_CLIENT_SECRET];
