import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, env, loadConfig } from './index.ts';

const schema = z.object({
  PORT: env.port(4000),
  MONGODB_URI: env.mongoUri(),
  PUBLIC_URL: env.url('http://localhost:4000'),
  FEATURE: env.flag(false),
  ORIGINS: env.list(['http://localhost:5170']),
  SECRET: env.secret(16),
});

describe('loadConfig', () => {
  it('applies defaults and coerces values', () => {
    const config = loadConfig('test', schema, {
      MONGODB_URI: 'mongodb://127.0.0.1:27027/app',
      SECRET: 'x'.repeat(16),
      FEATURE: 'yes',
      ORIGINS: ' http://a.test , ,http://b.test',
    });
    expect(config).toEqual({
      PORT: 4000,
      MONGODB_URI: 'mongodb://127.0.0.1:27027/app',
      PUBLIC_URL: 'http://localhost:4000',
      FEATURE: true,
      ORIGINS: ['http://a.test', 'http://b.test'],
      SECRET: 'x'.repeat(16),
    });
  });

  it('treats an empty variable as unset', () => {
    const config = loadConfig('test', schema, { MONGODB_URI: 'mongodb://h/db', SECRET: 'x'.repeat(16), PORT: '' });
    expect(config.PORT).toBe(4000);
  });

  it('names every missing or malformed variable in one error', () => {
    let error: unknown;
    try {
      loadConfig('bff', schema, { PORT: '70000', PUBLIC_URL: 'ftp://x', FEATURE: 'maybe', SECRET: 'short' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.map((p) => p.variable).sort();
    expect(problems).toEqual(['FEATURE', 'MONGODB_URI', 'PORT', 'PUBLIC_URL', 'SECRET']);
    expect((error as ConfigError).message).toContain('MONGODB_URI: is required but not set');
    expect((error as ConfigError).message).toContain('bff: invalid configuration');
    expect((error as ConfigError).message).not.toContain('short');
  });

  it('reports a malformed coerced value as malformed, not as missing', () => {
    expect(() => loadConfig('app', schema, { PORT: 'abc', MONGODB_URI: 'mongodb://h/db', SECRET: 'x'.repeat(16) })).toThrow(
      /PORT: (?!is required)/,
    );
  });
});
