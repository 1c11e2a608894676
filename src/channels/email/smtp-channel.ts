import { createTransport } from "nodemailer";
import type Mail from "nodemailer/lib/mailer/index.js";
import { parseConnectionUrl } from "nodemailer/lib/shared/index.js";
import type { Channel, ChannelItem, ChannelResult } from "../channel.js";
import { emailMessageId } from "./message-id.js";
import { smtpFailure } from "./smtp-error.js";

/** The slice of a nodemailer transporter this adapter uses. */
interface MailTransport {
  sendMail(mail: Mail.Options): Promise<unknown>;
  close(): void;
}

/** Options of {@link createSmtpChannel}. */
export interface SmtpChannelOptions {
  /**
   * The SMTP server, e.g. `smtp://user:pass@mail.example.com:587` or `smtps://...:465`. Nodemailer's
   * URL query options (`?ignoreTLS=true`, `?tls.rejectUnauthorized=false`) are honoured.
   */
  readonly url: string;
  /** The sender when the message names none. */
  readonly from: string;
  /** Keep connections open and reuse them. @default true */
  readonly pool?: boolean;
  /** Connections the pool may open at once. @default 5 */
  readonly maxConnections?: number;
  /** Connection, greeting and socket inactivity timeout, in milliseconds. @default 30000 */
  readonly timeoutMs?: number;
}

/**
 * The email channel over SMTP (nodemailer, pooled). Subject, html and text arrive rendered.
 * Every message gets the deterministic `Message-ID` of its outbox item (see `emailMessageId`), so a
 * re-send after a crash is recognisable. The result body is `{ messageId }`.
 * Failures: connection errors, timeouts and 4xx replies are retryable; 5xx replies are permanent.
 * An SMTP send cannot be interrupted: the caller's signal is checked before sending only.
 *
 * @example
 * const email = createSmtpChannel({ url: "smtp://localhost:1025", from: "Waymark <noreply@example.com>" });
 */
export function createSmtpChannel(options: SmtpChannelOptions): Channel {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const connection = {
    ...parseConnectionUrl(options.url),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  };
  const transport: MailTransport =
    options.pool === false
      ? createTransport(connection)
      : createTransport({ ...connection, pool: true, maxConnections: options.maxConnections ?? 5 });

  async function send(item: ChannelItem, signal?: AbortSignal): Promise<ChannelResult> {
    if (item.payload.channel !== "email") {
      return {
        ok: false,
        retryable: false,
        error: `the email channel cannot send a ${item.payload.channel} payload`,
      };
    }
    if (signal?.aborted)
      return { ok: false, retryable: true, error: "email not sent: aborted by the dispatcher" };
    const message = item.payload.message;
    const messageId = emailMessageId(item.idempotencyKey);
    try {
      await transport.sendMail({
        from: message.from ?? options.from,
        to: message.to,
        subject: message.subject,
        html: message.html ?? undefined,
        text: message.text ?? undefined,
        messageId,
      });
    } catch (error) {
      return smtpFailure(error);
    }
    return { ok: true, body: { messageId } };
  }

  return {
    name: "email",
    send,
    close() {
      transport.close();
      return Promise.resolve();
    },
  };
}
