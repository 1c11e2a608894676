import { describe, expect, it } from "vitest";
import type { DevEmail, DevMailboxStore } from "../store.js";
import { T0, WS, WS_B, type ContractContext } from "./contract-fixtures.js";

function email(id: string, receivedAt: number, over: Partial<DevEmail> = {}): DevEmail {
  return {
    workspaceId: WS,
    id,
    to: "p@example.com",
    from: "w@example.com",
    subject: `s-${id}`,
    html: null,
    text: "hi",
    receivedAt,
    ...over,
  };
}

/** The dev mailbox: emails saved by outbox id, listed newest first per workspace, in pages. */
export function describeDevMailboxContract(ctx: ContractContext): void {
  describe("dev mailbox", () => {
    it("lists saved emails as saved, newest first, the larger id first at the same time", async () => {
      const mailbox: DevMailboxStore = ctx.store();
      await mailbox.saveDevEmail(email("m1", T0, { html: "<p>hi</p>", text: null }));
      await mailbox.saveDevEmail(email("m3", T0 + 1));
      await mailbox.saveDevEmail(email("m2", T0 + 1));
      expect(await mailbox.listDevEmails(WS, {})).toEqual([
        email("m3", T0 + 1),
        email("m2", T0 + 1),
        email("m1", T0, { html: "<p>hi</p>", text: null }),
      ]);
    });

    it("pages with the query's limit, resuming after the given receivedAt and id", async () => {
      const mailbox: DevMailboxStore = ctx.store();
      for (const [id, at] of [
        ["m1", T0],
        ["m2", T0 + 1],
        ["m3", T0 + 1],
        ["m4", T0 + 2],
      ] as const) {
        await mailbox.saveDevEmail(email(id, at));
      }
      const ids = async (query: Parameters<DevMailboxStore["listDevEmails"]>[1]): Promise<string[]> =>
        (await mailbox.listDevEmails(WS, query)).map((m) => m.id);
      expect(await ids({ limit: 2 })).toEqual(["m4", "m3"]);
      expect(await ids({ limit: 2, after: { at: T0 + 1, id: "m3" } })).toEqual(["m2", "m1"]);
      expect(await ids({ after: { at: T0 + 1, id: "m2" } })).toEqual(["m1"]);
      expect(await ids({ after: { at: T0, id: "m1" } })).toEqual([]);
    });

    it("keeps the latest copy of a re-saved id, once", async () => {
      const mailbox: DevMailboxStore = ctx.store();
      await mailbox.saveDevEmail(email("m1", T0));
      await mailbox.saveDevEmail(email("m1", T0 + 5, { subject: "again" }));
      expect(await mailbox.listDevEmails(WS, {})).toEqual([email("m1", T0 + 5, { subject: "again" })]);
    });

    it("keeps workspaces apart, even for the same id", async () => {
      const mailbox: DevMailboxStore = ctx.store();
      await mailbox.saveDevEmail(email("m1", T0));
      await mailbox.saveDevEmail(email("m1", T0 + 1, { workspaceId: WS_B, subject: "b" }));
      expect(await mailbox.listDevEmails(WS, {})).toEqual([email("m1", T0)]);
      expect(await mailbox.listDevEmails(WS_B, {})).toEqual([
        email("m1", T0 + 1, { workspaceId: WS_B, subject: "b" }),
      ]);
      expect(await mailbox.listDevEmails("ws-none", {})).toEqual([]);
    });
  });
}
