import type { Millis } from "../../core/index.js";
import type { Actor, LifecycleCounts } from "../lifecycle.js";
import { timeOrderedId } from "../shared/ids.js";
import { toLifecycleCounts, type DbScopeCounters, type DbVersion } from "../shared/rows.js";
import type { PgContext } from "./postgres-context.js";
import { lifecycleCountsJsonSql, scopeCountersSql } from "./postgres-counters.js";
import type { CommitHints, Tx } from "./postgres-db.js";
import { literal, parameters, type Placeholder } from "./postgres-sql-values.js";

/** What a lifecycle write leaves behind: one audit entry, and a notification unless `notify` is false. */
export interface Announcement extends Actor {
  readonly version: Pick<DbVersion, "workspace_id" | "id" | "journey_id" | "number">;
  /** `noun:verb`, e.g. `version:stopped`, `run:aborted`: the audit action and the notification type. */
  readonly action: string;
  readonly runId?: string | null;
  readonly counts: LifecycleCounts | null;
  readonly detail: { readonly [key: string]: unknown };
  readonly now: Millis;
  /** @default true */
  readonly notify?: boolean;
}

/** A transition's one-row write: `UPDATE <table> SET <set> WHERE id = <id>`. */
export interface RowChange {
  readonly table: "versions" | "runs";
  readonly id: string;
  /** The SET list, its values written with `p`. */
  readonly set: (p: Placeholder) => string;
}

/**
 * Write an announcement inside the caller's transaction; returns the audit entry's id and seq (taken
 * from `lifecycle_seq`: call it after the transition's brake lock). The audit entry and the notification
 * (titled with the journey's name) are written by one statement: the brake's transactions stay short.
 */
export async function announce(tx: Tx, a: Announcement): Promise<{ id: string; seq: number }> {
  const values: unknown[] = [];
  const { auditId, ctes } = announcementCtes(a, parameters(values));
  const [row] = await tx.query<{ seq: number }>(`WITH ${ctes} SELECT seq FROM recorded`, values);
  if (!row) throw new Error(`audit entry ${auditId} was not written`);
  return { id: auditId, seq: row.seq };
}

/**
 * {@link announce}, with the transition's status write in the same statement: one round trip for both.
 * Returns the audit entry's id and the changed row, undefined when the change matched no row (the
 * caller throws, and the transaction, announcement included, rolls back).
 */
export async function changeAndAnnounce<R extends object>(
  tx: Tx,
  change: RowChange,
  a: Announcement,
): Promise<{ id: string; row: R | undefined }> {
  const values: unknown[] = [];
  const p = parameters(values);
  const update = `UPDATE ${change.table} SET ${change.set(p)} WHERE id = ${p(change.id)} RETURNING *`;
  const { auditId, ctes } = announcementCtes(a, p);
  /* Every data-modifying CTE runs to completion whether or not the outer SELECT reads it. */
  const [row] = await tx.query<R>(`WITH changed AS (${update}), ${ctes} SELECT * FROM changed`, values);
  return { id: auditId, row };
}

/** A transition planned on a row read before its lock, to be written in one round trip. */
export interface PlannedChange {
  readonly change: RowChange;
  /** The status the plan was made from: nothing is written unless the row still has it under the lock. */
  readonly from: string;
  /** The exclusive lock statement (postgres-locks.ts `lockVersionLead`, `lockRunLead`). */
  readonly lock: string;
  /** Its `counts` are left out (null): the statement reads them under the lock. */
  readonly announcement: Announcement;
  readonly hints?: Partial<CommitHints>;
}

/**
 * A lifecycle transition in ONE round trip (`txInOneMessage`): BEGIN, the scope's exclusive lock, then one
 * statement that reads the scope's counts (after the lock: every claim it waited for is counted), writes
 * the row if its status is still `from`, and records the announcement with those counts, then COMMIT.
 * Returns the audit id, the changed row and the counts; undefined when the status had moved since the plan
 * was made (nothing was written: the caller plans again under the lock).
 */
export async function changeAndAnnounceInOneMessage<R extends object>(
  ctx: Pick<PgContext, "txInOneMessage">,
  t: PlannedChange,
): Promise<{ id: string; row: R; counts: LifecycleCounts } | undefined> {
  const p = literal;
  const { table, id, set } = t.change;
  const { auditId, ctes } = announcementCtes({ ...t.announcement, counts: null }, p, {
    from: "changed, counted",
    counts: "counted.counts",
  });
  const statement = `WITH
     scope AS (SELECT s.id, c.* FROM ${table} s, LATERAL (${scopeCountersSql("s.id")}) c
                WHERE s.workspace_id = ${p(t.announcement.version.workspace_id)} AND s.id = ${p(id)}
                  AND s.status = ${p(t.from)}),
     changed AS (UPDATE ${table} SET ${set(p)}
                  WHERE id = (SELECT id FROM scope) AND status = ${p(t.from)} RETURNING *),
     counted AS (SELECT ${lifecycleCountsJsonSql("scope")} AS counts FROM scope),
     ${ctes}
   SELECT changed.*, scope.active_enrollments, scope.pending_outbox, scope.claimed_outbox,
          scope.done_outbox, scope.cancelled_outbox
     FROM changed, scope`;
  const [, rows] = await ctx.txInOneMessage("durable", [t.lock, statement], t.hints);
  const row = rows?.[0] as (R & DbScopeCounters) | undefined;
  if (!row) return undefined;
  return { id: auditId, row, counts: toLifecycleCounts(row) };
}

/**
 * Where the one-message form takes the announcement's rows and counts: `from` is a FROM list (no row, no
 * announcement), `counts` an SQL text expression of the counts' JSON.
 */
interface AnnouncementSource {
  readonly from: string;
  readonly counts: string;
}

/** The `recorded` (audit, RETURNING seq) and `notified` CTEs; their values written with `p`. */
function announcementCtes(
  a: Announcement,
  p: Placeholder,
  source?: AnnouncementSource,
): { auditId: string; ctes: string } {
  const v = a.version;
  const auditId = timeOrderedId(a.now);
  const from = source === undefined ? "" : `FROM ${source.from}`;
  const [ws, at, action, journey, version] = [v.workspace_id, a.now, a.action, v.journey_id, v.id].map(p);
  const [id, actor, reason, run] = [auditId, a.actor, a.reason, a.runId ?? null].map(p);
  const counts = source?.counts ?? p(a.counts === null ? null : JSON.stringify(a.counts));
  const recorded = `recorded AS (
       INSERT INTO audit (workspace_id, id, seq, at, actor, reason, action, journey_id, version_id, run_id,
                          counts, detail)
       SELECT ${ws}, ${id}, nextval('lifecycle_seq'), ${at}, ${actor}, ${reason}, ${action}, ${journey},
              ${version}, ${run}, ${counts}, ${p(JSON.stringify(a.detail))} ${from}
       RETURNING seq
     )`;
  if (a.notify === false) return { auditId, ctes: recorded };
  const [noun, verb] = a.action.split(":");
  const subject = noun === "run" ? `a run of version ${v.number}` : `version ${v.number}`;
  const title = p(`${subject} ${verb ?? a.action}`);
  const notified = `notified AS (
       INSERT INTO notifications (workspace_id, id, at, type, journey_id, version_id, title, detail)
       SELECT ${ws}, ${p(timeOrderedId(a.now))}, ${at}, ${action}, ${journey}, ${version},
              'Journey "' || COALESCE((SELECT name FROM journeys WHERE id = ${journey}), ${journey}) || '": '
                || ${title},
              ${notificationDetail(a, auditId, p, source)} ${from}
     )`;
  return { auditId, ctes: `${recorded}, ${notified}` };
}

/** The notification's detail: the audit detail with the actor, the reason, the counts and the audit id. */
function notificationDetail(
  a: Announcement,
  auditId: string,
  p: Placeholder,
  source?: AnnouncementSource,
): string {
  const { actor, reason, counts } = a;
  if (source === undefined) return p(JSON.stringify({ ...a.detail, actor, reason, counts, auditId }));
  /* The same text, with the counts the statement read spliced in where JSON.stringify puts them. */
  const head = JSON.stringify({ ...a.detail, actor, reason });
  const tail = JSON.stringify({ auditId }).slice(1);
  return `(${p(`${head.slice(0, -1)},"counts":`)} || ${source.counts} || ${p(`,${tail}`)})`;
}
