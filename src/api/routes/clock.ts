import { ConflictError, parseDuration, ValidationError } from "../../core/index.js";
import { ClockAdvanceAnswerSchema, ClockAdvanceBodySchema, ClockSchema } from "../schemas/system.js";
import { defineRoute, type Route } from "../route.js";
import { iso } from "../wire.js";

function durationMs(text: string): number {
  try {
    return parseDuration(text);
  } catch (err) {
    if (err instanceof ValidationError) {
      throw new ValidationError([{ path: "by", code: "invalid_duration", message: err.message }], {
        cause: err,
      });
    }
    throw err;
  }
}

/** The engine's clock: read it, and move a manual clock forward. */
export const clockRoutes: readonly Route[] = [
  defineRoute({
    method: "GET",
    url: "/v1/clock",
    summary: "The engine's clock",
    tag: "clock",
    inWorkspace: false,
    response: ClockSchema,
    handler: ({ services: { engine } }) => ({
      mode: engine.manualClock === null ? ("system" as const) : ("manual" as const),
      now: iso(engine.clock.now()),
    }),
  }),
  defineRoute({
    method: "POST",
    url: "/v1/clock/advance",
    summary: "Move a manual clock forward, processing everything due on the way (409 on a system clock)",
    tag: "clock",
    inWorkspace: false,
    body: ClockAdvanceBodySchema,
    response: ClockAdvanceAnswerSchema,
    handler: async ({ body, services: { engine } }) => {
      if (engine.manualClock === null) {
        throw new ConflictError(
          "the clock is the system clock; only a manual clock can be advanced",
          "system",
          ["start the server with a manual clock"],
        );
      }
      const now = engine.clock.now();
      const to = body.by !== undefined ? now + durationMs(body.by) : Date.parse(body.to ?? "");
      if (!(to >= now)) {
        throw new ValidationError([
          {
            path: body.by !== undefined ? "by" : "to",
            code: "clock_backwards",
            message: "the clock only moves forward",
          },
        ]);
      }
      const report = await engine.advanceClockTo(to);
      return { now: iso(engine.clock.now()), report };
    },
  }),
];
