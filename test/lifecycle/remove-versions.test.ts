import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHarness, describeBackends, DAY, T0, WS } from "../support/engine-harness.js";
import type { Harness } from "../support/engine-harness.js";
import { startHttpSink } from "../support/sinks.js";
import type { HttpSink } from "../support/sinks.js";
import { paths, threeHooks } from "./journeys.js";

let h: Harness;
let sink: HttpSink;

const ops = { actor: "ana@ops", reason: "asked to leave" };

async function statusIn(journeyId: string, profileId: string): Promise<string> {
  const [latest] = await h.store.listEnrollments(WS, { profileId, journeyId });
  return latest?.status === "ended" ? latest.exitReason : (latest?.status ?? "none");
}

describeBackends("lifecycle: remove from flow and versions", (backend) => {
  beforeEach(async () => {
    h = await createHarness({ backend });
    sink = await startHttpSink();
  });
  afterEach(async () => {
    await h.close();
    await sink.close();
  });

  describe("remove from flow", () => {
    it("by ids in one journey: those profiles end removed there, and nothing more is sent to them", async () => {
      const one = await h.publish("one", threeHooks(`${sink.url}/one`));
      const two = await h.publish("two", threeHooks(`${sink.url}/two`));
      for (const v of [one, two])
        await h.app.enroll({
          workspaceId: WS,
          actor: "test",
          journeyId: v.journeyId,
          profileIds: ["ada", "bob"],
        });
      await h.engine.drain();

      const preview = await h.app.removeFromFlow({
        workspaceId: WS,
        ...ops,
        profileIds: ["ada"],
        journeyId: one.journeyId,
        dryRun: true,
      });
      expect(preview).toMatchObject({ removed: 1, dryRun: true, auditId: null });
      expect(preview.counts.inFlight).toBe(1);
      expect(await statusIn(one.journeyId, "ada")).toBe("active");

      const removed = await h.app.removeFromFlow({
        workspaceId: WS,
        ...ops,
        profileIds: ["ada"],
        journeyId: one.journeyId,
      });
      expect(removed).toMatchObject({ removed: 1, dryRun: false });
      expect(removed.auditId).toEqual(expect.any(String));
      sink.requests.length = 0;
      await h.engine.advanceClockTo(T0 + 3 * DAY);
      expect(await statusIn(one.journeyId, "ada")).toBe("removed");
      expect(await statusIn(two.journeyId, "ada")).toBe("completed");
      expect(paths(sink.requests)).toEqual([
        "/one/hook2/bob",
        "/one/hook3/bob",
        "/two/hook2/ada",
        "/two/hook2/bob",
        "/two/hook3/ada",
        "/two/hook3/bob",
      ]);
    });

    it("by a profile filter in every journey, in batches (each acknowledged with an audit entry)", async () => {
      const one = await h.publish("one", threeHooks(`${sink.url}/one`));
      const two = await h.publish("two", threeHooks(`${sink.url}/two`));
      const ids = Array.from({ length: 1205 }, (_, i) => `p${String(i).padStart(4, "0")}`);
      await h.store.upsertProfiles(
        WS,
        ids.map((id, i) => ({ id, attributes: { plan: i % 2 === 0 ? "pro" : "free" } })),
        T0,
      );
      await h.app.enroll({ workspaceId: WS, actor: "test", journeyId: one.journeyId, profileIds: ids });
      await h.app.enroll({
        workspaceId: WS,
        actor: "test",
        journeyId: two.journeyId,
        profileIds: ["p0000", "p0001"],
      });

      const removed = await h.app.removeFromFlow({
        workspaceId: WS,
        ...ops,
        filter: { field: "profile.attributes.plan", op: "eq", value: "pro" },
        journeyId: null,
      });
      expect(removed.removed).toBe(603 + 1);
      const audit = await h.store.listAudit(WS, {});
      expect(audit.filter((e) => e.action === "profiles:removed")).toHaveLength(2);
      expect(await statusIn(one.journeyId, "p0000")).toBe("removed");
      expect(await statusIn(two.journeyId, "p0000")).toBe("removed");
      expect(await statusIn(one.journeyId, "p1204")).toBe("removed");
      expect(await statusIn(one.journeyId, "p0001")).toBe("active");
      expect(await statusIn(two.journeyId, "p0001")).toBe("active");
    });

    it("names the field when the input is wrong", async () => {
      await expect(h.app.removeFromFlow({ workspaceId: WS, ...ops, journeyId: null })).rejects.toMatchObject({
        issues: [{ path: "profileIds" }],
      });
      await expect(
        h.app.removeFromFlow({
          workspaceId: WS,
          ...ops,
          journeyId: null,
          filter: { field: "x", op: "nope" } as never,
        }),
      ).rejects.toMatchObject({ issues: [{ path: "filter" }] });
      await expect(
        h.app.removeFromFlow({ workspaceId: WS, actor: "a", reason: "", profileIds: ["x"], journeyId: null }),
      ).rejects.toMatchObject({ issues: [{ path: "reason" }] });
      await expect(
        h.app.removeFromFlow({ workspaceId: WS, ...ops, profileIds: ["x"], journeyId: "no-such-journey" }),
      ).rejects.toMatchObject({ code: "not_found" });
    });
  });

  describe("versions", () => {
    it("new version copies the latest; duplicate copies a stopped one into a new journey; drafts and finished versions delete", async () => {
      const v1 = await h.publish("sale", threeHooks(sink.url));
      await h.app.enroll({ workspaceId: WS, actor: "test", journeyId: v1.journeyId, profileIds: ["a"] });
      await h.engine.drain();
      await h.app.stop({ workspaceId: WS, journeyId: v1.journeyId, actor: "ana", reason: "brake" });

      const draft = await h.app.newVersion({
        workspaceId: WS,
        journeyId: v1.journeyId,
        actor: "ana",
        reason: "fix the copy",
      });
      expect(draft).toMatchObject({
        journeyId: v1.journeyId,
        number: 2,
        status: "draft",
        definition: v1.definition,
      });
      const [created] = await h.store.listAudit(WS, { journeyId: v1.journeyId, limit: 1 });
      expect(created).toMatchObject({
        action: "version:created",
        actor: "ana",
        reason: "fix the copy",
        versionId: draft.id,
        detail: { fromVersionId: v1.id, fromVersion: 1, number: 2 },
      });
      const deleted = await h.app.deleteVersion({
        workspaceId: WS,
        versionId: draft.id,
        actor: "ana",
        reason: "not needed",
      });
      expect(deleted.status).toBe("archived");

      const copy = await h.app.duplicate({
        workspaceId: WS,
        versionId: v1.id,
        actor: "ana",
        name: "sale again",
      });
      expect(copy.journey.id).not.toBe(v1.journeyId);
      expect(copy.journey.name).toBe("sale again");
      expect(copy.version).toMatchObject({ number: 1, status: "draft", definition: v1.definition });
      const [duplicated] = await h.store.listAudit(WS, { journeyId: copy.journey.id, limit: 1 });
      expect(duplicated).toMatchObject({
        action: "journey:duplicated",
        actor: "ana",
        reason: `duplicate of version 1 of journey ${v1.journeyId}`,
        versionId: copy.version.id,
        detail: { fromVersionId: v1.id, fromStatus: "stopped" },
      });

      const published = await h.store.publishVersion(WS, copy.version.id, h.clock.now());
      await h.app.close({ workspaceId: WS, journeyId: copy.journey.id, actor: "ana", reason: "done" });
      await h.engine.drain();
      expect((await h.store.getVersion(WS, published.version.id))?.status).toBe("finished");
      const gone = await h.app.deleteVersion({
        workspaceId: WS,
        versionId: published.version.id,
        actor: "ana",
        reason: "tidy",
      });
      expect(gone.status).toBe("archived");
      const audit = await h.store.listAudit(WS, { journeyId: copy.journey.id });
      expect(audit.some((e) => e.versionId === published.version.id && e.reason === "tidy")).toBe(true);
    });

    it("409s: resume a stopped version, delete a closed one, publish a stopped one", async () => {
      const v1 = await h.publish("sale", threeHooks(sink.url));
      await h.app.close({ workspaceId: WS, journeyId: v1.journeyId, actor: "ana", reason: "over" });
      await expect(
        h.app.deleteVersion({ workspaceId: WS, versionId: v1.id, actor: "ana", reason: "tidy" }),
      ).rejects.toMatchObject({
        code: "conflict",
        current: "closed",
      });
      await h.app.stop({ workspaceId: WS, journeyId: v1.journeyId, actor: "ana", reason: "brake" });
      expect((await h.store.getVersion(WS, v1.id))?.status).toBe("stopped");
      await expect(
        h.app.resume({ workspaceId: WS, journeyId: v1.journeyId, actor: "ana", reason: "oops" }),
      ).rejects.toMatchObject({
        code: "conflict",
        current: "stopped",
        allowed: ["duplicate", "new-version"],
      });
      await expect(h.store.publishVersion(WS, v1.id, h.clock.now())).rejects.toMatchObject({
        code: "conflict",
        current: "stopped",
      });
      await expect(
        h.app.stop({ workspaceId: WS, journeyId: "nope", actor: "a", reason: "r" }),
      ).rejects.toMatchObject({
        code: "not_found",
      });
    });
  });
});
