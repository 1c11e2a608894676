/**
 * Collects items into batches of `size` and sends each full batch with `send`, awaiting it before
 * more items are accepted (so a streamed file is never held whole in memory).
 */
export interface Batcher<T> {
  /** Add an item; sends a batch when it is full. */
  add(item: T): Promise<void>;
  /** Send what is left. */
  flush(): Promise<void>;
}

/** Build a batcher. @default size 1000 */
export function createBatcher<T>(send: (batch: T[]) => Promise<void>, size = 1000): Batcher<T> {
  let pending: T[] = [];
  return {
    async add(item) {
      pending.push(item);
      if (pending.length >= size) {
        const batch = pending;
        pending = [];
        await send(batch);
      }
    },
    async flush() {
      if (pending.length === 0) return;
      const batch = pending;
      pending = [];
      await send(batch);
    },
  };
}
