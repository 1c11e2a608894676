import type { JourneySummary, NodeResult, TimelineEntry, Version, VersionRef } from "../client/index.js";
import { formatTable } from "./table.js";

/** `3 (live)` for a version reference; `-` for none. */
export function versionLabel(ref: Pick<VersionRef, "number" | "status"> | null): string {
  return ref ? `${ref.number} (${ref.status})` : "-";
}

/** The journeys table of `journeys list`. */
export function journeysTable(journeys: readonly JourneySummary[]): string {
  return formatTable(
    ["ID", "NAME", "ACTIVE", "LATEST", "UPDATED"],
    journeys.map((j) => [
      j.id,
      j.name,
      versionLabel(j.activeVersion),
      versionLabel(j.latestVersion),
      j.updatedAt,
    ]),
  );
}

/** The versions table of `journeys show`. */
export function versionsTable(versions: readonly Version[]): string {
  return formatTable(
    ["VERSION", "ID", "STATUS", "CREATED", "PUBLISHED", "ENDED"],
    versions.map((v) => [
      String(v.number),
      v.id,
      v.status,
      v.createdAt,
      v.publishedAt ?? "-",
      v.endedAt ?? "-",
    ]),
  );
}

/** The per-node table of `results <journeyId>`. */
export function resultsTable(nodes: readonly NodeResult[]): string {
  return formatTable(
    [
      "NODE",
      "KIND",
      "NAME",
      "ENTERED",
      "WAITING",
      "COMPLETED",
      "FAILED",
      "CANCELLED",
      "ATTEMPTED",
      "SUCCEEDED",
      "ACTIONS FAILED",
      "ACTIONS CANCELLED",
    ],
    nodes.map((n) => [
      n.nodeId,
      n.kind,
      n.name ?? "",
      String(n.entered),
      String(n.waiting),
      String(n.completed),
      String(n.failed),
      String(n.cancelled),
      String(n.actionsAttempted),
      String(n.actionsSucceeded),
      String(n.actionsFailed),
      String(n.actionsCancelled),
    ]),
  );
}

/** One line per condition or split: the enrollments that took each branch, e.g. `is_pro: pro 3, else 2`. */
export function branchLines(nodes: readonly NodeResult[]): string[] {
  return nodes.flatMap((n) =>
    n.branches === null ? [] : [`${n.nodeId}: ${n.branches.map((b) => `${b.label} ${b.taken}`).join(", ")}`],
  );
}

/** The timeline table of `results --profile <id>`. */
export function timelineTable(entries: readonly TimelineEntry[]): string {
  return formatTable(
    ["AT", "JOURNEY", "ENROLLMENT", "#", "NODE", "OUTCOME", "DETAIL"],
    entries.map((e) => [
      e.at,
      e.journeyId,
      e.enrollmentId,
      String(e.position),
      e.resumed ? `${e.nodeId} (resumed)` : e.nodeId,
      e.outcome,
      e.detail && Object.keys(e.detail).length > 0 ? JSON.stringify(e.detail) : "",
    ]),
  );
}
