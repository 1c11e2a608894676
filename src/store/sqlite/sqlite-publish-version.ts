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
import type { SqliteAnnounce } from "./sqlite-announce.js";
import type { SqliteRuns } from "./sqlite-runs.js";
import { immediateTransaction, type SqliteDb } from "./sqlite-db.js";
import { globalTimeoutMs } from "../shared/global-timeout.js";
import { toLifecycleCounts, toVersion, type DbVersion } from "../shared/rows.js";
import { sqlList } from "../shared/sql-list.js";
import { versionPublished, versionReplaced } from "../shared/transitions.js";

/** Who publishes when the caller names nobody. */
const SYSTEM: Actor = { actor: "system", reason: "published" };

/**
 * `Store.publishVersion`: draft -> live; the journey's live or paused version -> closed, in one
 * transaction, each with an audit entry and a notification. The version's global timeout is read from
 * its definition here and kept on its row, for the sweep. The journeys that its `remove_from_flow` nodes
 * name are bound to their ids here, and the definition is kept with the ids (`bindJourneyNames`); a name
 * that matches no one journey of the workspace fails the publish with a `ValidationError`. The
 * `audience` run or schedule is written in the same transaction (`runs`' statements nest in it).
 */
export function makeSqlitePublishVersion(
  db: SqliteDb,
  announce: SqliteAnnounce,
  runs: SqliteRuns,
): (
  workspaceId: string,
  versionId: string,
  now: Millis,
  actor?: Actor,
  audience?: PublishAudience,
) => PublishedVersion {
  const get = db.prepare<[string, string], DbVersion>(
    "SELECT * FROM versions WHERE workspace_id = ? AND id = ?",
  );
  const activeOf = db.prepare<[string], DbVersion>(
    `SELECT * FROM versions WHERE journey_id = ? AND status IN ${sqlList(VERSION_STATUS_RULES.active)}`,
  );
  /* Closed is not finished: ended_at stays null until the last enrollment ends. */
  const close = db.prepare(
    "UPDATE versions SET status = 'closed', closed_at = ?, pause_until = NULL, pause_then = NULL WHERE id = ?",
  );
  const publish = db.prepare(
    `UPDATE versions SET status = 'live', published_at = ?, global_timeout_ms = ?, definition = COALESCE(?, definition)
      WHERE id = ?`,
  );
  const journeysOf = db.prepare<[string], { id: string; name: string }>(
    "SELECT id, name FROM journeys WHERE workspace_id = ?",
  );
  const touchJourney = db.prepare("UPDATE journeys SET updated_at = ? WHERE id = ?");

  /** The audience's run or first fire time, for the version just published; the run, if one was made. */
  function startAudience(
    version: Version,
    audience: PublishAudience | undefined,
    actor: Actor,
    now: Millis,
  ): Run | null {
    if (audience === undefined) return null;
    if (audience.kind === "schedule") {
      runs.setScheduleNext(version.workspaceId, version.id, audience.nextAt);
      return null;
    }
    return runs.createRun(
      {
        workspaceId: version.workspaceId,
        journeyId: version.journeyId,
        versionId: version.id,
        trigger: "now",
        actor: actor.actor,
      },
      now,
    );
  }

  return immediateTransaction(
    db,
    (
      workspaceId: string,
      versionId: string,
      now: Millis,
      actor: Actor = SYSTEM,
      audience?: PublishAudience,
    ): PublishedVersion => {
      const row = get.get(workspaceId, versionId);
      if (!row) throw new NotFoundError("version", versionId);
      planVersionAction(row.status, "publish", row.number);
      const definition = JSON.parse(row.definition) as JsonObject;
      let boundText: string | null = null;
      if (namedJourneys(definition).length > 0) {
        const binding = bindJourneyNames(definition, journeysOf.all(workspaceId));
        if (!binding.ok) throw new ValidationError(binding.issues);
        if (binding.changed) boundText = JSON.stringify(binding.definition);
      }
      const previous = activeOf.get(row.journey_id);
      if (previous) {
        close.run(now, previous.id);
        announce(versionReplaced(previous, row.number, toLifecycleCounts(previous), actor, now));
      }
      publish.run(now, globalTimeoutMs(definition), boundText, versionId);
      announce(versionPublished(row, previous?.number ?? null, actor, now));
      touchJourney.run(now, row.journey_id);
      const published = get.get(workspaceId, versionId);
      if (!published) throw new NotFoundError("version", versionId);
      const closed = previous ? get.get(workspaceId, previous.id) : undefined;
      const version = toVersion(published);
      return {
        version,
        closed: closed ? toVersion(closed) : null,
        run: startAudience(version, audience, actor, now),
      };
    },
  );
}
