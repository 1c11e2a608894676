import type { Enrollment, NodeStats } from "../../core/index.js";
import {
  toEnrollment,
  toNodeStatsList,
  type DbBranchStats,
  type DbEnrollment,
  type DbNodeStats,
} from "../shared/rows.js";
import type { EnrollmentQuery, TimelineEntry } from "../store.js";
import type { PgContext } from "./postgres-context.js";

interface DbLog {
  readonly enrollment_id: string;
  readonly position: number;
  readonly version_id: string;
  readonly node_id: string;
  readonly at: number;
  readonly outcome: TimelineEntry["outcome"];
  readonly resumed: boolean;
  readonly detail: string | null;
}

/** The reads behind the Results views. */
export interface PgResults {
  nodeStats(workspaceId: string, versionId: string): Promise<NodeStats[]>;
  getEnrollment(workspaceId: string, enrollmentId: string): Promise<Enrollment | null>;
  listEnrollments(workspaceId: string, query: EnrollmentQuery): Promise<Enrollment[]>;
  timeline(workspaceId: string, enrollmentId: string): Promise<TimelineEntry[]>;
}

/** The result reads. Node counters are summed over their shards: a bounded number of rows per node. */
export function makePgResults(ctx: PgContext): PgResults {
  return {
    async nodeStats(workspaceId, versionId) {
      const rows = await ctx.read<DbNodeStats>(
        `SELECT node_id, SUM(entered) AS entered, SUM(waiting) AS waiting, SUM(completed) AS completed,
                SUM(failed) AS failed, SUM(cancelled) AS cancelled, SUM(dispatched) AS dispatched,
                SUM(actions_cancelled) AS actions_cancelled, SUM(succeeded) AS succeeded,
                SUM(actions_failed) AS actions_failed
           FROM node_stats WHERE workspace_id = $1 AND version_id = $2
          GROUP BY node_id ORDER BY node_id`,
        [workspaceId, versionId],
      );
      const branches = await ctx.read<DbBranchStats>(
        `SELECT node_id, branch, SUM(taken) AS taken FROM branch_stats WHERE workspace_id = $1 AND version_id = $2
          GROUP BY node_id, branch ORDER BY node_id, branch`,
        [workspaceId, versionId],
      );
      return toNodeStatsList(rows, branches);
    },
    async getEnrollment(workspaceId, enrollmentId) {
      const [row] = await ctx.read<DbEnrollment>(
        "SELECT * FROM enrollments WHERE workspace_id = $1 AND id = $2",
        [workspaceId, enrollmentId],
      );
      return row ? toEnrollment(row) : null;
    },
    async listEnrollments(workspaceId, q) {
      /* `IS NULL OR`: one statement for the four filter combinations; a null limit is no limit. Enrollment
         ids are time-ordered, so `id` breaks ties of `entered_at` in creation order. */
      const rows = await ctx.read<DbEnrollment>(
        `SELECT * FROM enrollments
          WHERE workspace_id = $1 AND ($2::text IS NULL OR profile_id = $2) AND ($3::text IS NULL OR journey_id = $3)
          ORDER BY entered_at DESC, id DESC LIMIT $4`,
        [workspaceId, q.profileId ?? null, q.journeyId ?? null, q.limit ?? null],
      );
      return rows.map(toEnrollment);
    },
    async timeline(workspaceId, enrollmentId) {
      const rows = await ctx.read<DbLog>(
        "SELECT * FROM log WHERE workspace_id = $1 AND enrollment_id = $2 ORDER BY position",
        [workspaceId, enrollmentId],
      );
      return rows.map((r) => ({
        enrollmentId: r.enrollment_id,
        versionId: r.version_id,
        position: r.position,
        nodeId: r.node_id,
        at: r.at,
        outcome: r.outcome,
        resumed: r.resumed,
        ...(r.detail === null ? {} : { detail: JSON.parse(r.detail) as TimelineEntry["detail"] }),
      }));
    },
  };
}
