import type { Enrollment, NodeStats } from "../../core/index.js";
import type { EnrollmentQuery, TimelineEntry } from "../store.js";
import type { SqliteDb } from "./sqlite-db.js";
import {
  toEnrollment,
  toNodeStatsList,
  type DbBranchStats,
  type DbEnrollment,
  type DbNodeStats,
} from "../shared/rows.js";

interface DbLog {
  readonly enrollment_id: string;
  readonly position: number;
  readonly version_id: string;
  readonly node_id: string;
  readonly at: number;
  readonly outcome: TimelineEntry["outcome"];
  readonly resumed: number;
  readonly detail: string | null;
}

/** The reads behind the Results views. */
export interface SqliteResults {
  nodeStats(workspaceId: string, versionId: string): NodeStats[];
  getEnrollment(workspaceId: string, enrollmentId: string): Enrollment | null;
  listEnrollments(workspaceId: string, query: EnrollmentQuery): Enrollment[];
  timeline(workspaceId: string, enrollmentId: string): TimelineEntry[];
}

/** Prepare the result reads. */
export function makeSqliteResults(db: SqliteDb): SqliteResults {
  const stats = db.prepare<[string, string], DbNodeStats>(
    `SELECT node_id, entered, waiting, completed, failed, cancelled, dispatched, actions_cancelled, succeeded,
            actions_failed
       FROM node_stats WHERE workspace_id = ? AND version_id = ? ORDER BY node_id`,
  );
  const branches = db.prepare<[string, string], DbBranchStats>(
    "SELECT node_id, branch, taken FROM branch_stats WHERE workspace_id = ? AND version_id = ? ORDER BY node_id, branch",
  );
  const get = db.prepare<[string, string], DbEnrollment>(
    "SELECT * FROM enrollments WHERE workspace_id = ? AND id = ?",
  );
  /* `? IS NULL OR`: one statement for the four filter combinations; the workspace prefix keeps it indexed. */
  const list = db.prepare<
    [string, string | null, string | null, string | null, string | null, number],
    DbEnrollment
  >(
    `SELECT * FROM enrollments
      WHERE workspace_id = ? AND (? IS NULL OR profile_id = ?) AND (? IS NULL OR journey_id = ?)
      ORDER BY entered_at DESC, rowid DESC LIMIT ?`,
  );
  const log = db.prepare<[string, string], DbLog>(
    "SELECT * FROM log WHERE workspace_id = ? AND enrollment_id = ? ORDER BY position",
  );

  return {
    nodeStats: (workspaceId, versionId) =>
      toNodeStatsList(stats.all(workspaceId, versionId), branches.all(workspaceId, versionId)),
    getEnrollment(workspaceId, enrollmentId) {
      const row = get.get(workspaceId, enrollmentId);
      return row ? toEnrollment(row) : null;
    },
    listEnrollments(workspaceId, q) {
      const profileId = q.profileId ?? null;
      const journeyId = q.journeyId ?? null;
      return list
        .all(workspaceId, profileId, profileId, journeyId, journeyId, q.limit ?? -1)
        .map(toEnrollment);
    },
    timeline: (workspaceId, enrollmentId) =>
      log.all(workspaceId, enrollmentId).map((r) => ({
        enrollmentId: r.enrollment_id,
        versionId: r.version_id,
        position: r.position,
        nodeId: r.node_id,
        at: r.at,
        outcome: r.outcome,
        resumed: r.resumed !== 0,
        ...(r.detail === null ? {} : { detail: JSON.parse(r.detail) as TimelineEntry["detail"] }),
      })),
  };
}
