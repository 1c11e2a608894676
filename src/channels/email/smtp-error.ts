import type { ChannelResult } from "../channel.js";

/** Nodemailer error codes that say the message itself or the account is wrong: retrying cannot help. */
const PERMANENT_CODES = new Set(["EENVELOPE", "EMESSAGE", "EAUTH", "ECONFIG"]);

/**
 * Classify a nodemailer failure. An SMTP reply code decides when there is one: 4xx is retryable
 * (greylisting, mailbox busy), 5xx permanent. Without one, connection problems and timeouts are
 * retryable, and envelope, message and authentication errors permanent.
 */
export function smtpFailure(error: unknown): Extract<ChannelResult, { ok: false }> {
  const details = (typeof error === "object" && error !== null ? error : {}) as {
    code?: unknown;
    responseCode?: unknown;
    response?: unknown;
    message?: unknown;
  };
  const message = typeof details.message === "string" ? details.message : String(error);
  const code = typeof details.code === "string" ? details.code : undefined;
  const responseCode = typeof details.responseCode === "number" ? details.responseCode : undefined;
  const response = typeof details.response === "string" ? details.response : undefined;
  const text = [
    `email not sent: ${message}`,
    response && !message.includes(response) ? response : undefined,
    code,
  ]
    .filter((part) => part !== undefined)
    .join(" | ");
  if (responseCode !== undefined && responseCode >= 400 && responseCode < 600) {
    return { ok: false, retryable: responseCode < 500, error: text, status: responseCode };
  }
  return { ok: false, retryable: code === undefined || !PERMANENT_CODES.has(code), error: text };
}
