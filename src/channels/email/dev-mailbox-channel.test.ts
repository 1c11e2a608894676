import { describe, expect, it } from "vitest";
import type { ChannelItem } from "../channel.js";
import type { DevEmail } from "../../store/index.js";
import { createDevMailboxChannel, type DevMailboxSink } from "./dev-mailbox-channel.js";

/** A real, in-memory implementation of the one-method slice: one row per (workspace, id). */
class MemoryMailbox implements DevMailboxSink {
  readonly rows = new Map<string, DevEmail>();
  failWith: Error | null = null;
  saveDevEmail(email: DevEmail): Promise<void> {
    if (this.failWith) return Promise.reject(this.failWith);
    this.rows.set(`${email.workspaceId}/${email.id}`, email);
    return Promise.resolve();
  }
}

const clock = { now: () => 1_700_000_000_000 };

function item(key: string, from: string | null = null): ChannelItem {
  return {
    idempotencyKey: key,
    workspaceId: "ws_1",
    payload: {
      channel: "email",
      message: { to: "ada@example.com", from, subject: "Hi", html: "<p>Hi</p>", text: null },
    },
  };
}

describe("dev mailbox channel", () => {
  it("stores the email under the outbox id with every field", async () => {
    const mailbox = new MemoryMailbox();
    const channel = createDevMailboxChannel(mailbox, clock, { from: "waymark@localhost" });

    const result = await channel.send(item("enr_1:3"));

    expect(channel.name).toBe("email");
    expect(result).toEqual({ ok: true, body: { messageId: "<enr_1=3A3@waymark>" } });
    expect([...mailbox.rows.values()]).toEqual([
      {
        workspaceId: "ws_1",
        id: "enr_1:3",
        to: "ada@example.com",
        from: "waymark@localhost",
        subject: "Hi",
        html: "<p>Hi</p>",
        text: null,
        receivedAt: 1_700_000_000_000,
      },
    ]);
  });

  it("keeps the message's own sender, and one row for a re-sent key", async () => {
    const mailbox = new MemoryMailbox();
    const channel = createDevMailboxChannel(mailbox, clock, { from: "waymark@localhost" });

    await channel.send(item("enr_2:1", "team@example.org"));
    await channel.send(item("enr_2:1", "team@example.org"));

    expect(mailbox.rows.size).toBe(1);
    expect(mailbox.rows.get("ws_1/enr_2:1")?.from).toBe("team@example.org");
  });

  it("turns a store failure into a retryable failure", async () => {
    const mailbox = new MemoryMailbox();
    mailbox.failWith = new Error("database is locked");
    const result = await createDevMailboxChannel(mailbox, clock, { from: "w@l" }).send(item("k"));

    expect(result).toMatchObject({ ok: false, retryable: true });
    expect(!result.ok && result.error).toContain("database is locked");
  });

  it("refuses a webhook payload permanently", async () => {
    const mailbox = new MemoryMailbox();
    const result = await createDevMailboxChannel(mailbox, clock, { from: "w@l" }).send({
      idempotencyKey: "k",
      workspaceId: "ws_1",
      payload: {
        channel: "webhook",
        request: { url: "http://x", method: "GET", headers: {}, body: null, timeoutMs: 1 },
      },
    });
    expect(result).toMatchObject({ ok: false, retryable: false });
    expect(mailbox.rows.size).toBe(0);
  });
});
