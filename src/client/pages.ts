import type { Page } from "./types.js";

/**
 * Read a list to its end, or until `max` items: call `read` with each page's `nextCursor` in turn.
 * Returns the items, and the cursor of what is left unread (null when the list was read to its end).
 *
 * @example
 * const { items } = await readPages((cursor) => waymark.runs(journeyId, { cursor, limit: 500 }));
 */
export async function readPages<T>(
  read: (cursor: string | undefined) => Promise<Page<T>>,
  max = Number.POSITIVE_INFINITY,
): Promise<{ items: T[]; nextCursor: string | null }> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await read(cursor);
    items.push(...page.items);
    if (page.nextCursor === null || items.length >= max) {
      return { items: items.slice(0, max), nextCursor: page.nextCursor };
    }
    cursor = page.nextCursor;
  }
}
