// Loaded into each worker process of benchmark #7 (`node --import`, plain JS: before tsx): counts the
// database commands the process sends, with the driver's command monitoring
// (as #5 counts the BFF's), and writes the running total to
// BENCH_DB_COMMANDS_FILE every second and at exit, with the same count by
// command and collection (`byCommand`, e.g. "findAndModify agendaJobs": what a
// run costs and what Agenda's polling costs). The worker's own code is not
// changed: every MongoClient the process connects is monitored.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const file = process.env.BENCH_DB_COMMANDS_FILE;
if (file) {
  // The driver the store's mongoose loads (pnpm may hold other copies).
  const fromStore = createRequire(new URL('../../packages/store/package.json', import.meta.url));
  /** @type {typeof import('mongodb')} */
  const { MongoClient } = createRequire(fromStore.resolve('mongoose'))('mongodb');
  let commands = 0;
  /** @type {Record<string, number>} */
  const byCommand = {};
  const monitored = new WeakSet();
  const connect = MongoClient.prototype.connect;
  /** @this {import('mongodb').MongoClient} */
  MongoClient.prototype.connect = function () {
    if (!monitored.has(this)) {
      monitored.add(this);
      this.monitorCommands = true;
      this.on('commandStarted', (event) => {
        commands += 1;
        const collection = event.command[event.commandName];
        const key = typeof collection === 'string' ? `${event.commandName} ${collection}` : event.commandName;
        byCommand[key] = (byCommand[key] ?? 0) + 1;
      });
    }
    return connect.call(this);
  };
  const write = () => writeFileSync(file, JSON.stringify({ commands, byCommand }));
  setInterval(write, 1_000).unref();
  process.on('exit', write);
}
