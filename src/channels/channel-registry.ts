import type { Channel } from "./channel.js";

/** The channels of one process, by name. Built once in the composition root. */
export interface ChannelRegistry {
  /**
   * The channel serving `name`.
   * @throws Error when no channel of that name is configured (a wiring bug, not a delivery problem).
   */
  get(name: Channel["name"]): Channel;
  /** Close every channel (release pooled connections). All are closed even if one fails; the first failure is rethrown. */
  closeAll(): Promise<void>;
}

/**
 * Build a registry over `channels`.
 * @throws Error when two channels share a name.
 * @example
 * const channels = createChannelRegistry([createWebhookChannel(), createDevMailboxChannel(store, clock, { from })]);
 * await channels.get("webhook").send(item);
 */
export function createChannelRegistry(channels: readonly Channel[]): ChannelRegistry {
  const byName = new Map<string, Channel>();
  for (const channel of channels) {
    if (byName.has(channel.name)) throw new Error(`two channels are configured for "${channel.name}"`);
    byName.set(channel.name, channel);
  }
  return {
    get(name) {
      const channel = byName.get(name);
      if (!channel) {
        const known = [...byName.keys()].join(", ") || "none";
        throw new Error(`no channel is configured for "${name}" (configured: ${known})`);
      }
      return channel;
    },
    async closeAll() {
      const outcomes = await Promise.allSettled([...byName.values()].map((channel) => channel.close()));
      const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === "rejected");
      if (failed) throw failed.reason;
    },
  };
}
