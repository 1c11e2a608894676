/** A queue that runs its tasks one at a time, in the order they were handed to it. */
export interface Serial {
  /**
   * Run `work` once every task handed in before it has settled. Resolves or rejects as `work` does; a
   * failed task does not stop the ones queued after it.
   */
  run<T>(work: () => Promise<T>): Promise<T>;
}

/** Create an empty queue. */
export function createSerial(): Serial {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run(work) {
      const result = tail.then(work);
      tail = result.catch(() => undefined);
      return result;
    },
  };
}
