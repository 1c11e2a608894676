import { describe, expect, it } from "vitest";
import type { PageKey } from "../page.js";
import {
  DEFINITION,
  T0,
  WS,
  WS_B,
  advanceToAction,
  enrollOne,
  liveJourney,
  startRun,
  type ContractContext,
} from "./contract-fixtures.js";

/**
 * Read a list page by page (`pageSize` each), calling `between` after the first page: what it inserts
 * must never shift the pages (no item twice, none skipped).
 */
async function readPages<T>(
  page: (after: PageKey | undefined) => Promise<T[]>,
  keyOf: (item: T) => PageKey,
  pageSize: number,
  between: () => Promise<void>,
): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let after: PageKey | undefined;
  for (let pages = 1; ; pages += 1) {
    const got = await page(after);
    expect(got.length).toBeLessThanOrEqual(pageSize);
    items.push(...got);
    if (pages === 1) await between();
    const last = got.at(-1);
    if (got.length < pageSize || last === undefined) return { items, pages };
    after = keyOf(last);
  }
}

/** issue 16 defect 8: every list pages by keyset, stable under inserts between pages. */
export function describePageContract(ctx: ContractContext): void {
  describe("issue 16 defect 8: lists page by keyset", () => {
    it("pages a version's outbox oldest first; items added between pages come last, none twice", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      for (const p of ["p1", "p2", "p3", "p4", "p5"]) await enrollOne(store, j, p, T0);
      const first = await advanceToAction(store, T0);
      let added: string[] = [];
      const { items, pages } = await readPages(
        (after) => store.listOutbox(WS, { versionId: j.version.id, limit: 2, ...(after ? { after } : {}) }),
        (r) => ({ at: r.createdAt, id: r.id }),
        2,
        async () => {
          await enrollOne(store, j, "p6", T0 + 5);
          added = await advanceToAction(store, T0 + 5);
        },
      );
      expect(pages).toBe(4);
      expect(added).toHaveLength(1);
      expect(new Set(items.map((r) => r.id)).size).toBe(6);
      expect(
        items
          .slice(0, 5)
          .map((r) => r.id)
          .sort(),
      ).toEqual([...first].sort());
      expect(items.slice(5).map((r) => r.id)).toEqual(added);
      expect(await store.listOutbox(WS, { versionId: "other", limit: 2 })).toEqual([]);
    });

    it("pages the audit log newest first by seq, and filters it by action", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      const base = { workspaceId: WS, actor: "t", reason: "r", versionId: null, runId: null, counts: null };
      const recorded = [];
      for (let i = 0; i < 4; i += 1) {
        recorded.push(
          await store.recordAudit({
            ...base,
            at: T0 + i,
            action: i % 2 === 0 ? "version:created" : "journey:duplicated",
            journeyId: j.journey.id,
            detail: {},
          }),
        );
      }
      const page1 = await store.listAudit(WS, { journeyId: j.journey.id, limit: 2 });
      await store.recordAudit({
        ...base,
        at: T0 + 9,
        action: "version:created",
        journeyId: j.journey.id,
        detail: {},
      });
      const last = page1.at(-1);
      if (last === undefined) throw new Error("empty page");
      const page2 = await store.listAudit(WS, { journeyId: j.journey.id, limit: 2, beforeSeq: last.seq });
      const newest = recorded.map((e) => e.id).reverse();
      expect([...page1, ...page2].map((e) => e.id)).toEqual(newest);
      expect(
        (await store.listAudit(WS, { journeyId: j.journey.id, actions: ["journey:duplicated"] })).map(
          (e) => e.id,
        ),
      ).toEqual([recorded[3]?.id, recorded[1]?.id]);
      expect(await store.listAudit(WS, { actions: [] })).toEqual([]);
    });

    it("pages notifications, journeys, runs and the dev mailbox newest first; newer rows never enter later pages", async () => {
      const store = ctx.store();
      const base = {
        workspaceId: WS,
        journeyId: null,
        versionId: null,
        title: "t",
        detail: {},
        type: "guardrail:error_rate" as const,
      };
      const notes = [];
      for (let i = 0; i < 5; i += 1) notes.push(await store.addNotification({ ...base, at: T0 + (i >> 1) }));
      const readNotes = await readPages(
        (after) => store.listNotifications(WS, { limit: 2, ...(after ? { after } : {}) }),
        (n) => ({ at: n.at, id: n.id }),
        2,
        async () => void (await store.addNotification({ ...base, at: T0 + 9 })),
      );
      expect(readNotes.items.map((n) => n.id)).toEqual(notes.map((n) => n.id).reverse());

      const journeys = [];
      for (let i = 0; i < 3; i += 1) {
        journeys.push(
          (
            await store.createJourney(
              { workspaceId: WS, name: `j${i}`, owner: null, definition: DEFINITION },
              T0,
            )
          ).journey,
        );
      }
      await store.createJourney(
        { workspaceId: WS_B, name: "other", owner: null, definition: DEFINITION },
        T0,
      );
      const readJourneys = await readPages(
        (after) => store.listJourneys(WS, { limit: 2, ...(after ? { after } : {}) }),
        (s) => ({ at: s.createdAt, id: s.id }),
        2,
        async () =>
          void (await store.createJourney(
            { workspaceId: WS, name: "late", owner: null, definition: DEFINITION },
            T0,
          )),
      );
      expect(readJourneys.items.map((s) => s.id)).toEqual(journeys.map((s) => s.id).reverse());

      const j = await liveJourney(store, WS, "runs");
      const other = await liveJourney(store, WS, "other runs");
      const runs = [];
      for (let i = 0; i < 3; i += 1) runs.push(await startRun(store, j, T0));
      await startRun(store, other, T0);
      const readRuns = await readPages(
        (after) => store.listRuns(WS, { journeyId: j.journey.id, limit: 2, ...(after ? { after } : {}) }),
        (r) => ({ at: r.startedAt, id: r.id }),
        2,
        async () => void (await startRun(store, j, T0 + 1)),
      );
      expect(readRuns.items.map((r) => r.id)).toEqual(runs.map((r) => r.id).reverse());

      const mail = (id: string, at: number) => ({
        workspaceId: WS,
        id,
        to: "a@example.com",
        from: "b@example.com",
        subject: id,
        html: null,
        text: "x",
        receivedAt: at,
      });
      for (const [id, at] of [
        ["m1", T0],
        ["m2", T0],
        ["m3", T0 + 1],
      ] as const)
        await store.saveDevEmail(mail(id, at));
      const readMail = await readPages(
        (after) => store.listDevEmails(WS, { limit: 2, ...(after ? { after } : {}) }),
        (e) => ({ at: e.receivedAt, id: e.id }),
        2,
        async () => void (await store.saveDevEmail(mail("m4", T0 + 9))),
      );
      expect(readMail.items.map((e) => e.id)).toEqual(["m3", "m2", "m1"]);
    });
  });
}
