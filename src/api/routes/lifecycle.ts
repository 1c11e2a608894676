import { z } from "zod";
import { parseDuration, ValidationError, type Issue } from "../../core/index.js";
import type { VersionAction } from "../../store/index.js";
import type { ChangeVersionCommand } from "../../app/index.js";
import { IdSchema } from "../schemas/common.js";
import { JourneyParamsSchema } from "../schemas/journey.js";
import {
  AbortRunAnswerSchema,
  AbortRunBodySchema,
  LifecycleAnswerSchema,
  RemoveAnswerSchema,
  RemoveFromFlowBodySchema,
  VersionActionBodySchema,
} from "../schemas/lifecycle.js";
import { defineRoute, type Route } from "../route.js";
import { iso, wireLifecycleOutcome, wireRun } from "../wire.js";

type VersionActionBody = z.output<typeof VersionActionBodySchema>;

const SUMMARIES: { readonly [action in VersionAction]: string } = {
  pause:
    "Pause the live version: actions are held, new entries discarded or queued; optional `until` and `then`",
  resume: "Resume a paused version: held actions are released (optionally rate-limited, old sends skipped)",
  close: "Close the active version to new entrances; profiles inside go on to the end",
  stop: "Stop the version (the emergency brake): nothing more advances or is dispatched; pending actions are cancelled",
};

/* Fields that belong to one action only: sending them with another is a mistake worth a 400. */
const ONLY_FOR: { readonly [field: string]: VersionAction } = {
  until: "pause",
  then: "pause",
  ratePerSecond: "resume",
  skipOlderThan: "resume",
};

function durationMs(text: string, path: string): number {
  try {
    const ms = parseDuration(text);
    if (ms > 0) return ms;
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
  }
  throw new ValidationError([
    { path, code: "invalid_duration", message: `"${text}" is not a duration above zero, e.g. 6h, 1d, P1D` },
  ]);
}

/** Check the action-specific fields and turn the body into the operation's command. */
export function versionActionCommand(
  action: VersionAction,
  body: VersionActionBody,
  who: { readonly workspaceId: string; readonly actor: string; readonly journeyId: string },
  now: number,
): ChangeVersionCommand {
  const issues: Issue[] = [];
  for (const [field, owner] of Object.entries(ONLY_FOR)) {
    if (owner !== action && body[field as keyof VersionActionBody] !== undefined) {
      issues.push({ path: field, code: "not_allowed", message: `only a ${owner} takes \`${field}\`` });
    }
  }
  const until = body.until === undefined ? null : Date.parse(body.until);
  if (until !== null && until <= now) {
    issues.push({ path: "until", code: "in_the_past", message: "the pause must end in the future" });
  }
  if (issues.length > 0) throw new ValidationError(issues);
  return {
    ...who,
    reason: body.reason,
    dryRun: body.dryRun ?? false,
    ...(body.versionId === undefined ? {} : { versionId: body.versionId }),
    ...(action === "pause" ? { pause: { until, then: body.then ?? "resume" } } : {}),
    ...(action === "resume"
      ? {
          resume: {
            ratePerSecond: body.ratePerSecond ?? null,
            skipOlderThanMs:
              body.skipOlderThan === undefined ? null : durationMs(body.skipOlderThan, "skipOlderThan"),
          },
        }
      : {}),
  };
}

function versionActionRoute(action: VersionAction): Route {
  return defineRoute({
    method: "POST",
    url: `/v1/journeys/:journeyId/${action}`,
    summary: SUMMARIES[action],
    tag: "lifecycle",
    params: JourneyParamsSchema,
    body: VersionActionBodySchema,
    response: LifecycleAnswerSchema,
    handler: async ({ params, body, workspaceId, actor, services: { app, engine } }) => {
      const who = { workspaceId, actor, journeyId: params.journeyId };
      const outcome = await app[action](versionActionCommand(action, body, who, engine.clock.now()));
      return wireLifecycleOutcome(outcome);
    },
  });
}

/** The lifecycle operations: version actions, aborting a run, removing profiles from flow. */
export const lifecycleRoutes: readonly Route[] = [
  ...(["pause", "resume", "close", "stop"] as const).map(versionActionRoute),
  defineRoute({
    method: "POST",
    url: "/v1/runs/:runId/abort",
    summary: "Abort an audience run: the brake scoped to its enrollments; the version stays live",
    tag: "lifecycle",
    params: z.strictObject({ runId: IdSchema }),
    body: AbortRunBodySchema,
    response: AbortRunAnswerSchema,
    handler: async ({ params, body, workspaceId, actor, services: { app } }) => {
      const outcome = await app.abortRun({
        workspaceId,
        actor,
        runId: params.runId,
        reason: body.reason,
        dryRun: body.dryRun ?? false,
      });
      return { ...wireLifecycleOutcome(outcome), run: wireRun(outcome.run) };
    },
  }),
  defineRoute({
    method: "POST",
    url: "/v1/remove-from-flow",
    summary:
      "End profiles' enrollments (exit reason `removed`) in one journey or all; by ids or by a profile filter",
    tag: "lifecycle",
    body: RemoveFromFlowBodySchema,
    response: RemoveAnswerSchema,
    handler: async ({ body, workspaceId, actor, services: { app } }) => {
      const outcome = await app.removeFromFlow({
        workspaceId,
        actor,
        reason: body.reason,
        dryRun: body.dryRun ?? false,
        journeyId: body.journeyId ?? null,
        ...(body.profileIds === undefined ? {} : { profileIds: body.profileIds }),
        ...(body.filter === undefined ? {} : { filter: body.filter }),
      });
      return {
        removed: outcome.removed,
        counts: { ...outcome.counts },
        dryRun: outcome.dryRun,
        auditId: outcome.auditId,
        acknowledgedAt: iso(outcome.acknowledgedAt),
      };
    },
  }),
];
