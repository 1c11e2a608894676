import type { Store } from "../../src/store/index.js";

/**
 * A view of `store` whose methods named in `overrides` are replaced; every other member is the
 * store's own. Lets a test slow a store call down, make it fail, or count its callers.
 *
 * @example
 * const counted = wrapStore(h.store, { claimOutbox: (...args) => { claims++; return h.store.claimOutbox(...args); } });
 */
export function wrapStore(store: Store, overrides: Partial<Store>): Store {
  return new Proxy(store, {
    get(target, key) {
      if (Object.hasOwn(overrides, key)) return overrides[key as keyof Store];
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
