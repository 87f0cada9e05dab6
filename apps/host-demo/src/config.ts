import { env, loadConfig } from '@contact-sync/config';
import { DEV_HOST_JWT_SECRET } from '@contact-sync/secrets';
import { z } from 'zod';

export const hostDemoConfigSchema = z.object({
  HOST_DEMO_PORT: env.port(5170),
  HOST_DEMO_HOST: z.string().min(1).default('localhost'),
  /** Shared with the BFF, which verifies the tokens we mint (its development default is refused by the BFF in production). */
  HOST_JWT_SECRET: env.secret(32).default(DEV_HOST_JWT_SECRET),
  HOST_JWT_ISSUER: z.string().min(1).default('brevo-host-demo'),
  HOST_JWT_AUDIENCE: z.string().min(1).default('contact-sync-bff'),
  /** Where the microfrontend's dev server is (module entry and iframe page). */
  WEB_PUBLIC_URL: env.url('http://localhost:5180'),
  WEB_MODULE_PATH: z.string().startsWith('/').default('/src/mount.ts'),
  WEB_IFRAME_PATH: z.string().startsWith('/').default('/iframe.html'),
  BFF_PUBLIC_URL: env.url('http://localhost:4000'),
  /** The Brevo API the Contacts page uses, server side, with the account's key. */
  BREVO_API_URL: env.url('http://localhost:4020/v3'),
  /** acc_demo's Brevo key (the sandbox's demo key); acc_free has no Brevo key. */
  DEMO_BREVO_API_KEY: z.string().min(8).default('xkeysib-sandbox-demo'),
});

export type HostDemoConfig = z.infer<typeof hostDemoConfigSchema>;

export function loadHostDemoConfig(source: Record<string, string | undefined> = process.env): HostDemoConfig {
  return loadConfig('host-demo', hostDemoConfigSchema, source);
}
