import type { DispatchPayload } from "../core/index.js";

/**
 * The Channel port: one adapter per way of reaching people (webhook, email).
 * A channel sends one outbox item and says what happened. It never retries by itself: the dispatcher
 * applies the item's retry policy, so retryability is data on the result.
 */
export interface Channel {
  /** The `DispatchPayload.channel` this adapter serves. */
  readonly name: DispatchPayload["channel"];
  /**
   * Send one item. `idempotencyKey` is the outbox id: a webhook sends it as `Idempotency-Key`, an email
   * builds its `Message-ID` from it, so that a re-send after a crash is recognisable downstream.
   * Must not throw for delivery problems: it returns a failure instead.
   */
  send(item: ChannelItem, signal?: AbortSignal): Promise<ChannelResult>;
  /** Release pooled connections. */
  close(): Promise<void>;
}

export interface ChannelItem {
  readonly idempotencyKey: string;
  readonly workspaceId: string;
  readonly payload: DispatchPayload;
}

export type ChannelResult =
  | { readonly ok: true; readonly status?: number; readonly body?: unknown }
  | {
      readonly ok: false;
      /** True for network errors, timeouts and 5xx/429: the retry policy may try again. */
      readonly retryable: boolean;
      readonly error: string;
      readonly status?: number;
    };
