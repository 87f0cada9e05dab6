import { describe, expect, it } from 'vitest';
import { CONTRACT_VERSION, isCompatibleVersion } from './context.ts';
import { acceptMessage, createMessage, MESSAGE_NAMESPACE, parseMessage } from './messages.ts';

describe('parseMessage', () => {
  it('accepts our messages', () => {
    const message = createMessage('resize', { height: 10 });
    expect(parseMessage(message)).toEqual({ namespace: MESSAGE_NAMESPACE, version: CONTRACT_VERSION, type: 'resize', payload: { height: 10 } });
  });

  it('ignores foreign namespaces, other major versions and unknown types', () => {
    expect(parseMessage({ namespace: 'other', version: CONTRACT_VERSION, type: 'ready', payload: {} })).toBeNull();
    expect(parseMessage({ namespace: MESSAGE_NAMESPACE, version: '2.0.0', type: 'ready', payload: {} })).toBeNull();
    expect(parseMessage({ namespace: MESSAGE_NAMESPACE, version: CONTRACT_VERSION, type: 'eval', payload: {} })).toBeNull();
    expect(parseMessage('ready')).toBeNull();
    expect(parseMessage(null)).toBeNull();
  });

  it('treats minor versions as compatible', () => {
    expect(isCompatibleVersion('1.7.3')).toBe(true);
    expect(isCompatibleVersion('0.9.0')).toBe(false);
    expect(isCompatibleVersion(1)).toBe(false);
  });
});

describe('acceptMessage', () => {
  const source = {};
  const data = createMessage('ready', { contractVersion: CONTRACT_VERSION });

  it('needs both the allowed origin and the expected window', () => {
    expect(acceptMessage({ data, origin: 'https://a.test', source }, source, ['https://a.test'])).not.toBeNull();
    expect(acceptMessage({ data, origin: 'https://evil.test', source }, source, ['https://a.test'])).toBeNull();
    expect(acceptMessage({ data, origin: 'https://a.test', source: {} }, source, ['https://a.test'])).toBeNull();
    expect(acceptMessage({ data, origin: 'https://a.test', source: null }, null, ['https://a.test'])).toBeNull();
  });
});
