import { describe, expect, it } from "vitest";
import { announcedNotification, notificationTitle } from "./announcement.js";
import { versionArchived, versionChanged } from "./transitions.js";

const VERSION = { workspace_id: "w", id: "v", journey_id: "j", number: 3, status: "live" as const };
const COUNTS = { inFlight: 1, pendingActions: 0, dispatching: 0, attempted: 0, succeeded: 0, failed: 0 };

describe("what a transition announces", () => {
  it("notifies with the audit action as type, the subject after the journey, and who and why in the detail", () => {
    const stop = versionChanged(
      VERSION,
      { workspaceId: "w", versionId: "v", action: "stop", actor: "ops", reason: "bad copy", now: 5 },
      "stopped",
      COUNTS,
      {},
    );
    expect(stop.action).toBe("version:stopped");
    const note = announcedNotification(stop, "a1");
    expect(note).toEqual({
      type: "version:stopped",
      subject: "version 3 stopped",
      detail: {
        from: "live",
        to: "stopped",
        number: 3,
        actor: "ops",
        reason: "bad copy",
        counts: COUNTS,
        auditId: "a1",
      },
    });
    expect(notificationTitle("Spring sale", note?.subject ?? "")).toBe(
      'Journey "Spring sale": version 3 stopped',
    );
  });

  it("names a run's transition after its version, and leaves no notification for an archive", () => {
    const abort = {
      ...versionChanged(
        VERSION,
        { workspaceId: "w", versionId: "v", action: "stop", actor: "a", reason: "r", now: 1 },
        "stopped",
        COUNTS,
        {},
      ),
      action: "run:aborted" as const,
    };
    expect(announcedNotification(abort, "a2")?.subject).toBe("a run of version 3 aborted");
    const archive = versionArchived(
      VERSION,
      { workspaceId: "w", versionId: "v", actor: "a", reason: "r", now: 1 },
      "archived",
      COUNTS,
    );
    expect(announcedNotification(archive, "a3")).toBeNull();
  });
});
