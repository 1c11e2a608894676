import fc from "fast-check";
import { describe, it } from "vitest";
import { createJourney, lifecycleCommands, pausedEntries } from "./lifecycle-commands.js";
import { checkAgainstModel, createReal, T0 } from "./lifecycle-real.js";
import type { Model } from "./lifecycle-model.js";

/*
 * A model-based test of the lifecycle: 150 random sequences of up to 30 operations (create a journey, new
 * version, publish, pause, resume, close, stop, delete, entries through the engine, straight into any
 * version and through runs, run aborts, sweeps, time passing) against a real SQLite store, engine and
 * lifecycle service, each sequence on its own database file. After every operation the real versions,
 * counters and enrollments must match the model, and the lifecycle's key facts must hold.
 */

describe("lifecycle state machine against the SQLite store", () => {
  it("agrees with the model over random sequences of operations", async () => {
    await fc.assert(
      fc.asyncProperty(pausedEntries, lifecycleCommands, async (first, commands) => {
        const real = await createReal();
        try {
          const model: Model = { journeys: [], runs: [], now: T0, enrollments: 0 };
          await createJourney(model, real, first);
          await checkAgainstModel(model, real);
          await fc.asyncModelRun(() => ({ model, real }), commands);
        } finally {
          await real.close();
        }
      }),
      { numRuns: 150 },
    );
  }, 120_000);
});
