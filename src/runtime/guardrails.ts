import type { Logger } from "pino";
import { ConflictError } from "../core/index.js";
import type { CompiledJourney, Millis } from "../core/index.js";
import type { Store } from "../store/index.js";
import type { ActionOutcome } from "./dispatcher.js";
import type { EndedScopes } from "./ended-scopes.js";

/** The actor of automatic guardrail actions. */
export const GUARDRAIL_ACTOR = "guardrail";

/** What the guardrails need. */
export interface GuardrailDeps {
  readonly store: Store;
  /** The compiled journey of a version (its `guardrails`), when loaded. */
  readonly journeyOf: (versionId: string) => CompiledJourney | undefined;
  readonly endedScopes: EndedScopes;
  readonly logger?: Logger | undefined;
}

/**
 * Error-rate guardrails over the actions this process dispatched. `record` takes each dispatch round's
 * final results; `check` then evaluates the versions touched: per guardrail, the failed share of the
 * results within its window, once it counts `minAttempts`. Over the threshold it raises a
 * `guardrail:error_rate` notification (at most once per window), and with `pause` or `stop` applies
 * that action to the version (actor `guardrail`, the rate in the reason).
 *
 * The window lives in this process's memory: O(1) per result, no scan of the outbox. With several
 * worker processes each judges the share it dispatched.
 */
export interface Guardrails {
  record(outcomes: readonly ActionOutcome[], now: Millis): void;
  /** Returns how many guardrails fired. */
  check(now: Millis): Promise<number>;
}

interface Sample {
  readonly at: Millis;
  readonly nodeId: string;
  readonly ok: boolean;
}

/** Build the guardrails of one engine. */
export function createGuardrails(deps: GuardrailDeps): Guardrails {
  const samples = new Map<string, { workspaceId: string; list: Sample[] }>();
  const touched = new Set<string>();
  /* Last alert per (version, guardrail index): one notification per window. */
  const lastAlert = new Map<string, Millis>();

  async function fire(
    versionId: string,
    workspaceId: string,
    index: number,
    journey: CompiledJourney,
    rate: number,
    attempts: number,
    now: Millis,
  ): Promise<void> {
    const g = journey.guardrails[index]!;
    const version = await deps.store.getVersion(workspaceId, versionId);
    if (!version) return;
    const percent = (x: number): string => `${Math.round(x * 1000) / 10}%`;
    const scope = g.nodeId === null ? "actions" : `action ${g.nodeId}`;
    const reason = `${scope} failed ${percent(rate)} of ${attempts} attempts within ${g.windowMs / 60_000} min (threshold ${percent(g.errorRate)})`;
    await deps.store.addNotification({
      workspaceId,
      at: now,
      type: "guardrail:error_rate",
      journeyId: version.journeyId,
      versionId,
      title: `Guardrail: ${reason}`,
      detail: {
        nodeId: g.nodeId,
        errorRate: rate,
        threshold: g.errorRate,
        attempts,
        windowMs: g.windowMs,
        action: g.action,
      },
    });
    if (g.action === "notify") return;
    try {
      await deps.store.changeVersionStatus({
        workspaceId,
        versionId,
        action: g.action,
        actor: GUARDRAIL_ACTOR,
        reason,
        now,
      });
      if (g.action === "stop") deps.endedScopes.end({ versionId });
    } catch (error) {
      /* Already paused, stopped or closed: the operator's state stands, the alert is raised. */
      if (!(error instanceof ConflictError)) throw error;
      deps.logger?.info({ versionId, action: g.action }, "guardrail action skipped: the version moved on");
    }
  }

  return {
    record(outcomes, now) {
      for (const o of outcomes) {
        const journey = deps.journeyOf(o.versionId);
        if (!journey || journey.guardrails.length === 0) continue;
        let entry = samples.get(o.versionId);
        if (!entry) {
          entry = { workspaceId: o.workspaceId, list: [] };
          samples.set(o.versionId, entry);
        }
        entry.list.push({ at: now, nodeId: o.nodeId, ok: o.ok });
        touched.add(o.versionId);
      }
    },
    async check(now) {
      let fired = 0;
      const versions = [...touched];
      touched.clear();
      for (const versionId of versions) {
        const entry = samples.get(versionId);
        const journey = deps.journeyOf(versionId);
        if (!entry || !journey) continue;
        const longest = Math.max(...journey.guardrails.map((g) => g.windowMs));
        entry.list = entry.list.filter((s) => s.at > now - longest);
        for (const [index, g] of journey.guardrails.entries()) {
          const key = `${versionId}#${index}`;
          const last = lastAlert.get(key);
          if (last !== undefined && now - last < g.windowMs) continue;
          const inWindow = entry.list.filter(
            (s) => s.at > now - g.windowMs && (g.nodeId === null || s.nodeId === g.nodeId),
          );
          if (inWindow.length < g.minAttempts) continue;
          const rate = inWindow.filter((s) => !s.ok).length / inWindow.length;
          if (rate < g.errorRate) continue;
          lastAlert.set(key, now);
          await fire(versionId, entry.workspaceId, index, journey, rate, inWindow.length, now);
          fired += 1;
        }
      }
      return fired;
    },
  };
}
