import { z } from "zod";
import { NotFoundError } from "../../core/index.js";
import { IdSchema } from "../schemas/common.js";
import { WireEnrollmentSchema, WireTimelineEntrySchema } from "../schemas/enrollment.js";
import { EnrollBodySchema, EnrollResultSchema, JourneyParamsSchema } from "../schemas/journey.js";
import { defineRoute, type Route } from "../route.js";
import { wireEnrollment, wireTimelineEntry } from "../wire.js";

/** Enrollments: enroll profiles through the API, read one with its result log. */
export const enrollmentRoutes: readonly Route[] = [
  defineRoute({
    method: "POST",
    url: "/v1/journeys/:journeyId/enroll",
    summary: "Enroll profiles into the journey's live version",
    tag: "enrollments",
    params: JourneyParamsSchema,
    body: EnrollBodySchema,
    response: z.object({ results: z.array(EnrollResultSchema) }),
    handler: async ({ params, body, workspaceId, actor, services: { app } }) => {
      const outcomes = await app.enroll({
        workspaceId,
        actor,
        journeyId: params.journeyId,
        profileIds: body.profileIds,
      });
      return {
        results: body.profileIds.map((profileId, i) => {
          const outcome = outcomes[i];
          if (outcome === undefined)
            throw new Error(
              `the engine answered ${outcomes.length} outcomes for ${body.profileIds.length} profiles`,
            );
          return outcome.status === "enrolled"
            ? { profileId, status: outcome.status, enrollmentId: outcome.enrollmentId }
            : { profileId, status: outcome.status };
        }),
      };
    },
  }),
  defineRoute({
    method: "GET",
    url: "/v1/enrollments/:enrollmentId",
    summary: "An enrollment and its result log",
    tag: "enrollments",
    params: z.strictObject({ enrollmentId: IdSchema }),
    response: z.object({ enrollment: WireEnrollmentSchema, timeline: z.array(WireTimelineEntrySchema) }),
    handler: async ({ params, workspaceId, services: { store } }) => {
      const enrollment = await store.getEnrollment(workspaceId, params.enrollmentId);
      if (enrollment === null) throw new NotFoundError("enrollment", params.enrollmentId);
      const timeline = await store.timeline(workspaceId, enrollment.id);
      return {
        enrollment: wireEnrollment(enrollment),
        timeline: timeline.map((t) => wireTimelineEntry(t, enrollment.journeyId)),
      };
    },
  }),
];
