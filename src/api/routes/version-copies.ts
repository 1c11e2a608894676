import { z } from "zod";
import { JourneyParamsSchema, WireVersionSchema } from "../schemas/journey.js";
import {
  DeleteVersionBodySchema,
  DuplicateAnswerSchema,
  DuplicateBodySchema,
  NewVersionBodySchema,
  VersionParamsSchema,
} from "../schemas/lifecycle.js";
import { defineRoute, type Route } from "../route.js";
import { wireJourney, wireVersion } from "../wire.js";

const VersionAnswerSchema = z.object({ version: WireVersionSchema });

/** New versions and copies: a draft from the latest version, a version duplicated into a new journey, deletion. */
export const versionCopyRoutes: readonly Route[] = [
  defineRoute({
    method: "POST",
    url: "/v1/journeys/:journeyId/versions",
    summary: "Create a draft version copied from the journey's latest version",
    tag: "versions",
    params: JourneyParamsSchema,
    body: NewVersionBodySchema,
    status: 201,
    response: VersionAnswerSchema,
    handler: async ({ params, body, workspaceId, actor, services: { app } }) => ({
      version: wireVersion(
        await app.newVersion({
          workspaceId,
          actor,
          journeyId: params.journeyId,
          ...(body.reason === undefined ? {} : { reason: body.reason }),
        }),
      ),
    }),
  }),
  defineRoute({
    method: "POST",
    url: "/v1/versions/:versionId/duplicate",
    summary: "Copy any version (closed, stopped and finished ones too) into a new journey, as its draft",
    tag: "versions",
    params: VersionParamsSchema,
    body: DuplicateBodySchema,
    status: 201,
    response: DuplicateAnswerSchema,
    handler: async ({ params, body, workspaceId, actor, services: { app } }) => {
      const { journey, version } = await app.duplicate({
        workspaceId,
        actor,
        versionId: params.versionId,
        ...(body.name === undefined ? {} : { name: body.name }),
        ...(body.reason === undefined ? {} : { reason: body.reason }),
      });
      return { journey: wireJourney(journey), version: wireVersion(version) };
    },
  }),
  defineRoute({
    method: "DELETE",
    url: "/v1/versions/:versionId",
    summary: "Delete (archive) a draft or finished version; the audit keeps it",
    tag: "versions",
    params: VersionParamsSchema,
    body: DeleteVersionBodySchema,
    response: VersionAnswerSchema,
    handler: async ({ params, body, workspaceId, actor, services: { app } }) => ({
      version: wireVersion(
        await app.deleteVersion({ workspaceId, actor, versionId: params.versionId, reason: body.reason }),
      ),
    }),
  }),
];
