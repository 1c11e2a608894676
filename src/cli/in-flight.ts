import type { Channel } from "../channels/index.js";

/** Channels wrapped to count their sends in progress, so that a drain that runs out of time can say what it waited for. */
export interface CountedChannels {
  readonly channels: readonly Channel[];
  /** Sends in progress per channel name; channels with none are absent. */
  readonly inFlight: () => ReadonlyMap<string, number>;
}

/** Wrap `channels`: each `send` counts itself in until it settles. Nothing else changes. */
export function countSends(channels: readonly Channel[]): CountedChannels {
  const counts = new Map<string, number>();
  const add = (name: string, delta: number): void => {
    const next = (counts.get(name) ?? 0) + delta;
    if (next === 0) counts.delete(name);
    else counts.set(name, next);
  };
  return {
    channels: channels.map((channel) => ({
      name: channel.name,
      async send(item, signal) {
        add(channel.name, 1);
        try {
          return await channel.send(item, signal);
        } finally {
          add(channel.name, -1);
        }
      },
      close: () => channel.close(),
    })),
    inFlight: () => new Map(counts),
  };
}

/** `2 webhook sends, 1 email send`, or null when nothing is being sent. */
export function describeSends(inFlight: ReadonlyMap<string, number>): string | null {
  const parts = [...inFlight].map(([name, n]) => `${n} ${name} send${n === 1 ? "" : "s"}`);
  return parts.length > 0 ? parts.join(", ") : null;
}
