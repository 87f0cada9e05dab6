import { describe, expect, it } from 'vitest';
import { isSecretField, redactLogLine } from './log-redaction.ts';

const line = (value: unknown) => `${JSON.stringify(value)}\n`;

describe('log redaction', () => {
  it('redacts a secret field at any depth, in objects and arrays', () => {
    const written = redactLogLine(
      line({
        level: 50,
        err: { type: 'HttpError', message: 'Request failed', response: { request: { headers: { authorization: 'Bearer deep-token', accept: 'json' } } } },
        calls: [{ options: { headers: { 'api-key': 'xkeysib-in-array' } } }],
        integration: { salesforce: { tokens: { accessToken: 'deep-access', refreshToken: 'deep-refresh', instanceUrl: 'https://org' } } },
        msg: 'request errored',
      }),
    );
    expect(written.endsWith('\n')).toBe(true);
    expect(JSON.parse(written)).toEqual({
      level: 50,
      err: { type: 'HttpError', message: 'Request failed', response: { request: { headers: { authorization: '[redacted]', accept: 'json' } } } },
      calls: [{ options: { headers: { 'api-key': '[redacted]' } } }],
      integration: { salesforce: { tokens: { accessToken: '[redacted]', refreshToken: '[redacted]', instanceUrl: 'https://org' } } },
      msg: 'request errored',
    });
  });

  it('redacts a secret field whatever its case and separators, and a whole object held under one', () => {
    const written = JSON.parse(
      redactLogLine(line({ headers: { Authorization: 'Basic abc', Cookie: 'sid=1', 'Set-Cookie': ['sid=2'] }, client_secret: 'cs', API_KEY: 'k', secret: { nested: 'whole' } })),
    ) as Record<string, unknown>;
    expect(written).toEqual({
      headers: { Authorization: '[redacted]', Cookie: '[redacted]', 'Set-Cookie': '[redacted]' },
      client_secret: '[redacted]',
      API_KEY: '[redacted]',
      secret: '[redacted]',
    });
  });

  it('writes a line without a secret field as it is, and does not take a field name inside a string for a key', () => {
    const plain = line({ level: 20, req: { id: 1, method: 'GET', url: '/api/v1/integrations' }, res: { statusCode: 200 }, msg: 'request completed' });
    expect(redactLogLine(plain)).toBe(plain);
    const quoted = line({ msg: 'the field "password": is checked elsewhere' });
    expect(redactLogLine(quoted)).toBe(quoted);
  });

  it('names the secret fields, not their neighbours', () => {
    for (const name of ['authorization', 'Authorization', 'cookie', 'set-cookie', 'accessToken', 'access_token', 'refreshToken', 'apiKey', 'api-key', 'codeVerifier', 'clientSecret', 'secret', 'password']) {
      expect(isSecretField(name), name).toBe(true);
    }
    for (const name of ['tokens', 'instanceUrl', 'secretName', 'passwordChangedAt', 'keyId', 'authorized']) expect(isSecretField(name), name).toBe(false);
  });

  it('withholds a line with a secret field that is not JSON rather than write it', () => {
    const written = redactLogLine('{"password":"hunter2",\n');
    expect(written).not.toContain('hunter2');
    expect(JSON.parse(written)).toEqual({ msg: '[redacted]: a log line with a secret field that is not JSON' });
  });
});
