import type { Millis } from "../../core/index.js";
import type { DevEmail } from "../../store/index.js";
import type { Channel, ChannelItem, ChannelResult } from "../channel.js";
import { emailMessageId } from "./message-id.js";

/** The slice of the Store port the dev mailbox writes to. Saving an id twice must keep one row. */
export interface DevMailboxSink {
  saveDevEmail(email: DevEmail): Promise<void>;
}

/**
 * The email channel used when no SMTP server is configured: every email is stored in the built-in dev
 * mailbox instead of being sent. The row's id is the outbox id, so a re-send after a crash overwrites
 * nothing and adds nothing. The result body is `{ messageId }`, as for SMTP. A failing store gives a
 * retryable failure.
 *
 * @param sink where emails go (the Store).
 * @param clock supplies `receivedAt`.
 * @param defaults `from` is the sender when the message names none.
 * @example createDevMailboxChannel(store, clock, { from: "waymark@localhost" })
 */
export function createDevMailboxChannel(
  sink: DevMailboxSink,
  clock: { now(): Millis },
  defaults: { readonly from: string },
): Channel {
  async function send(item: ChannelItem, signal?: AbortSignal): Promise<ChannelResult> {
    if (item.payload.channel !== "email") {
      return {
        ok: false,
        retryable: false,
        error: `the email channel cannot send a ${item.payload.channel} payload`,
      };
    }
    if (signal?.aborted)
      return { ok: false, retryable: true, error: "email not stored: aborted by the dispatcher" };
    const message = item.payload.message;
    try {
      await sink.saveDevEmail({
        workspaceId: item.workspaceId,
        id: item.idempotencyKey,
        to: message.to,
        from: message.from ?? defaults.from,
        subject: message.subject,
        html: message.html,
        text: message.text,
        receivedAt: clock.now(),
      });
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      return { ok: false, retryable: true, error: `email not stored in the dev mailbox: ${why}` };
    }
    return { ok: true, body: { messageId: emailMessageId(item.idempotencyKey) } };
  }

  return { name: "email", send, close: () => Promise.resolve() };
}
