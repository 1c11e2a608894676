import { z } from "zod";
import type { PageKey } from "../../store/index.js";

/*
 * Cursors are opaque to clients: base64url of a JSON array holding the last item's sort key. A list
 * resumes strictly after that key (keyset paging), so rows inserted between two requests never shift a
 * page: no item is seen twice or skipped.
 */

/** Encode the sort key of a page's last item as a cursor. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key), "utf8").toString("base64url");
}

const BAD_CURSOR = "not a cursor of this list: pass the `nextCursor` of the previous page as it is";

/** A `?cursor=` that decodes to a key of the shape `key` (a 400 naming `query.cursor` otherwise). */
function cursorOf<T extends z.ZodType>(key: T) {
  return z
    .string()
    .min(1)
    .max(1000)
    .transform((text, ctx): z.output<T> => {
      let decoded: unknown;
      try {
        decoded = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
      } catch {
        decoded = undefined;
      }
      const parsed = key.safeParse(decoded);
      if (parsed.success) return parsed.data;
      ctx.addIssue({ code: "custom", message: BAD_CURSOR });
      return z.NEVER;
    })
    .describe("the `nextCursor` of the previous page; absent for the first page")
    .optional();
}

/** A cursor that resumes after an item's time and id (every list but the audit log). */
export const PageKeyCursorSchema = cursorOf(
  z.tuple([z.number().int(), z.string().min(1).max(200)]).transform(([at, id]): PageKey => ({ at, id })),
);

/** A cursor that resumes after an audit entry's `seq`. */
export const SeqCursorSchema = cursorOf(z.tuple([z.number().int().min(0)]).transform(([seq]) => seq));

/** The cursor of a page's last item as a `PageKey` cursor. */
export function keyCursor(key: PageKey): string {
  return encodeCursor([key.at, key.id]);
}

/** `?limit=`: how many items a page holds, with its default and maximum. */
export function pageLimitSchema(defaultLimit: number, max: number) {
  return z.coerce
    .number()
    .int()
    .min(1)
    .max(max)
    .default(defaultLimit)
    .describe(`items per page, 1..${max} (default ${defaultLimit})`);
}

/** `?limit=&cursor=` of a list paged by time and id. */
export function pageQuerySchema(defaultLimit: number, max: number) {
  return z.strictObject({ limit: pageLimitSchema(defaultLimit, max), cursor: PageKeyCursorSchema });
}

/** In every list answer: where the next page starts, or null on the last page. */
export const NextCursorSchema = z
  .string()
  .nullable()
  .describe("pass as `cursor` to read the next page; null when this page is the last");

/**
 * Cut the `limit + 1` rows a list read into its page: the first `limit`, and the cursor after the last
 * of them when the extra row shows that more follow.
 */
export function pageOf<T>(
  rows: readonly T[],
  limit: number,
  cursorAfter: (last: T) => string,
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last !== undefined ? cursorAfter(last) : null };
}
