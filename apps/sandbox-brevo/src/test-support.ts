import { BrevoError, type BrevoClient } from '@getbrevo/brevo';
import { expect } from 'vitest';

/** Test helpers of the sandbox's own tests; the sandbox itself starts from start.ts (the package's entry). */
export { startSandbox, type StartedSandbox } from './start.ts';

/** Awaits a rejected SDK call and returns its BrevoError. */
export async function brevoError(promise: Promise<unknown>): Promise<BrevoError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BrevoError);
  return error as BrevoError;
}

export async function waitFor<T>(check: () => T | undefined | Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('waitFor: timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** createContact answers `{ id }` on 201 (undefined only on the 204 of updateEnabled); returns the id. */
export async function createContactId(client: BrevoClient, request: Parameters<BrevoClient['contacts']['createContact']>[0]): Promise<number> {
  const created = await client.contacts.createContact(request);
  expect(created?.id).toBeTypeOf('number');
  return created!.id!;
}

export interface ReceivedRequest {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/** A tiny HTTP server standing in for the product's webhook receiver; `respond` picks each answer's status. */
export async function startReceiver(respond: (request: ReceivedRequest, index: number) => number = () => 200) {
  const { createServer } = await import('node:http');
  const received: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const request = { path: req.url ?? '', headers: req.headers, body: text ? (JSON.parse(text) as unknown) : undefined };
      received.push(request);
      res.statusCode = respond(request, received.length - 1);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
