import type { IngestedEvent } from "../../app/index.js";
import type { EventInput } from "../../store/index.js";
import type { z } from "zod";
import { explainEvent } from "../../runtime/index.js";
import {
  EventExplainAnswerSchema,
  EventInputSchema,
  EventsAnswerSchema,
  EventsBodySchema,
} from "../schemas/event.js";
import { defineRoute, type Route } from "../route.js";

function toIngestedEvent(e: z.output<typeof EventInputSchema>): IngestedEvent {
  return {
    eventId: e.eventId,
    profileId: e.profileId,
    name: e.name,
    ...(e.payload === undefined ? {} : { payload: e.payload }),
    ...(e.occurredAt === undefined ? {} : { occurredAt: Date.parse(e.occurredAt) }),
  };
}

function toEventInput(e: z.output<typeof EventInputSchema>, now: number): EventInput {
  return { payload: {}, occurredAt: now, ...toIngestedEvent(e) };
}

/** Event ingestion: one event or a batch, stored durably and deduplicated before the answer. */
export const eventRoutes: readonly Route[] = [
  defineRoute({
    method: "POST",
    url: "/v1/events",
    summary:
      "Ingest one event or a batch of up to 10,000; deduplicated by eventId, durable before the answer",
    tag: "events",
    body: EventsBodySchema,
    status: 202,
    response: EventsAnswerSchema,
    handler: async ({ body, workspaceId, actor, services: { app } }) => {
      const events = "events" in body ? body.events : [body];
      return app.ingestEvents({ workspaceId, actor, events: events.map(toIngestedEvent) });
    },
  }),
  defineRoute({
    method: "POST",
    url: "/v1/events/explain",
    summary:
      "Dry run of one event, storing nothing: for each journey that starts on its name, whether it would enroll the profile, and why not",
    tag: "events",
    body: EventInputSchema,
    response: EventExplainAnswerSchema,
    handler: async ({ body, workspaceId, services: { store, engine } }) => {
      const now = engine.clock.now();
      const event = toEventInput(body, now);
      return { journeys: await explainEvent(store, workspaceId, event, now) };
    },
  }),
];
