/*
 * Type-level equality for the wire-type checks: each assertion is a constant typed `Assert<...>` and
 * initialised with `true`, so that a pair that is not equal fails the typecheck on that line.
 */

/** `T` with every property and array read-only, at every depth: the client's wire types are read-only. */
export type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends readonly (infer U)[]
    ? readonly DeepReadonly<U>[]
    : T extends object
      ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
      : T;

/** True when each of `A` and `B` is assignable to the other; false otherwise. */
export type MutuallyAssignable<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** True when `A` is assignable to `B`: what the client sends is what the API accepts. */
export type AssignableTo<A, B> = [A] extends [B] ? true : false;

/** Only `true` satisfies it: `const _: Assert<X> = true` fails to compile when `X` is false. */
export type Assert<T extends true> = T;
