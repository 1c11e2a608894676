import { describe, expect, it } from "vitest";
import { ConflictError } from "../../core/index.js";
import type { AuditAction } from "../journal-names.js";
import type { NewAuditEntry } from "../lifecycle.js";
import { DEFINITION, T0, WS, liveJourney, type ContractContext } from "./contract-fixtures.js";

/** An audit entry of a copy, naming what the write made. */
function entry(action: AuditAction, journeyId: string, versionId: string, number: number): NewAuditEntry {
  return {
    workspaceId: WS,
    at: T0,
    actor: "ana",
    reason: "copy",
    action,
    journeyId,
    versionId,
    runId: null,
    counts: null,
    detail: { number },
  };
}

/**
 * A new version and a duplicate are each one transaction with their audit entry: `createDraftVersion`
 * and `createJourney` record the entry made of what they wrote, or write nothing.
 */
export function describeAuditedWritesContract(ctx: ContractContext): void {
  describe("writes with their audit entry", () => {
    it("records a new draft's audit entry, naming the draft, with the draft", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      const draft = await store.createDraftVersion(WS, j.journey.id, DEFINITION, T0 + 1, (d) =>
        entry("version:created", j.journey.id, d.id, d.number),
      );
      const [audit] = await store.listAudit(WS, { journeyId: j.journey.id, actions: ["version:created"] });
      expect(audit).toMatchObject({ actor: "ana", versionId: draft.id, detail: { number: 2 } });
    });

    it("writes neither the draft nor the entry when one of them fails", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      await expect(
        store.createDraftVersion(WS, j.journey.id, DEFINITION, T0 + 1, () => {
          throw new Error("no entry");
        }),
      ).rejects.toThrow("no entry");
      expect((await store.listVersions(WS, j.journey.id)).map((v) => v.number)).toEqual([1]);

      await store.createDraftVersion(WS, j.journey.id, DEFINITION, T0 + 2);
      await expect(
        store.createDraftVersion(WS, j.journey.id, DEFINITION, T0 + 3, (d) =>
          entry("version:created", j.journey.id, d.id, d.number),
        ),
      ).rejects.toBeInstanceOf(ConflictError);
      expect(await store.listAudit(WS, { journeyId: j.journey.id, actions: ["version:created"] })).toEqual(
        [],
      );
    });

    it("records a new journey's audit entry with the journey, or writes neither", async () => {
      const store = ctx.store();
      const input = { workspaceId: WS, name: "copy", owner: null, definition: DEFINITION };
      const copy = await store.createJourney(input, T0, (c) =>
        entry("journey:duplicated", c.journey.id, c.version.id, c.version.number),
      );
      const [audit] = await store.listAudit(WS, { journeyId: copy.journey.id });
      expect(audit).toMatchObject({ action: "journey:duplicated", versionId: copy.version.id });

      await expect(
        store.createJourney({ ...input, name: "lost" }, T0, () => {
          throw new Error("no entry");
        }),
      ).rejects.toThrow("no entry");
      expect((await store.listJourneys(WS)).map((j) => j.name)).toEqual(["copy"]);
    });
  });
}
