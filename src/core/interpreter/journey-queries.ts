import type { CompiledJourney, CompiledTrigger } from "../definition/compiled-journey.js";

/** How profiles enter the journey. */
export function entryTrigger(journey: CompiledJourney): CompiledTrigger {
  return journey.trigger;
}

/** The event names the journey's wait-for-event nodes await (what the matcher must route to it). */
export function awaitedEventNames(journey: CompiledJourney): readonly string[] {
  return journey.awaitedEventNames;
}
