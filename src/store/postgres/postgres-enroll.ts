import type { Millis } from "../../core/index.js";
import { newBatchDeltas } from "../shared/deltas.js";
import type { EnrollOutcome, EnrollRequest } from "../store.js";
import type { PgContext } from "./postgres-context.js";
import { flushDeltasSql } from "./postgres-counters.js";
import { commitWith } from "./postgres-db.js";
import { enrollMany } from "./postgres-enroll-one.js";
import { confirmStatusesSql } from "./postgres-lock-last.js";

/**
 * `Store.enroll`: every request in one durable transaction, with the rules of `enrollMany`; the brake's
 * shared locks, the re-read of the statuses and the counters go with COMMIT (postgres-lock-last.ts).
 */
export function makePgEnroll(
  ctx: PgContext,
): (requests: readonly EnrollRequest[], now: Millis) => Promise<EnrollOutcome[]> {
  return (requests, now) =>
    ctx.tx("durable", async (tx) => {
      const deltas = newBatchDeltas();
      const { outcomes, read } = await enrollMany(tx, requests, now, deltas);
      return commitWith([...confirmStatusesSql(read), ...flushDeltasSql(tx.shard, deltas)], () => outcomes);
    });
}
