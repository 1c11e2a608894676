import { setTimeout as sleep } from "node:timers/promises";
import type { Command } from "commander";
import type { WaymarkClient } from "../../client/index.js";
import { CliInputError } from "../cli-error.js";
import type { CliContext } from "../context.js";
import { DEMO_EVENT, demoDefinition, demoJourneyName, demoProfiles } from "../demo-journey.js";
import type { DemoPace } from "../demo-journey.js";
import { resultsTable } from "../format.js";
import { cliHint } from "../hint.js";
import { writeLine } from "../io.js";
import { parsePositiveInt } from "../read-input.js";

/** How far a manual clock moves after each demo event, so that profiles spread over the waits. */
const MANUAL_STEP = "6h";

/**
 * `waymark demo`: create (or reuse) and publish the demo journey, upsert sample profiles and send a
 * stream of `signed_up` events. On a manual clock it also moves time, so profiles go through the waits.
 */
export function registerDemoCommand(program: Command, ctx: CliContext): void {
  const { io } = ctx;
  program
    .command("demo")
    .description("load a demo journey, sample profiles and a stream of signed_up events")
    .option("--profiles <n>", "how many sample profiles (1..500)", "20")
    .option("--seconds <s>", "spread the events over this many seconds (0: all at once)", "10")
    .action(async (opts: { profiles: string; seconds: string }, cmd: Command) => {
      const count = parsePositiveInt(opts.profiles, "--profiles");
      if (count > 500) throw new CliInputError(`--profiles: ${count} is more than 500`);
      const seconds = parsePositiveInt(opts.seconds, "--seconds", 0);
      const client = ctx.client(cmd);
      const { clock } = await client.health();

      const pace: DemoPace = clock === "manual" ? "days" : "seconds";
      const journeyId = await ensureDemoJourney(client, pace, (line) => writeLine(io.stdout, line));
      const profiles = demoProfiles(count);
      const upserted = await client.upsertProfiles(profiles);
      writeLine(
        io.stdout,
        `upserted ${profiles.length} sample profiles (inserted ${upserted.inserted}, updated ${upserted.updated})`,
      );

      writeLine(
        io.stdout,
        `sending ${count} ${DEMO_EVENT} events over ${seconds}s${clock === "manual" ? `, moving the manual clock ${MANUAL_STEP} after each` : ""}`,
      );
      const tag = Date.now().toString(36);
      const pause = (seconds * 1000) / count;
      for (const [i, profile] of profiles.entries()) {
        await client.sendEvents({
          eventId: `demo-${tag}-${profile.id}`,
          profileId: profile.id,
          name: DEMO_EVENT,
          payload: { source: "waymark demo" },
        });
        let line = `  ${String(i + 1).padStart(String(count).length)}/${count} ${DEMO_EVENT} ${profile.id} (plan ${String(profile.attributes?.["plan"])})`;
        if (clock === "manual") {
          const { now } = await client.advanceClock({ by: MANUAL_STEP });
          line += `, clock ${now}`;
        }
        writeLine(io.stdout, line);
        if (pause > 0 && i < profiles.length - 1) await sleep(pause);
      }

      writeLine(io.stdout);
      const results = await client.results(journeyId);
      writeLine(io.stdout, resultsTable(results.nodes));
      writeLine(io.stdout);
      if (clock === "manual") {
        writeLine(io.stdout, `move time on with: ${ctx.hint(cmd, "clock advance 1d")}`);
      } else {
        writeLine(
          io.stdout,
          "The server runs on the system clock, so this demo's days last seconds: profiles wait 10 s,",
        );
        writeLine(
          io.stdout,
          "get their welcome email, wait 20 s and exit. Watch them move over the next minute.",
        );
        writeLine(
          io.stdout,
          "For the real 1-day waits, run the server on a manual clock and move it yourself:",
        );
        writeLine(io.stdout, `  ${cliHint("serve --clock manual")}`);
        writeLine(io.stdout, `  ${ctx.hint(cmd, "clock advance 1d")}`);
      }
      writeLine(io.stdout, `See where profiles are: ${ctx.hint(cmd, `results ${journeyId}`)}`);
    });
}

/** Find the demo journey by name and make sure a version of the demo definition is live; returns its id. */
async function ensureDemoJourney(
  client: WaymarkClient,
  pace: DemoPace,
  say: (line: string) => void,
): Promise<string> {
  const name = demoJourneyName(pace);
  const existing = (await client.listJourneys()).find((j) => j.name === name);
  if (existing?.activeVersion?.status === "live") {
    say(`reusing journey ${existing.id} "${name}" (version ${existing.activeVersion.number} is live)`);
    return existing.id;
  }
  let journeyId: string;
  if (existing) {
    journeyId = existing.id;
    await client.updateDraft(journeyId, demoDefinition(pace));
  } else {
    journeyId = (await client.createJourney({ name, definition: demoDefinition(pace) })).journey.id;
  }
  const { version } = await client.publish(journeyId);
  say(`published journey ${journeyId} "${name}", version ${version.number}`);
  return journeyId;
}
