// Ad-hoc: old vs new devdb, Agenda-shaped jobs. Usage: node measure.tmp.mjs <jobs> <withDottedIndex 0|1>
import { mongo } from 'mongoose';
const [jobsCount, withIndex] = [Number(process.argv[2] ?? 2000), process.argv[3] === '1'];
const servers = { old: 'mongodb://127.0.0.1:27192/', new: 'mongodb://127.0.0.1:27193/' };
const clients = {};
const colls = {};
const now = Date.now();
for (const [name, uri] of Object.entries(servers)) {
  clients[name] = await mongo.MongoClient.connect(uri);
  const c = clients[name].db('measure').collection(`jobs_${jobsCount}_${withIndex ? 'ix' : 'noix'}`);
  await c.drop().catch(() => {});
  await c.createIndex({ name: 1, nextRunAt: 1, priority: -1, lockedAt: 1, disabled: 1 }, { name: 'findAndLockNextJobIndex' });
  await c.createIndex({ name: 1, lockedAt: 1 }, { name: 'name_locked_at' });
  if (withIndex) await c.createIndex({ name: 1, 'data.integrationId': 1 });
  await c.insertMany(Array.from({ length: jobsCount }, (_, i) => ({
    name: 'sync-integration', data: { integrationId: `int${i}`, kind: 'recurring' }, type: 'single', priority: 0,
    nextRunAt: new Date(now - 60_000 + ((i * 7919) % jobsCount)), lockedAt: null, disabled: false,
    repeatInterval: '60 seconds', repeatTimezone: null, lastModifiedBy: null, lastRunAt: new Date(now - 120_000), lastFinishedAt: new Date(now - 119_000),
  })));
  colls[name] = c;
}
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const queries = {
  "an integration's jobs by data.integrationId (find, toArray)": (c, k) => c.find({ name: 'sync-integration', 'data.integrationId': `int${(k * 37) % jobsCount}` }).toArray(),
  "Agenda's next job, every job due": async (c) => {
    const job = await c.findOneAndUpdate(
      { name: 'sync-integration', disabled: { $ne: true }, $or: [{ lockedAt: { $eq: null }, nextRunAt: { $lte: new Date() } }, { lockedAt: { $lte: new Date(Date.now() - 600_000) } }] },
      { $set: { lockedAt: new Date() } }, { sort: { nextRunAt: 1, priority: -1 }, returnDocument: 'after' });
    await c.updateOne({ _id: job._id }, { $set: { lockedAt: null } });
  },
};
for (const [label, q] of Object.entries(queries)) {
  const samples = { old: [], new: [] };
  for (let k = -2; k < 21; k++) {
    for (const name of ['old', 'new']) {
      const t = performance.now();
      await q(colls[name], k);
      if (k >= 0) samples[name].push(performance.now() - t);
    }
  }
  console.log(`${jobsCount} jobs, dotted index ${withIndex ? 'yes' : 'no'}: ${label}: old ${median(samples.old).toFixed(2)} ms, new ${median(samples.new).toFixed(2)} ms`);
}
for (const c of Object.values(clients)) await c.close();
