import type { z } from "zod";
import type { AuditEntry, OutboxRecord } from "../store/index.js";
import type { OutboxLabelSchema } from "./schemas/lifecycle.js";

/** A brake that applied to outbox items: a version's stop or a run's abort, with its place in the sequence. */
export interface Brake {
  readonly kind: "stop" | "abort";
  /** The acknowledgement's place in the store's sequence, shared with outbox claims. */
  readonly seq: number;
  readonly at: number;
}

/** The brakes among a journey's audit entries: the version's stop and each run's abort. */
export function brakesOf(
  entries: readonly AuditEntry[],
  versionId: string,
): { readonly stop: Brake | null; readonly aborts: ReadonlyMap<string, Brake> } {
  let stop: Brake | null = null;
  const aborts = new Map<string, Brake>();
  for (const e of entries) {
    if (e.action === "version:stopped" && e.versionId === versionId) {
      stop = { kind: "stop", seq: e.seq, at: e.at };
    } else if (e.action === "run:aborted" && e.runId !== null) {
      aborts.set(e.runId, { kind: "abort", seq: e.seq, at: e.at });
    }
  }
  return { stop, aborts };
}

/**
 * Label an outbox item as Results show it. Under a brake (its version's stop, else its run's abort), an
 * item claimed before the acknowledgement is "dispatched before stop"; one still pending, or cancelled at
 * or after it, is "cancelled by stop". Without a brake, the status speaks for itself.
 */
export function outboxLabel(item: OutboxRecord, brake: Brake | null): z.output<typeof OutboxLabelSchema> {
  if (brake !== null) {
    if (item.claimSeq !== null && item.claimSeq < brake.seq) return `dispatched before ${brake.kind}`;
    /* A pending item under a brake is cancelled already: no claim can take it; the sweep only marks it. */
    if (item.status === "pending") return `cancelled by ${brake.kind}`;
    if (item.status === "cancelled" && (item.completedAt ?? brake.at) >= brake.at) {
      return `cancelled by ${brake.kind}`;
    }
  }
  if (item.status === "claimed") return "dispatching";
  if (item.status === "done") return "dispatched";
  return item.status;
}
