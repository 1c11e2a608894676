import pg from "pg";
import type { Tx } from "./postgres-db.js";

/**
 * The brake's locks: transaction-level advisory locks keyed by a version's or a run's id (ARCHITECTURE,
 * "The brake guarantee": a shared lock on the same key as the row). Every transaction that claims outbox
 * items, advances enrollments or creates them takes the SHARED lock of each version (and run) it touches,
 * then re-reads its status (claims and steps take it last, after their work: postgres-lock-last.ts). Stop,
 * close, pause, run abort and publish take the EXCLUSIVE lock before they write the status. So a claim either commits before the stop takes its lock (the item was dispatched
 * before the stop), or it waits for the stop's commit and then reads the new status (READ COMMITTED: every
 * statement takes a fresh snapshot) and claims nothing.
 *
 * Advisory rather than `FOR SHARE` row locks: shared row locks write the tuple header (a MultiXact when
 * several workers hold one) on every claim; advisory locks live in memory. A hash collision only makes two
 * unrelated scopes wait for each other. `FOR KEY SHARE` would not do: it does not conflict with an UPDATE.
 */
export const VERSION_SPACE = 1;
export const RUN_SPACE = 2;

/** Lock spaces for other singletons (the matcher, migrations). */
export const SINGLETON_SPACE = 3;
export const MATCHER_KEY = 1;
export const MIGRATION_KEY = 2;

/** Exclusively lock a version's scope: waits for every claim in flight on it, blocks new ones until commit. */
export async function lockVersion(tx: Tx, versionId: string): Promise<void> {
  await tx.query("SELECT pg_advisory_xact_lock($1, hashtext($2))", [VERSION_SPACE, versionId]);
}

/**
 * {@link lockVersion} as a statement without parameters, for the `lead` of `ctx.tx`: it travels with
 * BEGIN, so the body starts holding the lock, one round trip sooner. The body's first read still takes
 * its snapshot after the lock is granted.
 * @example ctx.tx("durable", (tx) => apply(tx, c), lockVersionLead(c.versionId))
 */
export function lockVersionLead(versionId: string): string {
  return exclusiveLead(VERSION_SPACE, versionId);
}

/** Exclusively lock a run's scope, as the `lead` of `ctx.tx` (see {@link lockVersionLead}). */
export function lockRunLead(runId: string): string {
  return exclusiveLead(RUN_SPACE, runId);
}

/* The same key as the parameterized forms: hashtext of the same text. The id comes from the caller:
   quoted, never spliced. */
function exclusiveLead(space: number, id: string): string {
  return `SELECT pg_advisory_xact_lock(${space}, hashtext(${pg.escapeLiteral(id)}))`;
}
