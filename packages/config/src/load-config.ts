import type { z } from 'zod';

/** Thrown at start-up when the environment does not satisfy an app's schema. */
export class ConfigError extends Error {
  readonly code = 'invalid_configuration';

  constructor(
    readonly appName: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(
      `${appName}: invalid configuration\n` +
        problems.map((p) => `  - ${p.variable}: ${p.message}`).join('\n') +
        '\nSee .env.example for every variable and its default.',
    );
    this.name = 'ConfigError';
  }
}

export interface ConfigProblem {
  variable: string;
  message: string;
}

/**
 * Reads environment variables through a zod object schema whose keys are the
 * variable names. Every problem is reported at once, each naming its variable,
 * so an operator fixes the environment in one go.
 */
export function loadConfig<Shape extends z.ZodRawShape>(
  appName: string,
  schema: z.ZodObject<Shape>,
  env: Record<string, string | undefined> = process.env,
): z.infer<z.ZodObject<Shape>> {
  // Empty strings mean "not set" so `FOO=` in a .env file falls back to the default.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = schema.safeParse(present);
  if (result.success) return result.data;

  const problems = result.error.issues.map((issue) => {
    const variable = issue.path.length > 0 ? issue.path.map(String).join('.') : '(environment)';
    // Decided from the environment, not from the issue: coerced schemas report
    // a malformed value (PORT=abc) with the same issue code as a missing one.
    const isMissing = issue.path.length === 1 && present[String(issue.path[0])] === undefined;
    // The value itself is never echoed: it may be a secret.
    return { variable, message: isMissing ? 'is required but not set' : issue.message };
  });
  throw new ConfigError(appName, problems);
}
