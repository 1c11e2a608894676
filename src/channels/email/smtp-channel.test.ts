import type { AddressInfo } from "node:net";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";
import { afterEach, describe, expect, it } from "vitest";
import type { EmailMessage } from "../../core/index.js";
import type { Channel, ChannelItem } from "../channel.js";
import { createSmtpChannel } from "./smtp-channel.js";

interface Received {
  readonly from: string | false | undefined;
  readonly to: string[];
  readonly raw: string;
}

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** A real SMTP server on an ephemeral port; `received` collects what it accepted. */
async function smtpServer(
  options: Partial<SMTPServerOptions> = {},
): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        received.push({
          from: session.envelope.mailFrom && session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString(),
        });
        callback();
      });
    },
    ...options,
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, received };
}

function channelFor(url: string, extra: { pool?: boolean } = {}): Channel {
  const channel = createSmtpChannel({
    url,
    from: "Waymark <noreply@waymark.test>",
    timeoutMs: 2000,
    ...extra,
  });
  /* Registered after the server, so it runs first: the pool quits before the server closes. */
  cleanups.push(() => channel.close());
  return channel;
}

function item(message: Partial<EmailMessage> = {}, key = "enr_1:3"): ChannelItem {
  return {
    idempotencyKey: key,
    workspaceId: "ws_1",
    payload: {
      channel: "email",
      message: {
        to: "ada@example.com",
        from: null,
        subject: "Welcome aboard",
        html: "<p>Hello <b>Ada</b></p>",
        text: "Hello Ada",
        ...message,
      },
    },
  };
}

function rejectRecipient(responseCode: number): Partial<SMTPServerOptions> {
  return {
    onRcptTo(_address, _session, callback) {
      callback(Object.assign(new Error(`mailbox says ${responseCode}`), { responseCode }));
    },
  };
}

describe("SMTP channel", () => {
  it("delivers the rendered message with a deterministic Message-ID", async () => {
    const { url, received } = await smtpServer();
    const channel = channelFor(url);

    const result = await channel.send(item());

    expect(result).toEqual({ ok: true, body: { messageId: "<enr_1=3A3@waymark>" } });
    expect(received).toHaveLength(1);
    const mail = received[0]!;
    expect(mail.to).toEqual(["ada@example.com"]);
    expect(mail.from).toBe("noreply@waymark.test");
    expect(mail.raw).toMatch(/^Message-ID: <enr_1=3A3@waymark>\r?$/im);
    expect(mail.raw).toMatch(/^Subject: Welcome aboard\r?$/im);
    expect(mail.raw).toMatch(/^To: ada@example\.com\r?$/im);
    expect(mail.raw).toContain("Hello Ada");
    expect(mail.raw).toContain("<p>Hello <b>Ada</b></p>");
    expect(mail.raw).toMatch(/Content-Type: multipart\/alternative/i);
  });

  it("uses the message's own sender, and sends the same Message-ID again for the same key", async () => {
    const { url, received } = await smtpServer();
    const channel = channelFor(url, { pool: false });

    await channel.send(item({ from: "team@example.org", html: null }, "enr_2:1"));
    await channel.send(item({ from: "team@example.org", html: null }, "enr_2:1"));

    expect(received.map((m) => m.from)).toEqual(["team@example.org", "team@example.org"]);
    const ids = received.map((m) => /^Message-ID: (.*?)\r?$/im.exec(m.raw)?.[1]);
    expect(ids).toEqual(["<enr_2=3A1@waymark>", "<enr_2=3A1@waymark>"]);
    expect(received[0]!.raw).not.toMatch(/text\/html/i);
  });

  it("treats a 550 recipient rejection as permanent", async () => {
    const { url, received } = await smtpServer(rejectRecipient(550));
    const result = await channelFor(url).send(item());

    expect(result).toMatchObject({ ok: false, retryable: false, status: 550 });
    expect(!result.ok && result.error).toContain("mailbox says 550");
    expect(received).toHaveLength(0);
  });

  it("treats a 451 recipient rejection as retryable", async () => {
    const { url, received } = await smtpServer(rejectRecipient(451));
    const result = await channelFor(url).send(item());

    expect(result).toMatchObject({ ok: false, retryable: true, status: 451 });
    expect(received).toHaveLength(0);
  });

  it("treats a refused connection as retryable", async () => {
    const { url } = await smtpServer();
    await cleanups.pop()!();
    const result = await channelFor(url).send(item());

    expect(result).toMatchObject({ ok: false, retryable: true });
    expect(!result.ok && result.error).toMatch(/ECONNREFUSED|ESOCKET|ECONNECTION/);
  });

  it("does not send when the caller's signal has already aborted", async () => {
    const { url, received } = await smtpServer();
    const result = await channelFor(url).send(item(), AbortSignal.abort());

    expect(result).toMatchObject({ ok: false, retryable: true });
    expect(received).toHaveLength(0);
  });

  it("refuses a webhook payload permanently", async () => {
    const result = await channelFor("smtp://127.0.0.1:1").send({
      idempotencyKey: "k",
      workspaceId: "ws_1",
      payload: {
        channel: "webhook",
        request: { url: "http://x", method: "POST", headers: {}, body: null, timeoutMs: 10 },
      },
    });
    expect(result).toMatchObject({ ok: false, retryable: false });
  });
});
