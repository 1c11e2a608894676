import {
  bindJourneyNames,
  namedJourneys,
  NotFoundError,
  planVersionAction,
  ValidationError,
  type JsonObject,
  type Millis,
  type Run,
  type Version,
  VERSION_STATUS_RULES,
} from "../../core/index.js";
import type { Actor } from "../lifecycle.js";
import type { PublishAudience, PublishedVersion } from "../store.js";
import { toLifecycleCounts, type DbScopeCounters } from "../shared/rows.js";
import { globalTimeoutMs } from "../shared/global-timeout.js";
import { announce } from "./postgres-announce.js";
import type { PgContext } from "./postgres-context.js";
import { scopeCountersSql } from "./postgres-counters.js";
import type { Tx } from "./postgres-db.js";
import { lockVersion } from "./postgres-locks.js";
import { pgVersion, type PgVersionRow } from "./postgres-rows.js";
import { sqlList } from "../shared/sql-list.js";
import { versionPublished, versionReplaced } from "../shared/transitions.js";
import { insertRun, writeScheduleNext } from "./postgres-runs.js";

/** Who publishes when the caller names nobody. */
const SYSTEM: Actor = { actor: "system", reason: "published" };

/**
 * `Store.publishVersion`: draft -> live; the journey's live or paused version -> closed, in one durable
 * transaction, each with an audit entry and a notification. Both versions' brake locks are taken (in id
 * order) before either status is written, and both statuses are read again under them: a stop, pause or
 * publish that commits meanwhile is seen. The version's global timeout is read from its definition here
 * and kept on its row, for the sweep. The journeys that its `remove_from_flow` nodes name are bound to
 * their ids here, and the definition is kept with the ids (`bindJourneyNames`); a name that matches no one
 * journey of the workspace fails the publish with a `ValidationError`. Wakes the other processes: the new
 * version takes entries. The `audience` run or schedule is written in the same transaction.
 */
export function makePgPublishVersion(
  ctx: PgContext,
): (
  workspaceId: string,
  versionId: string,
  now: Millis,
  actor?: Actor,
  audience?: PublishAudience,
) => Promise<PublishedVersion> {
  return (workspaceId, versionId, now, actor = SYSTEM, audience) =>
    ctx.tx("durable", async (tx) => {
      const first = await getVersion(tx, workspaceId, versionId);
      planVersionAction(first.status, "publish", first.number);
      const locked = new Set<string>();
      let previous = await activeOf(tx, first.journey_id);
      for (;;) {
        const wanted = [versionId, ...(previous ? [previous.id] : [])].filter((id) => !locked.has(id)).sort();
        if (wanted.length === 0) break;
        for (const id of wanted) {
          await lockVersion(tx, id);
          locked.add(id);
        }
        previous = await activeOf(tx, first.journey_id);
      }
      const row = await getVersion(tx, workspaceId, versionId);
      planVersionAction(row.status, "publish", row.number);
      const definition = JSON.parse(row.definition) as JsonObject;
      let boundText: string | null = null;
      if (namedJourneys(definition).length > 0) {
        const journeys = await tx.query<{ id: string; name: string }>(
          "SELECT id, name FROM journeys WHERE workspace_id = $1",
          [workspaceId],
        );
        const binding = bindJourneyNames(definition, journeys);
        if (!binding.ok) throw new ValidationError(binding.issues);
        if (binding.changed) boundText = JSON.stringify(binding.definition);
      }

      let closed: PgVersionRow | null = null;
      if (previous) {
        const [counts] = await tx.query<DbScopeCounters>(scopeCountersSql("$1"), [previous.id]);
        /* Closed is not finished: ended_at stays null until the last enrollment ends. */
        [closed = null] = await tx.query<PgVersionRow>(
          `UPDATE versions SET status = 'closed', closed_at = $2, pause_until = NULL, pause_then = NULL
            WHERE id = $1 RETURNING *`,
          [previous.id, now],
        );
        const closedCounts = counts ? toLifecycleCounts(counts) : null;
        await announce(tx, versionReplaced(previous, row.number, closedCounts, actor, now));
      }
      const [published] = await tx.query<PgVersionRow>(
        `UPDATE versions SET status = 'live', published_at = $2, global_timeout_ms = $3,
                definition = COALESCE($4, definition)
          WHERE id = $1 RETURNING *`,
        [versionId, now, globalTimeoutMs(definition), boundText],
      );
      if (!published) throw new NotFoundError("version", versionId);
      await announce(tx, versionPublished(row, previous?.number ?? null, actor, now));
      await tx.query("UPDATE journeys SET updated_at = $2 WHERE id = $1", [row.journey_id, now]);
      tx.wake();
      const version = pgVersion(published);
      return {
        version,
        closed: closed ? pgVersion(closed) : null,
        run: await startAudience(tx, version, audience, actor, now),
      };
    });
}

/** The audience's run or first fire time, for the version just published; the run, if one was made. */
async function startAudience(
  tx: Tx,
  version: Version,
  audience: PublishAudience | undefined,
  actor: Actor,
  now: Millis,
): Promise<Run | null> {
  if (audience === undefined) return null;
  if (audience.kind === "schedule") {
    await writeScheduleNext(tx, version.workspaceId, version.id, audience.nextAt);
    return null;
  }
  const input = {
    workspaceId: version.workspaceId,
    journeyId: version.journeyId,
    versionId: version.id,
    trigger: "now",
    actor: actor.actor,
  } as const;
  return insertRun(tx, input, now);
}

async function getVersion(tx: Tx, workspaceId: string, versionId: string): Promise<PgVersionRow> {
  const [row] = await tx.query<PgVersionRow>("SELECT * FROM versions WHERE workspace_id = $1 AND id = $2", [
    workspaceId,
    versionId,
  ]);
  if (!row) throw new NotFoundError("version", versionId);
  return row;
}

async function activeOf(tx: Tx, journeyId: string): Promise<PgVersionRow | null> {
  const [row] = await tx.query<PgVersionRow>(
    `SELECT * FROM versions WHERE journey_id = $1 AND status IN ${sqlList(VERSION_STATUS_RULES.active)}`,
    [journeyId],
  );
  return row ?? null;
}
