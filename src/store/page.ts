import type { Millis } from "../core/index.js";

/**
 * Where a keyset-paged list resumes: the sort time and the id of the last item of the previous page.
 * The next page holds the items after it in the list's order, so rows inserted meanwhile never shift a
 * page (no OFFSET).
 */
export interface PageKey {
  readonly at: Millis;
  readonly id: string;
}

/** One page of a list: at most `limit` items after `after`. */
export interface PageQuery {
  /** @default every item */
  readonly limit?: number;
  /** @default from the first item */
  readonly after?: PageKey;
}
