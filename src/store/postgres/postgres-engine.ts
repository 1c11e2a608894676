import { makePgAdvanceDue } from "./postgres-advance-due.js";
import { makePgClaimOutbox } from "./postgres-claim-outbox.js";
import { makePgCompleteOutbox } from "./postgres-complete-outbox.js";
import type { EngineOps, PgContext } from "./postgres-context.js";
import { makePgEnroll } from "./postgres-enroll.js";
import { makePgMatchEvents } from "./postgres-match-events.js";
import { makePgNextDueAt } from "./postgres-next-due.js";
import { makePgRenewLeases } from "./postgres-renew-leases.js";

/**
 * The engine's hot path over PostgreSQL: matching events, enrolling, stepping due enrollments and the
 * outbox. Every method is one transaction; the batch methods write with a few statements per batch.
 */
export function makePgEngineOps(ctx: PgContext): EngineOps {
  return {
    matchEvents: makePgMatchEvents(ctx),
    enroll: makePgEnroll(ctx),
    advanceDue: makePgAdvanceDue(ctx),
    nextDueAt: makePgNextDueAt(ctx),
    claimOutbox: makePgClaimOutbox(ctx),
    completeOutbox: makePgCompleteOutbox(ctx),
    renewLeases: makePgRenewLeases(ctx),
  };
}
