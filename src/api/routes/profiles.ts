import { z } from "zod";
import { NotFoundError } from "../../core/index.js";
import { toCsv } from "../csv.js";
import { IdSchema } from "../schemas/common.js";
import { TimelineQuerySchema, WireEnrollmentSchema, WireTimelineEntrySchema } from "../schemas/enrollment.js";
import { ProfileBatchBodySchema, ProfileFieldsSchema, WireProfileSchema } from "../schemas/profile.js";
import { CsvAnswer, defineRoute, type Route } from "../route.js";
import { wireEnrollment, wireProfile, wireTimelineEntry } from "../wire.js";

const ProfileParamsSchema = z.strictObject({ profileId: IdSchema });

/* A profile's timeline reads at most this many enrollments, newest first, so one answer stays bounded. */
const TIMELINE_ENROLLMENTS = 1000;

const TIMELINE_COLUMNS = [
  "enrollmentId",
  "journeyId",
  "versionId",
  "nodeId",
  "position",
  "at",
  "outcome",
  "resumed",
  "detail",
] as const;

/** Profiles: upsert one or many, read one with its enrollments, and its timeline across journeys. */
export const profileRoutes: readonly Route[] = [
  defineRoute({
    method: "PUT",
    url: "/v1/profiles/:profileId",
    summary: "Create or update a profile; attributes merge key by key",
    tag: "profiles",
    params: ProfileParamsSchema,
    body: ProfileFieldsSchema,
    response: z.object({ profile: WireProfileSchema, created: z.boolean() }),
    handler: async ({ params, body, workspaceId, actor, services: { app } }) => {
      const { profile, created } = await app.upsertProfile({
        workspaceId,
        actor,
        profile: { ...body, id: params.profileId },
      });
      return { profile: wireProfile(profile), created };
    },
  }),
  defineRoute({
    method: "POST",
    url: "/v1/profiles/batch",
    summary: "Create or update up to 10,000 profiles",
    tag: "profiles",
    body: ProfileBatchBodySchema,
    response: z.object({ inserted: z.number().int(), updated: z.number().int() }),
    handler: ({ body, workspaceId, actor, services: { app } }) =>
      app.importProfiles({ workspaceId, actor, profiles: body.profiles }),
  }),
  defineRoute({
    method: "GET",
    url: "/v1/profiles/:profileId",
    summary: "A profile and its enrollments, newest first",
    tag: "profiles",
    params: ProfileParamsSchema,
    response: z.object({ profile: WireProfileSchema, enrollments: z.array(WireEnrollmentSchema) }),
    handler: async ({ params, workspaceId, services: { store } }) => {
      const profile = await store.getProfile(workspaceId, params.profileId);
      if (profile === null) throw new NotFoundError("profile", params.profileId);
      const enrollments = await store.listEnrollments(workspaceId, { profileId: profile.id });
      return { profile: wireProfile(profile), enrollments: enrollments.map(wireEnrollment) };
    },
  }),
  defineRoute({
    method: "GET",
    url: "/v1/profiles/:profileId/timeline",
    summary: "Every step of the profile's enrollments (optionally in one journey), oldest first; JSON or CSV",
    tag: "profiles",
    params: ProfileParamsSchema,
    query: TimelineQuerySchema,
    response: z.object({ entries: z.array(WireTimelineEntrySchema) }),
    csv: true,
    handler: async ({ params, query, workspaceId, services: { store } }) => {
      const profile = await store.getProfile(workspaceId, params.profileId);
      if (profile === null) throw new NotFoundError("profile", params.profileId);
      const enrollments = await store.listEnrollments(workspaceId, {
        profileId: profile.id,
        ...(query.journeyId === undefined ? {} : { journeyId: query.journeyId }),
        limit: TIMELINE_ENROLLMENTS,
      });
      const perEnrollment = await Promise.all(
        [...enrollments]
          .reverse()
          .map(async (e) =>
            (await store.timeline(workspaceId, e.id)).map((t) => wireTimelineEntry(t, e.journeyId)),
          ),
      );
      /* Stable sort: entries at the same instant keep enrollment order, then log position. */
      const entries = perEnrollment.flat().sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
      if (query.format === "csv") {
        return new CsvAnswer(
          `${profile.id}-timeline.csv`,
          toCsv(
            TIMELINE_COLUMNS,
            entries.map((e) => TIMELINE_COLUMNS.map((c) => e[c])),
          ),
        );
      }
      return { entries };
    },
  }),
];
