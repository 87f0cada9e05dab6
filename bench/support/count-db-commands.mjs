// Loaded into each worker process of benchmark #7 (`node --import`, plain JS: before tsx): counts the
// database commands the process sends and writes the running total to
// BENCH_DB_COMMANDS_FILE every second and at exit, with the same count by
// command and collection (`byCommand`, e.g. "findAndModify agendaJobs": what a
// run costs and what Agenda's polling costs), and the documents the replies
// carried by collection (`documentsBy`: the batches of finds, aggregates and
// their getMores, not a findAndModify's one document; what reading the whole
// fleet costs). The worker's own code is not changed.
//
// Counted where the driver sends a command on a pooled connection
// (`Connection.prototype.command`), not with command monitoring: monitoring
// makes the driver decode every reply a second time for its event (the whole
// reply, a listing of 2,000 integrations included), which was 8% of the
// worker's CPU at 1,000 integrations and counted as the worker's (2026-12-05).
// `hello` (a new connection's handshake, the servers' heartbeats) is not
// counted.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const file = process.env.BENCH_DB_COMMANDS_FILE;
if (file) {
  // The driver the store's mongoose loads (pnpm may hold other copies); its connection class is not exported.
  const fromStore = createRequire(new URL('../../packages/store/package.json', import.meta.url));
  const require = createRequire(fromStore.resolve('mongoose'));
  const { Connection } = require(join(dirname(require.resolve('mongodb')), 'cmap', 'connection.js'));
  const handshake = new Set(['hello', 'isMaster', 'ismaster']);
  let commands = 0;
  /** @type {Record<string, number>} */
  const byCommand = {};
  /** @type {Record<string, number>} */
  const documentsBy = {};
  const command = Connection.prototype.command;
  Connection.prototype.command = async function (ns, doc, ...rest) {
    const name = Object.keys(doc)[0];
    if (handshake.has(name)) return command.call(this, ns, doc, ...rest);
    commands += 1;
    const target = doc[name];
    const key = typeof target === 'string' ? `${name} ${target}` : name;
    byCommand[key] = (byCommand[key] ?? 0) + 1;
    const reply = await command.call(this, ns, doc, ...rest);
    const collection = name === 'getMore' ? doc.collection : target;
    // A cursor's reply (find, aggregate, getMore) is decoded lazily: `batchSize` reads its length and decodes nothing.
    const documents = typeof reply?.batchSize === 'number' ? reply.batchSize : 0;
    if (typeof collection === 'string' && documents > 0) documentsBy[collection] = (documentsBy[collection] ?? 0) + documents;
    return reply;
  };
  const write = () => writeFileSync(file, JSON.stringify({ commands, byCommand, documentsBy }));
  setInterval(write, 1_000).unref();
  process.on('exit', write);
}
