/** A sleep that a `wake` cuts short; a `wake` while awake makes the next sleep return at once. */
export interface Waker {
  /** Sleep `ms` real milliseconds, or until `wake`. */
  sleep(ms: number): Promise<void>;
  wake(): void;
}

/** Create a waker for one loop. */
export function createWaker(): Waker {
  let woken = false;
  let resolveSleep: (() => void) | null = null;
  return {
    async sleep(ms) {
      if (woken) {
        woken = false;
        return;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, ms);
        function done(): void {
          clearTimeout(timer);
          resolveSleep = null;
          resolve();
        }
        resolveSleep = done;
      });
      woken = false;
    },
    wake() {
      woken = true;
      resolveSleep?.();
    },
  };
}
