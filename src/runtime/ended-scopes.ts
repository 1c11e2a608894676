import type { EndedScope, OutboxItem, ResultStore } from "../store/index.js";

/**
 * A scope whose dispatches must stop (the store port's `EndedScope`): the application layer tells the
 * engine right after the store acknowledged it, and `Store.watch` tells the other processes.
 */
export type { EndedScope };

/** An item the dispatcher must not send, and why. */
export interface DroppedItem {
  readonly item: OutboxItem;
  readonly error: string;
}

/**
 * What this process has heard of ended scopes. The dispatcher reads `epoch()` before a claim and asks
 * `screen` right before handing the claimed items to their channels: when nothing ended in between,
 * the answer is immediate; otherwise the items in an ended scope are dropped.
 */
export interface EndedScopes {
  /** Record an ended scope. */
  end(scope: EndedScope): void;
  /** Grows by one with every `end`. */
  epoch(): number;
  /** Split items claimed at `since` (an `epoch()` value) into those to send and those to drop. */
  screen(items: readonly OutboxItem[], since: number): Promise<{ send: OutboxItem[]; drop: DroppedItem[] }>;
}

/** Ended scopes kept in memory; the newest `keep` are remembered, enough for claims in flight. */
export function createEndedScopes(store: Pick<ResultStore, "getEnrollment">, keep = 1024): EndedScopes {
  let epoch = 0;
  const log: { readonly epoch: number; readonly scope: EndedScope }[] = [];

  return {
    end(scope) {
      epoch += 1;
      log.push({ epoch, scope });
      if (log.length > keep) log.splice(0, log.length - keep);
    },
    epoch: () => epoch,
    async screen(items, since) {
      if (since === epoch || items.length === 0) return { send: [...items], drop: [] };
      const recent = log.filter((entry) => entry.epoch > since).map((entry) => entry.scope);
      const versions = new Set<string>();
      const runs = new Set<string>();
      let removals = false;
      for (const scope of recent) {
        if ("versionId" in scope) versions.add(scope.versionId);
        else if ("runId" in scope) runs.add(scope.runId);
        else removals = true;
      }
      const send: OutboxItem[] = [];
      const drop: DroppedItem[] = [];
      for (const item of items) {
        if (versions.has(item.versionId)) drop.push({ item, error: "cancelled by stop" });
        else if (item.runId !== null && runs.has(item.runId))
          drop.push({ item, error: "cancelled by abort" });
        /* A removal names profiles, not items: the enrollment row says whether this one ended. */ else if (
          removals &&
          (await store.getEnrollment(item.workspaceId, item.enrollmentId))?.status !== "active"
        ) {
          drop.push({ item, error: "cancelled by removal" });
        } else send.push(item);
      }
      return { send, drop };
    },
  };
}
