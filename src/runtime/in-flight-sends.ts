import type { Logger } from "pino";
import type { EndedScope, OutboxItem, ResultStore } from "../store/index.js";

/**
 * Why a send in flight was aborted: its scope ended (`final`: the item completes as a skipped failure,
 * as a dropped item does), or the engine stopped (not final: the item goes back to the outbox).
 */
export class SendCancelled extends Error {
  constructor(
    message: string,
    readonly final: boolean,
  ) {
    super(message);
    this.name = "SendCancelled";
  }
}

/** One tracked send. */
export interface TrackedSend {
  /** Aborts with a {@link SendCancelled} when the item's scope ends or the engine stops. */
  readonly signal: AbortSignal;
  /** The send is over: stop tracking it. */
  done(): void;
}

/**
 * The outbox items this process has claimed and not yet completed, each with its own AbortController,
 * so that a stop, a run abort, a removal or the engine's stop reaches sends already on their way.
 */
export interface InFlightSends {
  /** Track `item` from its claim until its completion. */
  track(item: OutboxItem): TrackedSend;
  /**
   * Abort the tracked sends of `scope`. For a removal, the items' enrollments are read first: only those
   * that the removal ended are aborted.
   */
  endScope(scope: EndedScope): void;
  /** Abort every tracked send: the engine stops. */
  abortAll(): void;
}

/** Create the registry of one dispatcher. `store` answers whether a removal ended an item's enrollment. */
export function createInFlightSends(
  store: Pick<ResultStore, "getEnrollment">,
  logger?: Logger,
): InFlightSends {
  const tracked = new Map<AbortController, OutboxItem>();

  const abort = (controller: AbortController, message: string, final: boolean): void => {
    if (!controller.signal.aborted) controller.abort(new SendCancelled(message, final));
  };

  async function endRemoval(workspaceId: string): Promise<void> {
    for (const [controller, item] of [...tracked]) {
      if (item.workspaceId !== workspaceId) continue;
      const enrollment = await store.getEnrollment(item.workspaceId, item.enrollmentId);
      if (enrollment?.status !== "active") abort(controller, "cancelled by removal", true);
    }
  }

  return {
    track(item) {
      const controller = new AbortController();
      tracked.set(controller, item);
      return { signal: controller.signal, done: () => void tracked.delete(controller) };
    },
    endScope(scope) {
      if ("versionId" in scope) {
        for (const [controller, item] of tracked) {
          if (item.versionId === scope.versionId) abort(controller, "cancelled by stop", true);
        }
      } else if ("runId" in scope) {
        for (const [controller, item] of tracked) {
          if (item.runId === scope.runId) abort(controller, "cancelled by abort", true);
        }
      } else {
        endRemoval(scope.workspaceId).catch((err: unknown) => {
          logger?.warn(
            { err, operation: "endScope", workspaceId: scope.workspaceId, profileIds: scope.profileIds },
            "reading the enrollments of a removal failed; its sends in flight go on",
          );
        });
      }
    },
    abortAll() {
      for (const controller of tracked.keys()) {
        abort(controller, "the engine stopped before the send finished", false);
      }
    },
  };
}
