/**
 * Iterates `source` with up to `depth` items asked for ahead of the consumer,
 * so that reading the next Salesforce pages overlaps with writing the current
 * chunk to Brevo and saving its links (the engine otherwise waits on one side
 * at a time). The source's order is kept. An error of an item asked for ahead
 * is thrown when the consumer reaches that item, as without read-ahead.
 * Leaving the loop early (lease lost, quota, an error) ends the source once
 * the items already asked for have settled; their results are dropped.
 *
 * Relies on async generators queueing `next()` calls: asking ahead never runs
 * two fetches of the source at once, it only keeps the next one going.
 */
export async function* readAhead<T>(source: AsyncIterable<T>, depth: number): AsyncGenerator<T, void, undefined> {
  if (!Number.isInteger(depth) || depth < 1) throw new RangeError(`read-ahead depth must be a positive integer, got ${depth}`);
  const iterator = source[Symbol.asyncIterator]();
  const asked: Promise<IteratorResult<T>>[] = [];
  let ended = false;
  const askAhead = () => {
    while (!ended && asked.length < depth) {
      const next = iterator.next();
      // Marks the end and keeps an error from being reported as unhandled before the consumer gets to it.
      next.then(
        (result) => void (result.done && (ended = true)),
        () => void (ended = true),
      );
      asked.push(next);
    }
  };
  let exhausted = false;
  try {
    for (;;) {
      askAhead();
      const result = await asked.shift()!;
      if (result.done) {
        exhausted = true;
        return;
      }
      askAhead();
      yield result.value;
    }
  } finally {
    if (!exhausted) {
      await Promise.allSettled(asked);
      await iterator.return?.();
    }
  }
}
