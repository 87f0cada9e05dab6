import type { IntegrationSnapshot } from '../integration.ts';

/** What a test or measurement hands an engine child process (in ENGINE_CHILD_INPUT). */
export interface EngineChildInput {
  mongoUri: string;
  instanceUrl: string;
  accessToken: string;
  brevoBaseUrl: string;
  apiKey: string;
  integration: IntegrationSnapshot;
  /** `salesforce-to-brevo` (default) or `integration` (engine-child.ts only). */
  run?: 'salesforce-to-brevo' | 'integration';
}

export const ENGINE_CHILD_INPUT = 'ENGINE_CHILD_INPUT';

export function readEngineChildInput(): EngineChildInput {
  return JSON.parse(process.env[ENGINE_CHILD_INPUT]!) as EngineChildInput;
}
