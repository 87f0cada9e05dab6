import { BrevoClient } from '@getbrevo/brevo';
import { listen, type RunningServer } from '@contact-sync/sandbox-kit';
import { createBrevoSandbox, DEFAULT_API_KEY, type BrevoSandbox, type BrevoSandboxOptions } from './app.ts';

// The package's entry (`@contact-sync/sandbox-brevo`): what other workspace packages may use of the
// sandbox, for their tests and benchmarks. `main.ts` runs it as an app.
export { DEFAULT_API_KEY, DEFAULT_API_KEY_NAME, type BrevoSandbox, type BrevoSandboxOptions } from './app.ts';

export interface StartedSandbox extends BrevoSandbox {
  url: string;
  baseUrl: string;
  client: BrevoClient;
  clientWithKey: (apiKey: string) => BrevoClient;
  stop: () => Promise<void>;
}

/** Starts a sandbox on a free port with an SDK client that never retries (so tests see what the server answered). */
export async function startSandbox(options: BrevoSandboxOptions = {}): Promise<StartedSandbox> {
  const sandbox = createBrevoSandbox(options);
  const running: RunningServer = await listen(sandbox.app, 0);
  const baseUrl = `${running.url}/v3`;
  const clientWithKey = (apiKey: string) => new BrevoClient({ apiKey, baseUrl, maxRetries: 0, timeoutInSeconds: 10 });
  return {
    ...sandbox,
    url: running.url,
    baseUrl,
    client: clientWithKey(DEFAULT_API_KEY),
    clientWithKey,
    stop: async () => {
      sandbox.close();
      await running.close();
    },
  };
}

