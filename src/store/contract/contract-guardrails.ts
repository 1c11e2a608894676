import { describe, expect, it } from "vitest";
import type { ActionResult } from "../../core/index.js";
import type { NewNotification } from "../lifecycle.js";
import { OUTCOME_BUCKET_MS } from "../shared/deltas.js";
import {
  OK,
  T0,
  WS,
  advanceToAction,
  enrollOne,
  liveJourney,
  type ContractContext,
} from "./contract-fixtures.js";

const FAILED: ActionResult = { ok: false, at: T0, error: "HTTP 500", attempts: 4 };
const SKIPPED: ActionResult = { ok: false, at: T0, error: "cancelled by stop", attempts: 0, skipped: true };
const MINUTE = 60_000;

/** `actionOutcomes`, `raiseGuardrailAlert` and `pruneActionOutcomes`: what the guardrails share across processes. */
export function describeGuardrailContract(ctx: ContractContext): void {
  describe("guardrails: action outcomes and alerts", () => {
    it("counts final results per node and minute as completeOutbox records them: retries, skips and lost leases aside", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      for (const p of ["a", "b", "c", "d", "e", "f"]) await enrollOne(store, j, p, T0);
      await advanceToAction(store, T0);
      const [i1, i2, i3, i4, i5, i6] = await store.claimOutbox(T0, 10, 10 * MINUTE, "w1");
      await store.completeOutbox(
        "w1",
        [
          { outboxId: i1!.id, kind: "done", result: OK },
          { outboxId: i2!.id, kind: "done", result: FAILED },
          { outboxId: i3!.id, kind: "retry", retryAt: T0 + 1000, error: "HTTP 503" },
          { outboxId: i4!.id, kind: "done", result: SKIPPED },
        ],
        T0,
      );
      /* w2 never held i5: its completion is ignored, and so is its count. */
      await store.completeOutbox("w2", [{ outboxId: i5!.id, kind: "done", result: FAILED }], T0);
      await store.completeOutbox(
        "w1",
        [
          { outboxId: i5!.id, kind: "done", result: FAILED },
          { outboxId: i6!.id, kind: "done", result: FAILED },
        ],
        T0 + 5 * MINUTE,
      );

      expect(await store.actionOutcomes(WS, j.version.id, "action", T0)).toEqual({ ok: 1, failed: 3 });
      expect(await store.actionOutcomes(WS, j.version.id, null, T0)).toEqual({ ok: 1, failed: 3 });
      expect(await store.actionOutcomes(WS, j.version.id, "other", T0)).toEqual({ ok: 0, failed: 0 });
      expect(await store.actionOutcomes(WS, j.version.id, null, T0 + 4 * MINUTE)).toEqual({
        ok: 0,
        failed: 2,
      });
      expect(await store.actionOutcomes("ws-b", j.version.id, null, T0)).toEqual({ ok: 0, failed: 0 });

      /* The bucket that holds `since` counts whole. */
      const bucketStart = Math.floor((T0 + 5 * MINUTE) / OUTCOME_BUCKET_MS) * OUTCOME_BUCKET_MS;
      expect(await store.actionOutcomes(WS, j.version.id, null, bucketStart + OUTCOME_BUCKET_MS - 1)).toEqual(
        {
          ok: 0,
          failed: 2,
        },
      );
      expect(await store.actionOutcomes(WS, j.version.id, null, bucketStart + OUTCOME_BUCKET_MS)).toEqual({
        ok: 0,
        failed: 0,
      });

      /* Pruning deletes only buckets that ended before the given time. */
      expect(await store.pruneActionOutcomes(T0 + 5 * MINUTE, 100)).toBeGreaterThanOrEqual(1);
      expect(await store.actionOutcomes(WS, j.version.id, null, 0)).toEqual({ ok: 0, failed: 2 });
      expect(await store.pruneActionOutcomes(T0 + 5 * MINUTE, 100)).toBe(0);
    });

    it("raises each guardrail's alert once per window, with its notification, whoever asks", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      const note = (at: number, title: string): NewNotification => ({
        workspaceId: WS,
        at,
        type: "guardrail:error_rate",
        journeyId: j.journey.id,
        versionId: j.version.id,
        title,
        detail: {},
      });
      const key = { workspaceId: WS, versionId: j.version.id, guardrail: 0, windowMs: 10 * MINUTE };

      const first = await store.raiseGuardrailAlert(key, T0, note(T0, "first"));
      expect(first).toMatchObject({ type: "guardrail:error_rate", title: "first" });
      expect(
        await store.raiseGuardrailAlert(key, T0 + 9 * MINUTE, note(T0 + 9 * MINUTE, "again")),
      ).toBeNull();
      const other = await store.raiseGuardrailAlert(
        { ...key, guardrail: 1 },
        T0 + MINUTE,
        note(T0 + MINUTE, "other"),
      );
      expect(other?.title).toBe("other");
      const later = await store.raiseGuardrailAlert(key, T0 + 10 * MINUTE, note(T0 + 10 * MINUTE, "later"));
      expect(later?.title).toBe("later");

      const titles = (await store.listNotifications(WS, { journeyId: j.journey.id }))
        .filter((n) => n.type === "guardrail:error_rate")
        .map((n) => n.title)
        .sort();
      expect(titles).toEqual(["first", "later", "other"]);
    });

    it("lets one of many concurrent callers raise the alert", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      const key = { workspaceId: WS, versionId: j.version.id, guardrail: 0, windowMs: 10 * MINUTE };
      const raised = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          store.raiseGuardrailAlert(key, T0 + i, {
            workspaceId: WS,
            at: T0 + i,
            type: "guardrail:error_rate",
            journeyId: j.journey.id,
            versionId: j.version.id,
            title: `caller ${i}`,
            detail: {},
          }),
        ),
      );
      expect(raised.filter((n) => n !== null)).toHaveLength(1);
    });
  });
}
