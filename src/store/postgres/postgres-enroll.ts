import type { Millis } from "../../core/index.js";
import { newBatchDeltas } from "../shared/deltas.js";
import type { EnrollOutcome, EnrollRequest } from "../store.js";
import type { PgContext } from "./postgres-context.js";
import { flushDeltas } from "./postgres-counters.js";
import { enrollMany } from "./postgres-enroll-one.js";

/** `Store.enroll`: every request in one durable transaction, with the rules of `enrollMany`. */
export function makePgEnroll(
  ctx: PgContext,
): (requests: readonly EnrollRequest[], now: Millis) => Promise<EnrollOutcome[]> {
  return (requests, now) =>
    ctx.tx("durable", async (tx) => {
      const deltas = newBatchDeltas();
      const outcomes = await enrollMany(tx, requests, now, deltas);
      await flushDeltas(tx, deltas);
      return outcomes;
    });
}
