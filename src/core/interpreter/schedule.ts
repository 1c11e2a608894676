import { Cron } from "croner";
import type { CompiledSchedule, CompiledTrigger } from "../definition/compiled-journey.js";
import type { Millis } from "../types.js";

/**
 * The next time an audience entry should run, strictly after `afterMillis`; null when it will not run
 * by schedule (not an audience trigger, `now` schedules, an `at` already past). Cron schedules are read
 * in their time zone. Pure: no timer is started. Takes a compiled trigger or its schedule.
 */
export function nextScheduleFire(
  trigger: CompiledTrigger | CompiledSchedule,
  afterMillis: Millis,
): Millis | null {
  if (trigger.type === "event" || trigger.type === "api") return null;
  const schedule = trigger.type === "audience" ? trigger.schedule : trigger;
  switch (schedule.type) {
    case "now":
      return null;
    case "at":
      return schedule.at > afterMillis ? schedule.at : null;
    case "cron": {
      const next = new Cron(schedule.cron, { timezone: schedule.timezone, paused: true }).nextRun(
        new Date(afterMillis),
      );
      return next === null ? null : next.getTime();
    }
  }
}
