/**
 * Poll `read` every 10 ms until `done` holds of its value, or `withinMs` (real time) has passed; resolve
 * with the last value read. The caller asserts on it: a condition that never came shows in the assertion.
 * @default withinMs 15000
 */
export async function until<T>(
  read: () => Promise<T> | T,
  done: (value: T) => boolean,
  withinMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + withinMs;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    value = await read();
  }
  return value;
}
