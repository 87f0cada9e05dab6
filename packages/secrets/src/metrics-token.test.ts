import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bearerMatcher, metricsAccess, metricsClosedWarning, metricsTokenEnv } from './metrics-token.ts';

const TOKEN = 'metrics-token-6c1f0e9b2d4a7358-b5e1c3a9d7f2';

describe('who may read /metrics (the BFF and the worker)', () => {
  it('with METRICS_TOKEN, only its bearer, in any mode', () => {
    for (const NODE_ENV of ['development', 'production']) {
      const access = metricsAccess({ NODE_ENV, METRICS_TOKEN: TOKEN });
      expect(access(`Bearer ${TOKEN}`)).toBe('served');
      for (const header of [undefined, '', TOKEN, `bearer ${TOKEN}`, `Basic ${TOKEN}`, `Bearer ${TOKEN} `, `Bearer ${TOKEN.slice(1)}`, 'Bearer ']) expect(access(header), header).toBe('unauthorized');
    }
  });

  it('without one: anyone outside production, no one in production (as if there were no route)', () => {
    expect(metricsAccess({ NODE_ENV: 'development' })(undefined)).toBe('served');
    expect(metricsAccess({ NODE_ENV: 'test' })(undefined)).toBe('served');
    expect(metricsAccess({ NODE_ENV: 'production' })(`Bearer ${TOKEN}`)).toBe('not_found');
    expect(metricsClosedWarning({ NODE_ENV: 'production' })).toMatch(/METRICS_TOKEN is not set/);
    expect(metricsClosedWarning({ NODE_ENV: 'production', METRICS_TOKEN: TOKEN })).toBeNull();
    expect(metricsClosedWarning({ NODE_ENV: 'development' })).toBeNull();
  });

  it('a bearer of any length is compared without throwing', () => {
    const matches = bearerMatcher(TOKEN);
    expect(matches(`Bearer ${'x'.repeat(10_000)}`)).toBe(false);
    expect(matches('Bearer x')).toBe(false);
  });

  it('METRICS_TOKEN is optional and at least 32 characters', () => {
    const schema = z.object(metricsTokenEnv);
    expect(schema.parse({}).METRICS_TOKEN).toBeUndefined();
    expect(schema.safeParse({ METRICS_TOKEN: 'x'.repeat(31) }).error?.issues[0]?.message).toBe('must be at least 32 characters');
    expect(schema.parse({ METRICS_TOKEN: TOKEN }).METRICS_TOKEN).toBe(TOKEN);
  });
});
