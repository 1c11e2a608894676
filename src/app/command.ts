import type { Logger } from "pino";
import type { Engine } from "../runtime/index.js";
import type { Store } from "../store/index.js";

/** Who asks, and in which workspace: the first fields of every operation's command. */
export interface Command {
  readonly workspaceId: string;
  /**
   * Who asks: a user or API key name, or `system` and `guardrail` for automatic transitions. The audit
   * log records it.
   */
  readonly actor: string;
}

/** A command that changes a journey's flow: it says why, and may be a dry run. */
export interface ReasonedCommand extends Command {
  /** Required, not blank. */
  readonly reason: string;
  /** Answer with the counts at this instant and change nothing. @default false */
  readonly dryRun?: boolean;
}

/** What the engine hears from the operations: wake-ups, and the scopes that ended. */
export type EngineWake = Pick<Engine, "clock" | "notify" | "notifyRuns" | "scopeEnded">;

/** What every operation needs. */
export interface AppDeps {
  readonly store: Store;
  /** The engine of this process: its clock, and the calls that wake it. */
  readonly engine: EngineWake;
  readonly logger?: Logger | undefined;
}
