import type { LogEntry } from "../../core/index.js";
import type { Tx } from "./postgres-db.js";

/** One result-log row to append: `entry` at `position` (the enrollment's seq after the entry). */
export interface PgLogRow {
  readonly workspaceId: string;
  readonly enrollmentId: string;
  readonly versionId: string;
  readonly position: number;
  readonly entry: LogEntry;
}

/** Append result-log rows inside the caller's transaction: one INSERT for the whole batch. */
export async function writeLog(tx: Tx, rows: readonly PgLogRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO log (workspace_id, enrollment_id, position, version_id, node_id, at, outcome, resumed, detail)
     SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::bigint[], $7::text[],
                          $8::boolean[], $9::text[])`,
    [
      rows.map((r) => r.workspaceId),
      rows.map((r) => r.enrollmentId),
      rows.map((r) => r.position),
      rows.map((r) => r.versionId),
      rows.map((r) => r.entry.nodeId),
      rows.map((r) => r.entry.at),
      rows.map((r) => r.entry.outcome),
      rows.map((r) => r.entry.resumed),
      rows.map((r) => (r.entry.detail === undefined ? null : JSON.stringify(r.entry.detail))),
    ],
  );
}
