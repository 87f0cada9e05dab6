import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

export interface DatabaseGate {
  /** The database's URI through the gate. */
  uri: string;
  /** Resolves when the first message is held. */
  firstHeld: Promise<void>;
  /** Passes on what was held, and everything from now on. */
  release(): void;
  close(): void;
}

/**
 * A stand-in between a process and the test database: each MongoDB message (its length is its first four bytes) is
 * passed on, but those `holds` picks wait, with whatever follows them on their connection, until `release()`. For
 * tests of what a process does while some of its commands get no answer (the others are answered as usual).
 */
export async function databaseGate(uri: string, holds: (message: Buffer) => boolean): Promise<DatabaseGate> {
  const target = new URL(uri);
  const sockets = new Set<Socket>();
  const holding = new Set<() => void>();
  let released = false;
  let heldOne!: () => void;
  const firstHeld = new Promise<void>((resolve) => (heldOne = resolve));

  const server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.pipe(client);
    let unread = Buffer.alloc(0);
    const held: Buffer[] = [];
    const flush = () => {
      for (const message of held.splice(0)) upstream.write(message);
    };
    client.on('data', (chunk: Buffer) => {
      unread = Buffer.concat([unread, chunk]);
      while (unread.length >= 4 && unread.length >= unread.readInt32LE(0)) {
        const message = unread.subarray(0, unread.readInt32LE(0));
        unread = unread.subarray(message.length);
        if (!released && (held.length > 0 || holds(message))) {
          held.push(message);
          holding.add(flush);
          heldOne();
        } else upstream.write(message);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const gated = new URL(uri);
  gated.host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    uri: gated.toString(),
    firstHeld,
    release() {
      released = true;
      for (const flush of holding) flush();
      holding.clear();
    },
    close() {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

/** Whether a message is a `find` command on this collection (the command's name is its document's first key). */
export function findOn(collection: string): (message: Buffer) => boolean {
  const name = Buffer.from(`${collection}\0`);
  const length = Buffer.alloc(4);
  length.writeInt32LE(name.length);
  // A BSON string element: type 2, the key `find`, the value's length with its trailing zero, the value.
  const element = Buffer.concat([Buffer.from([2]), Buffer.from('find\0'), length, name]);
  return (message) => message.includes(element);
}
