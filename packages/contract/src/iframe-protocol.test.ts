import { afterEach, describe, expect, it, vi } from 'vitest';
import { CONTRACT_VERSION, type MountContext } from './context.ts';
import { connectFrames, FakeWindow, flush } from './fake-windows.test-helper.ts';
import { connectToHost } from './iframe-guest.ts';
import { createIframeHost, type IframeHost } from './iframe-host.ts';
import { createMessage } from './messages.ts';

const HOST = 'http://localhost:5170';
const GUEST = 'http://localhost:5180';

function makeContext(overrides: Partial<MountContext> = {}): MountContext {
  let counter = 0;
  return {
    contractVersion: CONTRACT_VERSION,
    accountId: 'acc_demo',
    user: { id: 'u1', email: 'marketer@acme.test', locale: 'en' },
    plan: 'BrevoPlus',
    basePath: '/integrations',
    getToken: async () => `token-${++counter}`,
    ...overrides,
  };
}

let host: IframeHost | undefined;
afterEach(() => host?.destroy());

describe('iframe protocol', () => {
  it('hands the context over after ready and round-trips tokens', async () => {
    const frames = connectFrames(HOST, GUEST);
    host = createIframeHost({ iframe: frames.iframe, allowedOrigin: GUEST, context: makeContext() });
    const connection = await connectToHost({ allowedOrigins: [HOST], window: frames.guest });

    expect(connection.hostOrigin).toBe(HOST);
    expect(connection.context).toMatchObject({ accountId: 'acc_demo', plan: 'BrevoPlus', basePath: '/integrations' });
    expect(connection.context.user.locale).toBe('en');
    await expect(connection.context.getToken()).resolves.toBe('token-1');
    await expect(connection.context.getToken()).resolves.toBe('token-2');
    connection.close();
  });

  it('never posts to "*" and addresses only allowed origins', async () => {
    const frames = connectFrames(HOST, GUEST);
    const spy = vi.spyOn(frames.host, 'postMessage');
    host = createIframeHost({ iframe: frames.iframe, allowedOrigin: GUEST, context: makeContext() });
    const connection = await connectToHost({ allowedOrigins: ['https://other.test', HOST], window: frames.guest });
    for (const call of spy.mock.calls) expect(['https://other.test', HOST]).toContain(call[1]);
    connection.close();
  });

  it('rejects a wildcard allowlist', async () => {
    const frames = connectFrames(HOST, GUEST);
    await expect(connectToHost({ allowedOrigins: ['*'], window: frames.guest })).rejects.toThrow(/allowed host origin/);
    expect(() => createIframeHost({ iframe: frames.iframe, allowedOrigin: '*', context: makeContext() })).toThrow();
  });

  it('guest ignores init from a non-allowed origin', async () => {
    const frames = connectFrames('https://evil.test', GUEST);
    const pending = connectToHost({ allowedOrigins: [HOST], window: frames.guest, timeoutMs: 50 });
    // The evil parent answers with an init of its own.
    frames.guest.deliver({
      data: createMessage('init', { context: { ...makeContext(), getToken: undefined } as never }),
      origin: 'https://evil.test',
      source: frames.host,
    });
    await expect(pending).rejects.toThrow(/did not answer/);
  });

  it('guest ignores init from the right origin but another window', async () => {
    const frames = connectFrames(HOST, GUEST);
    const pending = connectToHost({ allowedOrigins: [HOST], window: frames.guest, timeoutMs: 50 });
    const otherFrame = new FakeWindow(HOST);
    frames.guest.deliver({
      data: createMessage('init', { context: { ...makeContext(), getToken: undefined } as never }),
      origin: HOST,
      source: otherFrame,
    });
    await expect(pending).rejects.toThrow(/did not answer/);
  });

  it('host ignores token requests from a non-allowed origin or another window', async () => {
    const frames = connectFrames(HOST, GUEST);
    const getToken = vi.fn(async () => 'secret-token');
    host = createIframeHost({ iframe: frames.iframe, allowedOrigin: GUEST, context: makeContext({ getToken }) });
    const request = createMessage('token.request', { requestId: 'r1' });
    frames.host.deliver({ data: request, origin: 'https://evil.test', source: frames.guest });
    frames.host.deliver({ data: request, origin: GUEST, source: new FakeWindow(GUEST) });
    await flush();
    expect(getToken).not.toHaveBeenCalled();
    expect(frames.guest.received).toEqual([]);

    frames.host.deliver({ data: request, origin: GUEST, source: frames.guest });
    await flush();
    expect(getToken).toHaveBeenCalledOnce();
    expect(frames.guest.received).toContainEqual(expect.objectContaining({ type: 'token.response', payload: { requestId: 'r1', token: 'secret-token' } }));
  });

  it('forwards a failing getToken as an error', async () => {
    const frames = connectFrames(HOST, GUEST);
    host = createIframeHost({
      iframe: frames.iframe,
      allowedOrigin: GUEST,
      context: makeContext({ getToken: () => Promise.reject(new Error('session expired')) }),
    });
    const connection = await connectToHost({ allowedOrigins: [HOST], window: frames.guest });
    await expect(connection.context.getToken()).rejects.toThrow('session expired');
    connection.close();
  });

  it('resizes the iframe, forwards navigate and toast, and pushes context updates', async () => {
    const frames = connectFrames(HOST, GUEST);
    const onNavigate = vi.fn();
    const onToast = vi.fn();
    host = createIframeHost({ iframe: frames.iframe, allowedOrigin: GUEST, context: makeContext(), onNavigate, onToast });
    const connection = await connectToHost({ allowedOrigins: [HOST], window: frames.guest });

    connection.reportHeight(642.4);
    connection.navigate('/integrations/i1');
    connection.toast('success', 'Saved');
    await flush();
    expect(frames.iframe.style.height).toBe('643px');
    expect(onNavigate).toHaveBeenCalledWith('/integrations/i1', { replace: false });
    expect(onToast).toHaveBeenCalledWith('success', 'Saved');

    const changed = vi.fn();
    connection.onContextChange(changed);
    host.update(makeContext({ user: { id: 'u1', email: 'marketer@acme.test', locale: 'it' } }));
    await flush();
    expect(changed).toHaveBeenCalledWith(expect.objectContaining({ user: expect.objectContaining({ locale: 'it' }) }));
    expect(connection.context.user.locale).toBe('it');

    const navigated = vi.fn();
    connection.onNavigate(navigated);
    host.navigate('/new');
    await flush();
    expect(navigated).toHaveBeenCalledWith('/new');
    connection.close();
  });

  it("hands the guest the host's deep link and reports each route with push or replace, so the host's address follows", async () => {
    const frames = connectFrames(HOST, GUEST);
    const onNavigate = vi.fn();
    host = createIframeHost({ iframe: frames.iframe, allowedOrigin: GUEST, context: makeContext(), currentPath: () => '/665f1c2b9a1e4b0012345678', onNavigate });
    const connection = await connectToHost({ allowedOrigins: [HOST], window: frames.guest });
    expect(connection.initialPath).toBe('/665f1c2b9a1e4b0012345678');

    connection.navigate('/665f1c2b9a1e4b0012345678/setup/mapping', { replace: true });
    connection.navigate('/');
    // Never another origin, a backslash trick or a control character, whichever side sends it.
    connection.navigate('//evil.test/x');
    frames.host.deliver({ data: createMessage('navigate', { path: '/\\evil.test' }), origin: GUEST, source: frames.guest });
    frames.host.deliver({ data: createMessage('navigate', { path: 'javascript:alert(1)' }), origin: GUEST, source: frames.guest });
    frames.host.deliver({ data: createMessage('navigate', { path: '/a\nb' }), origin: GUEST, source: frames.guest });
    await flush();
    expect(onNavigate.mock.calls).toEqual([
      ['/665f1c2b9a1e4b0012345678/setup/mapping', { replace: true }],
      ['/', { replace: false }],
    ]);
    connection.close();
  });

  it('offers Upgrade only when the host handles it, and hands the choice to the host', async () => {
    const without = connectFrames(HOST, GUEST);
    host = createIframeHost({ iframe: without.iframe, allowedOrigin: GUEST, context: makeContext() });
    const plain = await connectToHost({ allowedOrigins: [HOST], window: without.guest });
    expect(plain.context.onUpgrade).toBeUndefined();
    plain.close();
    host.destroy();

    const frames = connectFrames(HOST, GUEST);
    const onUpgrade = vi.fn();
    host = createIframeHost({ iframe: frames.iframe, allowedOrigin: GUEST, context: makeContext(), onUpgrade });
    const connection = await connectToHost({ allowedOrigins: [HOST], window: frames.guest });
    connection.context.onUpgrade!();
    await flush();
    expect(onUpgrade).toHaveBeenCalledOnce();
    connection.close();
  });

  it('destroy and close remove their listeners', async () => {
    const frames = connectFrames(HOST, GUEST);
    host = createIframeHost({ iframe: frames.iframe, allowedOrigin: GUEST, context: makeContext() });
    const connection = await connectToHost({ allowedOrigins: [HOST], window: frames.guest });
    connection.close();
    host.destroy();
    expect(frames.host.listenerCount).toBe(0);
    expect(frames.guest.listenerCount).toBe(0);
  });
});
