import type { CompiledCondition } from "../condition/evaluate.js";
import type { CompiledJsonTemplate } from "../template/json-template.js";
import type { CompiledTemplate } from "../template/template.js";
import type { ParsedDateTime } from "../time/iso-datetime.js";
import type { ReentryRule, RetryPolicy, WebhookRequest } from "../types.js";
import type { Condition } from "./condition-schema.js";
import type { JourneyDefinition } from "./journey-schema.js";

/** When an audience entry runs, compiled. */
export type CompiledSchedule =
  | { readonly type: "now" }
  | { readonly type: "at"; readonly at: number }
  | { readonly type: "cron"; readonly cron: string; readonly timezone: string };

/** How profiles enter a journey, compiled. `filter` is null when every profile or event qualifies. */
export type CompiledTrigger =
  | {
      readonly type: "event";
      readonly event: string;
      readonly filter: CompiledCondition | null;
      readonly source: Condition | null;
    }
  | { readonly type: "api" }
  | {
      readonly type: "audience";
      readonly filter: CompiledCondition;
      readonly source: Condition;
      readonly schedule: CompiledSchedule;
    };

/** A compiled action. Templates are parsed; durations are in milliseconds. */
export type CompiledAction =
  | {
      readonly type: "webhook";
      readonly url: CompiledTemplate;
      readonly method: WebhookRequest["method"];
      readonly headers: readonly (readonly [string, CompiledTemplate])[];
      /** A JSON body (its strings rendered, then encoded), a text template, or none. */
      readonly body:
        | { readonly type: "json"; readonly value: CompiledJsonTemplate }
        | { readonly type: "text"; readonly template: CompiledTemplate }
        | null;
      /**
       * The `Content-Type` the request gets: `contentType`, or `application/json` for a JSON body; null
       * when `headers` set it, or for a text body of a version stored before `contentType` existed (the
       * channel then sends its default, `application/json`, as it always did).
       */
      readonly contentType: string | null;
      readonly timeoutMs: number;
      readonly retry: RetryPolicy;
    }
  | {
      readonly type: "email";
      readonly subject: CompiledTemplate;
      /** HTML-escapes its outputs; `| raw` opts out. */
      readonly html: CompiledTemplate | null;
      readonly text: CompiledTemplate | null;
      readonly to: CompiledTemplate | null;
      readonly from: string | null;
    }
  | {
      readonly type: "update_profile";
      /** Each value is a JSON value, or a template (rendered to a string). */
      readonly set: readonly (readonly [
        string,
        { readonly value: unknown } | { readonly template: CompiledTemplate },
      ])[];
    };

/** A node ready for the interpreter: exits resolved, durations in ms, templates and conditions compiled. */
export type CompiledNode =
  | { readonly kind: "entry"; readonly id: string; readonly trigger: CompiledTrigger; readonly next: string }
  | {
      readonly kind: "wait_duration";
      readonly id: string;
      readonly durationMs: number;
      readonly next: string;
    }
  | {
      readonly kind: "wait_until";
      readonly id: string;
      /** The instant, absolute or as a wall-clock time in the profile's zone; null when `attribute` is used. */
      readonly at: ParsedDateTime | null;
      readonly attribute: string | null;
      /** Minutes after midnight, with `attribute`. */
      readonly timeOfDay: number | null;
      readonly next: string;
    }
  | {
      readonly kind: "wait_event";
      readonly id: string;
      readonly event: string;
      readonly filter: CompiledCondition | null;
      readonly timeoutMs: number;
      readonly next: string;
      readonly onTimeout: string;
    }
  | {
      readonly kind: "condition";
      readonly id: string;
      /** `label` is the branch's name, or its index. */
      readonly branches: readonly {
        readonly label: string | number;
        readonly when: CompiledCondition;
        readonly next: string;
      }[];
      readonly else: string;
    }
  | {
      readonly kind: "split";
      readonly id: string;
      /** `upTo` is the cumulative percent bound: a bucket below it takes this path. */
      readonly paths: readonly {
        readonly label: string | number;
        readonly upTo: number;
        readonly next: string;
      }[];
    }
  | {
      readonly kind: "action";
      readonly id: string;
      readonly action: CompiledAction;
      readonly next: string;
      readonly onFailure: string | null;
    }
  | {
      readonly kind: "remove_from_flow";
      readonly id: string;
      readonly journeys: readonly string[] | "all";
      readonly next: string;
    }
  | { readonly kind: "exit"; readonly id: string };

/**
 * A validated, deep-frozen journey definition, ready for `advance`. Build it once per version with
 * `compileDefinition` and share it. (Parsed Liquid templates inside are left unfrozen: they belong to
 * liquidjs.)
 */
export interface CompiledJourney {
  /** The parsed definition, defaults applied. */
  readonly definition: JourneyDefinition;
  readonly entryNodeId: string;
  /** The entry node (its trigger is also at `trigger`). */
  readonly entry: Extract<CompiledNode, { kind: "entry" }>;
  /** Nodes by id. */
  readonly nodes: { readonly [id: string]: CompiledNode };
  readonly trigger: CompiledTrigger;
  readonly reentry: ReentryRule;
  readonly pausedEntries: "discard" | "queue";
  /** @default 91 days */
  readonly globalTimeoutMs: number;
  /** Event names that wait-for-event nodes await, sorted, without repeats. */
  readonly awaitedEventNames: readonly string[];
  /** Error-rate guardrails on actions; empty when the journey sets none. */
  readonly guardrails: readonly CompiledGuardrail[];
}

/** A guardrail with its window in milliseconds. */
export interface CompiledGuardrail {
  /** The action node watched, or null for all action nodes together. */
  readonly nodeId: string | null;
  readonly errorRate: number;
  readonly windowMs: number;
  readonly minAttempts: number;
  readonly action: "notify" | "pause" | "stop";
}
