import { useTestDatabase } from '@contact-sync/testing';
import { mongo } from 'mongoose';
import { describe, expect, it } from 'vitest';

/**
 * The MongoDB promises the store relies on (README.md, "What the store relies on"), checked
 * against the database the tests run on: the embedded default (tools/devdb) unless MONGODB_URI
 * is set. As shipped, FerretDB 1.24 kept none of the first four (200 concurrent `$inc` kept 2–11)
 * and scanned for every filter but `_id` equality (tools/devdb/README.md).
 */
const db = useTestDatabase('promises');
const REPETITIONS = 20;
const LONG = 180_000;

const collection = <T extends mongo.Document>(name: string) => db.connection.db!.collection<T>(name);
const times = <T>(n: number, make: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => make(i)));

describe('single-document writes are atomic against each other', () => {
  it(`200 concurrent $inc of one document all count (${REPETITIONS} times)`, async () => {
    const counters = collection<{ _id: string; n: number }>('counters');
    const kept: number[] = [];
    for (let rep = 0; rep < REPETITIONS; rep += 1) {
      await counters.insertOne({ _id: `c${rep}`, n: 0 });
      await times(200, () => counters.updateOne({ _id: `c${rep}` }, { $inc: { n: 1 } }));
      kept.push((await counters.findOne({ _id: `c${rep}` }))!.n);
    }
    expect(kept).toEqual(Array(REPETITIONS).fill(200));
  }, LONG);

  it(`200 concurrent $addToSet of distinct values all land (${REPETITIONS} times)`, async () => {
    const sets = collection<{ _id: string; values: string[] }>('sets');
    const sizes: number[] = [];
    for (let rep = 0; rep < REPETITIONS; rep += 1) {
      await sets.insertOne({ _id: `s${rep}`, values: [] });
      await times(200, (i) => sets.updateOne({ _id: `s${rep}` }, { $addToSet: { values: `v${i}` } }));
      sizes.push(new Set((await sets.findOne({ _id: `s${rep}` }))!.values).size);
    }
    expect(sizes).toEqual(Array(REPETITIONS).fill(200));
  }, LONG);

  it(`50 concurrent findOneAndUpdate claims of one job: exactly one wins, and it holds the job (${REPETITIONS} times)`, async () => {
    const jobs = collection<{ _id: string; lockedBy: number | null }>('jobs');
    const outcomes: string[] = [];
    for (let rep = 0; rep < REPETITIONS; rep += 1) {
      await jobs.insertOne({ _id: `j${rep}`, lockedBy: null });
      const claims = await times(50, (worker) =>
        jobs.findOneAndUpdate({ _id: `j${rep}`, lockedBy: null }, { $set: { lockedBy: worker } }, { returnDocument: 'after' }),
      );
      const winners = claims.filter((claim) => claim !== null);
      const holder = (await jobs.findOne({ _id: `j${rep}` }))!.lockedBy;
      outcomes.push(`${winners.length} winner(s), held by the winner: ${winners[0]?.lockedBy === holder}`);
    }
    expect(outcomes).toEqual(Array(REPETITIONS).fill('1 winner(s), held by the winner: true'));
  }, LONG);

  it(`50 concurrent upserts of one key under a unique index: one document, every upsert applied, none refused (${REPETITIONS} times)`, async () => {
    const keyed = collection<{ key: string; n: number }>('keyed');
    await keyed.createIndex({ key: 1 }, { unique: true });
    const outcomes: string[] = [];
    for (let rep = 0; rep < REPETITIONS; rep += 1) {
      const results = await Promise.allSettled(
        Array.from({ length: 50 }, () => keyed.updateOne({ key: `k${rep}` }, { $inc: { n: 1 } }, { upsert: true })),
      );
      const docs = await keyed.find({ key: `k${rep}` }).toArray();
      const refused = results.filter((result) => result.status === 'rejected').length;
      outcomes.push(`${docs.length} document(s), n = ${docs.map((doc) => doc.n).join('/')}, ${refused} refused`);
    }
    expect(outcomes).toEqual(Array(REPETITIONS).fill('1 document(s), n = 50, 0 refused'));
  }, LONG);

  // The embedded default writes an insert's documents a batch to a statement and a transaction: a refused
  // document must not take the others of its batch with it, nor a later batch run after an ordered stop.
  it('an insertMany of 2,500 with an existing _id at 1,500 inserts the rest (unordered) or the 1,500 before it (ordered)', async () => {
    const outcomes: string[] = [];
    for (const ordered of [false, true]) {
      const docs = collection<{ _id: string; i: number }>(`inserted_${ordered ? 'ordered' : 'unordered'}`);
      await docs.insertOne({ _id: 'd1500', i: -1 });
      const error = await docs.insertMany(Array.from({ length: 2_500 }, (_, i) => ({ _id: `d${i}`, i })), { ordered }).catch((e: unknown) => e);
      const refused = ((error as mongo.MongoBulkWriteError).writeErrors as mongo.WriteError[]).map((e) => `${e.index}: ${e.code}`);
      const kept = await docs.countDocuments({ i: { $gte: 0 } });
      outcomes.push(`ordered ${ordered}: refused ${refused.join(', ')}; ${kept} inserted; d1500 kept ${(await docs.findOne({ _id: 'd1500' }))!.i}`);
    }
    expect(outcomes).toEqual([
      'ordered false: refused 1500: 11000; 2499 inserted; d1500 kept -1',
      'ordered true: refused 1500: 11000; 1500 inserted; d1500 kept -1',
    ]);
  }, LONG);
});

type Doc = { _id: string } & Record<string, unknown>;

/**
 * The filters whose answer differs from the same filter's answer by reading every document:
 * `{ $nor: [{ $nor: [f] }] }` means f, and the embedded default pushes no `$nor` down.
 */
async function differingFromScan(docs: mongo.Collection<Doc>, filters: mongo.Filter<Doc>[]): Promise<string[]> {
  const ids = async (filter: mongo.Filter<Doc>) => (await docs.find(filter).toArray()).map((doc) => String(doc._id)).sort();
  const differing: string[] = [];
  for (const filter of filters) {
    const [indexed, scanned] = await Promise.all([ids(filter), ids({ $nor: [{ $nor: [filter] }] })]);
    if (JSON.stringify(indexed) !== JSON.stringify(scanned)) differing.push(`${mongo.BSON.EJSON.stringify(filter)}: ${indexed} instead of ${scanned}`);
  }
  return differing;
}

describe('indexed queries', () => {
  it('return what the same filter returns when nothing of it can be used by an index', async () => {
    const docs = collection<Doc>('values');
    const indexes: mongo.IndexSpecification[] = [{ v: 1 }, { w: 1, v: -1 }, { tags: 1 }, { later: 1 }];
    for (const key of indexes) await docs.createIndex(key);
    const oid = new mongo.ObjectId('64b7f0c2a1b2c3d4e5f60718');
    const scalars: unknown[] = [
      'a', 'a\u0000b', 'a\u0000c', '"q"', "it's", '<b>&amp;', 'é', '😀', '[x]', '', 'null', '5', oid.toHexString(), oid,
      5, new mongo.Int32(5), new mongo.Long(5), new mongo.Double(5), new mongo.Double(5.5), new mongo.Double(-0), 0, -1, 2 ** 40,
      mongo.Long.fromString('9007199254740993'), true, false, null,
      new Date(0), new Date(-86_400_000), new Date('2026-01-01T00:00:00Z'), new Date('2300-01-01T00:00:00Z'),
    ];
    const values = [...scalars, { a: 1 }, [1, 2]];
    // `tags` holds arrays in some documents: MongoDB matches an array by its elements.
    const inArray = (v: unknown, i: number) => i % 4 === 0 && !Array.isArray(v); // (FerretDB stores no nested arrays)
    await docs.insertMany([
      ...values.map((v, i) => ({ _id: `d${i}`, v, w: i % 3 ? 'x' : 'y', tags: inArray(v, i) ? [v, 'other'] : v })),
      { _id: 'missing', w: 'x' },
      { _id: 'becomes-array', later: 'z' },
    ]);
    await docs.updateOne({ _id: 'becomes-array' }, { $set: { later: ['z', 'y'] } });

    const filters: mongo.Filter<Doc>[] = [];
    for (const v of scalars) filters.push({ v }, { v: { $eq: v } }, { tags: v }, { v: { $in: [v, 'zzz'] } }, { w: 'x', v });
    for (const bound of [5, new mongo.Long(5), new mongo.Double(5), 0, -1, new Date(0), new Date('2026-01-01T00:00:00Z'), new Date(-86_400_000)]) {
      for (const op of ['$lt', '$lte', '$gt', '$gte']) filters.push({ v: { [op]: bound } }, { tags: { [op]: bound } });
    }
    filters.push(
      { v: null }, { v: { $in: [null, 'a'] } }, { tags: null },
      { v: { $gt: new Date(0), $lt: new Date('2100-01-01T00:00:00Z') } },
      { $or: [{ v: 'a' }, { v: 5 }] }, { $or: [{ v: 'a' }, { v: { $exists: false } }] }, { $and: [{ w: 'x' }, { v: { $gte: 0 } }] },
      { later: 'z' }, { later: 'y' },
      { _id: { $in: ['d1', 'd2', 'becomes-array'] } }, { _id: 'd3', w: 'x' }, { _id: { $in: ['d1'] }, v: 'a\u0000b' },
    );

    const ids = async (filter: mongo.Filter<Doc>) => (await docs.find(filter).toArray()).map((doc) => String(doc._id)).sort();
    expect(await differingFromScan(docs, filters)).toEqual([]);
    expect(await ids({ tags: 'other' })).toEqual(['d0', 'd12', 'd16', 'd20', 'd24', 'd28', 'd4', 'd8']);
  }, LONG);

  it('on dotted paths return what the same filter returns when nothing of it can be used by an index', async () => {
    const docs = collection<Doc>('dotted');
    const indexes: mongo.IndexSpecification[] = [{ 'n.v': 1 }, { 'n.deep.v': 1 }, { w: 1, 'n.v': 1 }, { 'p.q.r': 1 }, { 'later.x': 1 }];
    for (const key of indexes) await docs.createIndex(key);
    const oid = new mongo.ObjectId('64b7f0c2a1b2c3d4e5f60718');
    const scalars: unknown[] = [
      'a', '"q"', '', 'null', '5', oid.toHexString(), oid, 5, new mongo.Int32(5), new mongo.Long(5), new mongo.Double(5.5), 0, -1,
      true, false, null, new Date(0), new Date(-86_400_000), new Date('2026-01-01T00:00:00Z'),
    ];
    await docs.insertMany([
      // Mixed types at one path, one and two levels down.
      ...scalars.map((v, i) => ({ _id: `d${i}`, w: i % 3 ? 'x' : 'y', n: { v, deep: { v } } })),
      // Nested documents at the path, compared whole.
      { _id: 'doc-at-path', w: 'x', n: { v: { a: 1 }, deep: { v: { a: 1, b: 2 } } } },
      // Missing, null, scalar and empty on the way: `n.v` is null (missing) for each.
      { _id: 'n-missing', w: 'x' },
      { _id: 'n-null', w: 'x', n: null },
      { _id: 'n-scalar', w: 'x', n: 5 },
      { _id: 'n-string', w: 'x', n: '{"v":5}' },
      { _id: 'n-empty', w: 'x', n: {} },
      { _id: 'deep-scalar', w: 'x', n: { v: 'a', deep: 'a' } },
      // `p.q` holds an array in one document: MongoDB matches `p.q.r` through its elements.
      { _id: 'p-plain', p: { q: { r: 'a' } } },
      { _id: 'p-array', p: { q: [{ r: 'a' }, { r: 5 }] } },
      { _id: 'p-none', p: { q: { r: 'b' } } },
      // `later.x` becomes an array below, after its index (and a query) saw only scalars.
      { _id: 'becomes-array', later: { x: 'z' } },
    ]);
    const plainLater = await docs.find({ 'later.x': 'y' }).toArray();
    await docs.updateOne({ _id: 'becomes-array' }, { $set: { 'later.x': ['z', 'y'] } });

    const filters: mongo.Filter<Doc>[] = [];
    for (const v of scalars) {
      filters.push({ 'n.v': v }, { 'n.deep.v': { $eq: v } }, { 'n.v': { $in: [v, 'zzz'] } }, { w: 'x', 'n.v': v }, { $or: [{ 'n.v': v }, { 'n.deep.v': 'a' }] });
    }
    for (const bound of [5, new mongo.Long(5), 0, -1, new Date(0), new Date('2026-01-01T00:00:00Z')]) {
      for (const op of ['$lt', '$lte', '$gt', '$gte']) filters.push({ 'n.v': { [op]: bound } }, { 'n.deep.v': { [op]: bound } });
    }
    filters.push(
      { 'n.v': null }, { 'n.deep.v': null }, { 'n.v': { $in: [null, 'a'] } }, { n: null }, { 'n.deep': null },
      { 'n.v': { a: 1 } }, { 'n.deep.v': { a: 1 } }, { 'n.deep.v': { a: 1, b: 2 } }, { 'n.deep.v': { b: 2, a: 1 } }, { 'n.deep': { v: 'a' } },
      { 'p.q.r': 'a' }, { 'p.q.r': 5 }, { 'p.q.r': null }, { 'p.q': { r: 'a' } }, { 'p.q.r': { $in: ['a', 'b'] } },
      { 'later.x': 'y' }, { 'later.x': 'z' },
      { $and: [{ w: 'x' }, { 'n.v': { $gte: 0 } }] }, { $or: [{ 'n.v': 'a' }, { 'p.q.r': 5 }] },
    );

    const ids = async (filter: mongo.Filter<Doc>) => (await docs.find(filter).toArray()).map((doc) => String(doc._id)).sort();
    expect(await differingFromScan(docs, filters)).toEqual([]);
    // MongoDB's answers, written out: the comparison above cannot notice a reference that is wrong too.
    expect(plainLater).toEqual([]);
    expect(await ids({ 'later.x': 'y' })).toEqual(['becomes-array']);
    expect(await ids({ 'p.q.r': 5 })).toEqual(['p-array']);
    expect(await ids({ 'p.q.r': 'a' })).toEqual(['p-array', 'p-plain']);
    expect(await ids({ 'n.v': null })).toEqual(['becomes-array', 'd15', 'n-empty', 'n-missing', 'n-null', 'n-scalar', 'n-string', 'p-array', 'p-none', 'p-plain']);
    expect(await ids({ 'n.deep.v': 'a' })).toEqual(['d0']);
    expect(await ids({ 'n.v': 5 })).toEqual(['d7', 'd8', 'd9']);
    expect(await ids({ 'n.deep.v': { a: 1, b: 2 } })).toEqual(['doc-at-path']);
    expect(await ids({ 'n.deep.v': { b: 2, a: 1 } })).toEqual([]);
  }, LONG);

  it('on dotted paths are answered from the index', async () => {
    const docs = collection<{ _id: string } & Record<string, unknown>>('dotted_plan');
    await docs.createIndex({ name: 1, 'data.integrationId': 1 });
    await docs.insertMany(Array.from({ length: 20 }, (_, i) => ({ _id: `j${i}`, name: 'sync-integration', data: { integrationId: `int${i}` } })));
    // Whether both columns of the index bound the search (not only `name`, which every job shares).
    // The embedded default answers `explain` with SQLite's plan (EXPLAIN QUERY PLAN), MongoDB with its winning plan.
    const searchesBothColumns = async (filter: mongo.Document) => {
      const { queryPlanner } = (await docs.find(filter).explain()) as { queryPlanner: { Plan?: string[]; winningPlan?: unknown } };
      if (queryPlanner.Plan) return /SEARCH \S+ USING INDEX \S+ \(<expr>=\? AND <expr>=\?\)/.test(queryPlanner.Plan.join('\n'));
      const plan = JSON.stringify(queryPlanner.winningPlan);
      return plan.includes('IXSCAN') && !plan.includes('[MinKey, MaxKey]');
    };
    expect(await searchesBothColumns({ name: 'sync-integration', 'data.integrationId': 'int7' })).toBe(true);
    expect(await searchesBothColumns({ name: 'sync-integration', 'data.integrationId': { $in: ['int1', 'int2'] } })).toBe(true);
    expect(await searchesBothColumns({ name: 'sync-integration' })).toBe(false);
  });

  it('sorted on indexed paths come in the order the same sort gives without an index', async () => {
    const docs = collection<Doc>('sorted');
    const oid = (n: number) => new mongo.ObjectId(n.toString(16).padStart(24, '0'));
    const day = 86_400_000;
    // Each path is indexed and copied to `copy.<path>` (not indexed): the copy's sort is the reference.
    const kinds: Record<string, (i: number) => unknown> = {
      date: (i) => new Date((i * 7) % 23 * day - 5 * day), // before and after 1970, ties
      num: (i) => [new mongo.Int32(i % 5), new mongo.Long(i % 7 - 3), new mongo.Double((i % 9) / 2 - 1)][i % 3],
      str: (i) => ['b', 'a', 'ab', '', 'B', 'é', 'a\u0000', '😀'][i % 8],
      bool: (i) => i % 3 === 0,
      oid: (i) => oid((i * 5) % 11),
      // Numbers, dates, booleans, strings and ObjectIds in one path: SQLite would interleave them.
      mixed: (i) => [new mongo.Int32(i), new Date(i), i % 2 === 0, `s${i}`, oid(i), { d: i }][i % 6],
    };
    const paths = ['date', 'num', 'str', 'bool', 'oid', 'mixed', 'nested.date', 'later', 'arrayed', 'indexedLater', 'scannedDate'];
    const indexedLater = ['indexedLater', 'scannedDate'];
    for (const path of paths.filter((path) => !indexedLater.includes(path))) await docs.createIndex({ [path]: 1 });
    await docs.createIndex({ group: 1, date: 1, num: -1 });
    const documents: Doc[] = Array.from({ length: 60 }, (_, i) => {
      const doc: Doc = { _id: `d${i}`, group: i % 2 ? 'g' : 'h', nested: {}, copy: { nested: {} } };
      // Every seventh document misses the paths, every eleventh has null.
      for (const [kind, make] of Object.entries(kinds)) {
        const value = i % 7 === 3 ? undefined : i % 11 === 5 ? null : make(i);
        if (value === undefined) continue;
        doc[kind] = value;
        (doc.copy as Doc)[kind] = value;
      }
      for (const [target, value] of [['nested', doc.date], ['later', doc.date], ['arrayed', doc.num], ['indexedLater', doc.mixed], ['scannedDate', doc.date]] as const) {
        if (value === undefined) continue;
        if (target === 'nested') (doc.nested as Doc).date = value;
        else doc[target] = value;
        if (target === 'nested') ((doc.copy as Doc).nested as Doc).date = value;
        else (doc.copy as Doc)[target] = value;
      }
      return doc;
    });
    await docs.insertMany(documents);
    // `later` holds dates, then a number too; `arrayed` numbers, then an array; `indexedLater`
    // (mixed types) and `scannedDate` (dates) are indexed only now, their types read from what is stored.
    await docs.updateMany({ _id: { $in: ['d1', 'd2'] } }, { $set: { later: 5, 'copy.later': 5 } });
    await docs.updateOne({ _id: 'd4' }, { $set: { arrayed: [9, -9], 'copy.arrayed': [9, -9] } });
    for (const path of indexedLater) await docs.createIndex({ [path]: 1 });

    const key = (doc: Doc, path: string) => mongo.BSON.EJSON.stringify({ v: path.split('.').reduce<unknown>((at, step) => (at as Doc | undefined)?.[step], doc) ?? null }, { relaxed: false });
    const differing: string[] = [];
    const check = async (filter: mongo.Filter<Doc>, sort: Record<string, 1 | -1>, limit = 0) => {
      const copySort = Object.fromEntries(Object.entries(sort).map(([path, order]) => [path === '_id' ? path : `copy.${path}`, order]));
      const [indexed, reference] = await Promise.all([docs.find(filter).sort(sort).limit(limit).toArray(), docs.find(filter).sort(copySort).limit(limit).toArray()]);
      // Equal keys may come in any order (MongoDB does not specify one): compare the keys in order, and the documents.
      const keys = (found: Doc[]) => found.map((doc) => Object.keys(sort).map((path) => key(doc, path)).join(' '));
      const ids = (found: Doc[]) => found.map((doc) => doc._id).sort();
      const name = `${mongo.BSON.EJSON.stringify(filter)} sort ${JSON.stringify(sort)} limit ${limit}`;
      if (JSON.stringify(keys(indexed)) !== JSON.stringify(keys(reference))) differing.push(`${name}: keys ${keys(indexed)} instead of ${keys(reference)}`);
      if (!limit && JSON.stringify(ids(indexed)) !== JSON.stringify(ids(reference))) differing.push(`${name}: ${ids(indexed)} instead of ${ids(reference)}`);
    };
    for (const path of paths) {
      for (const order of [1, -1] as const) {
        await check({}, { [path]: order });
        await check({}, { [path]: order }, 7);
        await check({ group: 'g' }, { [path]: order }, 3);
        await check({ [path]: { $ne: null } }, { [path]: order }, 5);
      }
    }
    // With `_id` or a mixed path after indexed ones, SQLite orders by the leading keys and each run of equal ones is sorted apart.
    const compoundSorts: Record<string, 1 | -1>[] = [
      { date: 1, num: -1 }, { date: -1, num: 1 }, { bool: 1, str: 1 }, { num: 1, _id: 1 },
      { date: -1, _id: -1 }, { bool: 1, date: -1, _id: -1 }, { bool: -1, mixed: 1 }, { str: 1, later: -1, _id: 1 },
    ];
    for (const sort of compoundSorts) {
      await check({}, sort);
      await check({ group: 'g', date: { $lte: new Date(10 * day) } }, sort, 4);
    }
    expect(differing).toEqual([]);

    // What MongoDB answers, written out, and (on the embedded default) which sorts were left to SQLite.
    // A field named `oid` (or `rowid`) is a field, not SQLite's row id.
    const withOid5 = documents.filter((doc) => doc.oid instanceof mongo.ObjectId && doc.oid.equals(oid(5))).map((doc) => doc._id);
    expect(withOid5.length).toBeGreaterThan(0);
    expect((await docs.find({ oid: oid(5) }).toArray()).map((doc) => doc._id).sort()).toEqual(withOid5.sort());
    // Agenda's kind of claim: the earliest date on or after 1970 in group g is d37's (one day), its only holder there.
    const first = await docs.findOneAndUpdate({ group: 'g', date: { $gte: new Date(0) } }, { $set: { touched: true } }, { sort: { date: 1, num: -1 } });
    expect(first?._id).toBe('d37');
    const { sortPushdown } = (await docs.find({}).sort({ date: 1 }).explain()) as { sortPushdown?: boolean };
    if (sortPushdown !== undefined) {
      const pushed = async (sort: Record<string, 1 | -1>) => ((await docs.find({}).sort(sort).explain()) as { sortPushdown: boolean }).sortPushdown;
      const expected = {
        date: true, num: true, str: true, bool: true, oid: true, 'nested.date': true, scannedDate: true,
        mixed: false, later: false, arrayed: false, indexedLater: false, 'copy.date': false,
      };
      const actual = Object.fromEntries(await Promise.all(Object.keys(expected).map(async (path) => [path, await pushed({ [path]: 1 })] as const)));
      expect(actual).toEqual(expected);
    }
  }, LONG);

  it('take the same time per query at 1,000 and 100,000 documents', async () => {
    const now = Date.now();
    const sizes = [1_000, 100_000] as const;
    const collections = new Map<number, mongo.Collection<Doc>>();
    for (const size of sizes) {
      const docs = collection<Doc>(`scale_${size}`);
      // The shapes the product declares: an integration's account and creation time, a run's
      // integration and start, Agenda's job index and the worker's lock index beside it, and the
      // worker's look-up of an integration's jobs (a dotted path).
      await docs.createIndex({ accountId: 1, createdAt: -1 });
      await docs.createIndex({ integrationId: 1, startedAt: -1 });
      await docs.createIndex({ name: 1, nextRunAt: 1, priority: -1, lockedAt: 1, disabled: 1 });
      await docs.createIndex({ name: 1, lockedAt: 1 });
      await docs.createIndex({ name: 1, 'data.integrationId': 1 });
      // Every key matches 10 documents at both sizes: only the collection grows.
      for (let from = 0; from < size; from += 10_000) {
        await docs.insertMany(
          Array.from({ length: Math.min(10_000, size - from) }, (_, k) => {
            const i = from + k;
            return {
              _id: `d${i}`, accountId: `acc${i % (size / 10)}`, integrationId: `int${i % (size / 10)}`,
              createdAt: new Date(now - i), startedAt: new Date(now - i),
              // One job is due; the others run in a minute or later.
              name: 'sync-integration', nextRunAt: new Date(now + (i === 7 ? -1_000 : 60_000 + i)), lockedAt: null, priority: 0, disabled: false,
              data: { integrationId: `int${i % (size / 10)}`, kind: 'recurring' },
            };
          }),
        );
      }
      collections.set(size, docs);
    }

    // Agenda's poll (@agendajs/mongo-backend getNextJobToRun): lock the next due job, or one whose lock expired.
    // With a later scan time every job is a candidate, and only the sort decides (d7 is due first).
    const lockNextJob = async (docs: mongo.Collection<Doc>, nextScanAt = new Date()) => {
      const job = await docs.findOneAndUpdate(
        { name: 'sync-integration', disabled: { $ne: true }, $or: [{ lockedAt: { $eq: null }, nextRunAt: { $lte: nextScanAt } }, { lockedAt: { $lte: new Date(Date.now() - 600_000) } }] },
        { $set: { lockedAt: new Date() } },
        { sort: { nextRunAt: 1, priority: -1 }, returnDocument: 'after' },
      );
      expect(job?._id).toBe('d7');
      await docs.updateOne({ _id: 'd7' }, { $set: { lockedAt: null } });
    };
    const queries: Record<string, (docs: mongo.Collection<Doc>) => Promise<unknown>> = {
      'equality on a compound prefix ({ accountId })': (docs) => docs.find({ accountId: 'acc7' }).toArray(),
      'equality and sort ({ integrationId }, newest 5)': (docs) => docs.find({ integrationId: 'int7' }).sort({ startedAt: -1 }).limit(5).toArray(),
      '_id $in (50 ids)': (docs) => docs.find({ _id: { $in: Array.from({ length: 50 }, (_, i) => `d${i * 13}`) } }).toArray(),
      'integrationId $in (5 values, 50 documents)': (docs) => docs.find({ integrationId: { $in: ['int1', 'int2', 'int3', 'int4', 'int5'] } }).toArray(),
      "dotted equality ({ name, 'data.integrationId' })": (docs) => docs.find({ name: 'sync-integration', 'data.integrationId': 'int7' }).toArray(),
      "dotted $in ({ name, 'data.integrationId' $in 5 values, 50 documents)": (docs) =>
        docs.find({ name: 'sync-integration', 'data.integrationId': { $in: ['int1', 'int2', 'int3', 'int4', 'int5'] } }).toArray(),
      "Agenda's next job (range, $or, sort, findOneAndUpdate)": lockNextJob,
      "Agenda's next job when every job is due (sorted through the index)": (docs) => lockNextJob(docs, new Date(now + 86_400_000)),
      'sort on an indexed path with limit (first 5 jobs by nextRunAt)': (docs) => docs.find({ name: 'sync-integration' }).sort({ nextRunAt: 1 }).limit(5).toArray(),
      // The product's pages sort by a time, then `_id` (runs, events): the time through the index, ties by `_id`.
      'sort on an indexed path, then _id, with limit (first 5 jobs by nextRunAt, _id)': (docs) =>
        docs.find({ name: 'sync-integration' }).sort({ nextRunAt: 1, _id: 1 }).limit(5).toArray(),
    };

    const SAMPLES = 15;
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const ratios: Record<string, number> = {};
    for (const [name, query] of Object.entries(queries)) {
      const samples = new Map<number, number[]>(sizes.map((size) => [size, []]));
      for (let round = -1; round < SAMPLES; round += 1) {
        // Sizes interleaved, so the machine's load weighs on both alike; round -1 warms up.
        for (const size of sizes) {
          const started = performance.now();
          await query(collections.get(size)!);
          if (round >= 0) samples.get(size)!.push(performance.now() - started);
        }
      }
      const [small, large] = sizes.map((size) => median(samples.get(size)!));
      ratios[name] = large! / small!;
      console.log(`${name}: ${small!.toFixed(2)} ms at 1,000, ${large!.toFixed(2)} ms at 100,000 documents (× ${ratios[name]!.toFixed(2)})`);
    }
    // Reading every document makes a query about 100 times slower at 100 times the documents.
    for (const [name, ratio] of Object.entries(ratios)) expect(ratio, name).toBeLessThan(3);
  }, LONG);
});

describe('documents read back', () => {
  it('every value comes back as it was written: type, value and field order', async () => {
    const { Binary, BSONRegExp, Double, EJSON, Int32, Long, ObjectId, Timestamp } = mongo.BSON;
    const strings = ['', 'plain', 'say "hi"\\ now', 'tab\there\nnew line\r\u0001\u001f', '<a href=\'x\'>&amp;</a>', 'città · 日本 · 😀', 'a\u2028b\u2029c', 'a\u0000b'];
    // -0 is left out: the embedded default reads it back as 0 (tools/devdb/README.md).
    const doubles = [1.5, 0, 0.1, 1 / 3, 2 ** 53, -1.25e-300, Number.MAX_VALUE, Number.MIN_VALUE, 42, -7];
    const dates = [new Date(0), new Date(-86_400_001), new Date('2026-12-05T02:03:04.005Z'), new Date('9999-12-31T23:59:59.999Z')];
    const written = {
      _id: new ObjectId('64b7f0c2a1b2c3d4e5f60718'),
      strings,
      doubles: doubles.map((d) => new Double(d)),
      int32: [new Int32(0), new Int32(-1), new Int32(2 ** 31 - 1), new Int32(-(2 ** 31))],
      longs: [Long.fromString('9223372036854775807'), Long.fromString('-9223372036854775808'), Long.fromString('9007199254740993'), Long.fromInt(0)],
      dates,
      flags: { yes: true, no: false, none: null },
      ids: [new ObjectId('0123456789abcdefABCDEF01'), new ObjectId('ffffffffffffffffffffffff')],
      binary: [new Binary(Buffer.from([0, 1, 2, 255]), 0), new Binary(Buffer.alloc(0), 0), new Binary(Buffer.from('secret'), 128)],
      regex: new BSONRegExp('^a"b\\d+$', 'im'),
      timestamp: new Timestamp({ t: 1_700_000_000, i: 7 }),
      nested: { empty: {}, emptyArray: [], deep: { deeper: { deepest: 'x', n: new Int32(1) } }, mixed: [new Int32(1), 'two', { three: 3.5 }, null, new Date(5)] },
      entries: Array.from({ length: 6 }, (_, i) => ({ attribute: `A${i}`, field: `F${i}`, direction: null, valuePairs: i % 2 ? [{ salesforce: 'x', value: new Int32(i), label: 'X' }] : null })),
    };
    // Keys that need escapes in a document of their own: the embedded default decodes such a document another way.
    const oddKeys = { _id: 'odd keys', nested: { 'quote"key': 1, 'back\\slash': 2, città: 3, '': 4, ' ': 5, 'tab\tkey': 6 } };
    // The same at the top level, where the embedded default writes keys itself.
    const oddTopKeys = { _id: 'odd top-level keys', 'quote"key': 1, 'back\\slash': 2, città: 3, 'tab\tkey': 4, '<&>': 5, 'a\u2028b': 6 };
    const docs = collection<{ _id: string | mongo.ObjectId } & Record<string, unknown>>('read_back');
    await docs.insertMany([written, oddKeys, oddTopKeys]);
    const options = { promoteValues: false, promoteLongs: false, promoteBuffers: false } as const;
    const exact = (doc: unknown) => EJSON.stringify(doc, { relaxed: false });
    // Read twice: the second read decodes with the schema the first one left behind (tools/devdb).
    for (let i = 0; i < 2; i += 1) {
      expect(exact(await docs.findOne({ _id: written._id }, options))).toEqual(exact(written));
      expect(exact(await docs.findOne({ _id: oddTopKeys._id }, options))).toEqual(exact(oddTopKeys));
      expect(exact(await docs.find({}, { ...options, sort: { _id: -1 } }).toArray())).toEqual(exact([written, oddTopKeys, oddKeys]));
    }
  });

  it('an exclusion projection removes what MongoDB removes, and only from what it returns', async () => {
    const docs = collection<{ _id: string } & Record<string, unknown>>('projected');
    const full = {
      _id: 'p1',
      a: 1,
      secret: 's',
      b: { c: 1, d: 2, e: { f: 3, g: 4 } },
      arr: [{ x: 1, y: 2 }, { x: 3 }, 5, { y: 6, z: { y: 7 } }],
      scalar: 'text',
    };
    await docs.insertMany([full, { _id: 'p2', a: 2, b: { c: 'only c' } }]);
    const find = (projection: mongo.Document) => docs.find({}, { projection, sort: { _id: 1 } }).toArray();

    expect(await find({ secret: 0, 'b.c': 0, 'b.e.g': 0, 'arr.y': 0, missing: 0, 'b.missing.deep': 0, 'scalar.deep': 0 })).toEqual([
      { _id: 'p1', a: 1, b: { d: 2, e: { f: 3 } }, arr: [{ x: 1 }, { x: 3 }, 5, { z: { y: 7 } }], scalar: 'text' },
      { _id: 'p2', a: 2, b: {} },
    ]);
    expect(await find({ _id: 0, b: 0, arr: 0 })).toEqual([{ a: 1, secret: 's', scalar: 'text' }, { a: 2 }]);
    const { _id, ...withoutId } = full;
    expect(await find({ _id: 0 })).toEqual([withoutId, { a: 2, b: { c: 'only c' } }]);
    // What a projection removed is still stored.
    expect(await docs.findOne({ _id: 'p1' })).toEqual(full);
  });
});

describe('a NaN in a request', () => {
  // The product writes none (it refuses NaN where a number comes in). MongoDB stores one; FerretDB cannot, and the embedded
  // default refuses the whole request (tools/devdb/README.md, point 10): nothing of it is applied, and the client goes on.
  it('is stored by MongoDB; refused whole by the embedded default with a BadValue error, on a connection that goes on', async () => {
    const values = collection<{ _id?: mongo.ObjectId; v: unknown; x?: number }>('nan');
    const embedded = 'ferretdbVersion' in (await db.connection.db!.admin().command({ buildInfo: 1 }));
    if (!embedded) {
      await values.insertOne({ v: Number.NaN });
      expect(Number.isNaN((await values.findOne())!.v)).toBe(true);
      return;
    }
    const refused = { code: 2, message: 'NaN is not supported' };
    await expect(values.insertOne({ v: Number.NaN })).rejects.toMatchObject(refused);
    // The first document is fine, the second has a NaN deep inside: neither is written.
    await expect(values.insertMany([{ v: 1 }, { v: { a: [1, { b: Number.NaN }] } }])).rejects.toMatchObject(refused);
    await expect(values.updateOne({ x: 1 }, { $set: { v: Number.NaN } }, { upsert: true })).rejects.toMatchObject(refused);
    await expect(values.find({ v: { $in: [1, Number.NaN] } }).toArray()).rejects.toMatchObject(refused);
    expect(await values.countDocuments()).toBe(0);
    // Infinities are no NaN (FerretDB refuses to store them, as shipped, but for another reason).
    await expect(values.find({ v: Number.POSITIVE_INFINITY }).toArray()).resolves.toEqual([]);
    await values.insertOne({ v: 2.5 });
    expect((await values.find().toArray()).map((doc) => doc.v)).toEqual([2.5]);
  });
});
