/**
 * The channels' public face: the Channel port, its adapters (webhook, SMTP email, dev mailbox),
 * the registry that picks one per outbox item, and the retry schedule.
 */
export type { Channel, ChannelItem, ChannelResult } from "./channel.js";
export { createChannelRegistry, type ChannelRegistry } from "./channel-registry.js";
export { nextRetryAt } from "./retry.js";
export {
  createWebhookChannel,
  MAX_WEBHOOK_BODY_BYTES,
  type WebhookChannelOptions,
} from "./webhook/webhook-channel.js";
export { createSmtpChannel, type SmtpChannelOptions } from "./email/smtp-channel.js";
export { createDevMailboxChannel, type DevMailboxSink } from "./email/dev-mailbox-channel.js";
export { emailMessageId } from "./email/message-id.js";
