import type { Store } from "../src/store/index.js";

/** Where the engine's main-thread time went, from {@link timeStore}. */
export interface StoreTime {
  /** Real seconds spent inside store calls (the embedded store does its work synchronously in them). */
  readonly storeSeconds: number;
  /** The part of `storeSeconds` spent in the engine's callbacks run inside a transaction (the interpreter). */
  readonly callbackSeconds: number;
  /** Store calls, by method name. */
  readonly calls: { readonly [method: string]: number };
  /** Real seconds inside store calls, by method name (callbacks included). */
  readonly seconds: { readonly [method: string]: number };
}

/**
 * Wrap `store` so that the time spent inside each of its calls is added up. Meant for the embedded store,
 * whose calls do their SQLite work before they return their promise: the time measured is the store's
 * share of the one thread. Callbacks the engine passes in (`matchEvents`' plan, `advanceDue`'s step,
 * `writeRunPage`'s plan) are timed apart, so that `storeSeconds - callbackSeconds` is SQLite and the
 * adapter's own code. On the PostgreSQL store, whose calls wait for the network, the figure means nothing.
 */
export function timeStore(store: Store): {
  readonly store: Store;
  /** What was measured since the wrapper was made or last reset. */
  readonly time: () => StoreTime;
  /** Start measuring afresh (after a set-up that should not count). */
  readonly reset: () => void;
} {
  let storeMs = 0;
  let callbackMs = 0;
  let calls: Record<string, number> = {};
  let methodMs: Record<string, number> = {};
  const timedCallback =
    (fn: unknown) =>
    (...args: unknown[]): unknown => {
      const started = performance.now();
      try {
        return (fn as (...a: unknown[]) => unknown)(...args);
      } finally {
        callbackMs += performance.now() - started;
      }
    };
  const wrapped = new Proxy(store, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== "function") return value;
      const name = String(key);
      return (...args: unknown[]): unknown => {
        const passed = args.map((a) => (typeof a === "function" ? timedCallback(a) : a));
        const started = performance.now();
        try {
          return (value as (...a: unknown[]) => unknown).apply(target, passed);
        } finally {
          const took = performance.now() - started;
          storeMs += took;
          calls[name] = (calls[name] ?? 0) + 1;
          methodMs[name] = (methodMs[name] ?? 0) + took;
        }
      };
    },
  });
  return {
    store: wrapped,
    time: () => ({
      storeSeconds: Number((storeMs / 1000).toFixed(2)),
      callbackSeconds: Number((callbackMs / 1000).toFixed(2)),
      calls: { ...calls },
      seconds: Object.fromEntries(
        Object.entries(methodMs).map(([name, ms]) => [name, Number((ms / 1000).toFixed(2))]),
      ),
    }),
    reset: () => {
      storeMs = 0;
      callbackMs = 0;
      calls = {};
      methodMs = {};
    },
  };
}
