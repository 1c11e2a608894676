import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

/** A message accepted by the SMTP sink. */
export interface SinkMessage {
  /** The `Message-ID` header as sent (with its angle brackets), or null when the message had none. */
  readonly messageId: string | null;
  readonly to: readonly string[];
  readonly raw: string;
}

/** A real SMTP server on 127.0.0.1 (no TLS, no auth) that records every message it accepts. */
export interface SmtpSink {
  /** e.g. `smtp://127.0.0.1:41234`: a value for `--smtp-url` / `WAYMARK_SMTP_URL`. */
  readonly url: string;
  readonly messages: SinkMessage[];
  close(): Promise<void>;
}

/** Options of {@link startSmtpSink}. */
export interface SmtpSinkOptions {
  /**
   * How long the sink holds each message before it answers `250`, in milliseconds: a wider window in
   * which a sender can die between the send and recording its result. The message is recorded first.
   * @default 0
   */
  readonly acceptDelayMs?: number;
}

function headerValue(raw: string, name: string): string | null {
  const head = raw.split(/\r?\n\r?\n/, 1)[0] ?? "";
  const match = new RegExp(`^${name}:[ \\t]*(.*(?:\\r?\\n[ \\t].*)*)`, "im").exec(head);
  return match ? match[1]!.replace(/\r?\n[ \t]+/g, " ").trim() : null;
}

/** Start a recording SMTP server on an ephemeral loopback port. */
export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const messages: SinkMessage[] = [];
  const delay = options.acceptDelayMs ?? 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        messages.push({
          messageId: headerValue(raw, "Message-ID"),
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
        });
        if (delay > 0) setTimeout(() => callback(), delay);
        else callback();
      });
    },
  });
  /* A sender that dies mid-session resets its connection; the server reports it here, and an unheard
     error event would crash the test process. */
  server.on("error", () => undefined);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
